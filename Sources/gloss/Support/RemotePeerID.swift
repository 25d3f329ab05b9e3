import Foundation
import GlossCore
import GlossStore
import GlossSync

/// Saves a remote's replica ID before its first sync moves anything.
///
/// `RemoteSync.sync` saves the ID on the remote only once a sync has run to its end, and
/// `syncState(with:)` finds a remote's progress by that ID. So a first sync cut short (killed,
/// or the network went away after some batches were stored) left its records and cursor under
/// an ID no remote named, and `gloss remote list` called the remote "never synced". Asked first
/// (one `GET /v1/info`, the request the sync's handshake starts with), the ID is saved before
/// any batch is, and the stored progress is shown as what it is.
enum RemotePeerID {
    /// Asks `target`'s peer for its ID and saves it on the remote when it has none yet.
    /// Fails as the sync's handshake would (same request, same retries); a peer the handshake
    /// refuses (another protocol, this store's own ID) is left for it to refuse, saying why.
    static func learn(_ target: inout RemoteSync.Target, store: ReplicaStore, timeout: TimeInterval) async throws {
        guard var remote = target.remote, remote.peerID == nil else { return }
        let client = try SyncClient(baseURL: target.url, token: target.token, timeout: timeout)
        let info = try await RetryPolicy().run("the handshake", peer: client.peerDescription) { try await client.info() }
        guard info.protocolVersion == SyncProtocol.version, info.schema == SyncProtocol.schemaVersion,
            info.replicaID != store.replicaID
        else { return }
        remote.peerID = info.replicaID.rawValue
        try store.saveRemote(remote)
        target.remote = remote
    }
}
