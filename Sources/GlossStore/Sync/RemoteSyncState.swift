import Foundation
import GRDB
import GlossCore

/// Where this replica stands with one remote: when they last synced, and what the next sync
/// would push. For an analyst back online after weeks: "have my notes reached the hub yet?"
public struct RemoteSyncState: Sendable, Equatable, Codable {
    /// When a sync with the remote last completed a step (a pulled batch, or a push the remote
    /// acknowledged), in ms since 1970; nil when they never synced.
    public var lastSync: Int64?
    /// Records changed here since the remote last acknowledged this replica's feed, leaving out
    /// those whose state is exactly what the remote sent: what the next sync pushes (the remote
    /// may have some of them already, from another replica). Every record here when they never
    /// synced.
    public var toSend: Int
    /// True when a sync stored batches pulled from the remote but stopped (killed, or the
    /// network went away) before the remote acknowledged anything from this replica: a first
    /// sync that did not finish. `lastSync` is then when the last batch was stored.
    ///
    /// A sync that runs to its end always leaves an acknowledgement once it pulled anything:
    /// it pushes what it has, or an empty batch telling the remote how far it pulled.
    public var partlySynced: Bool
    /// When `partlySynced`: the records here whose state is exactly what the remote sent (what
    /// the unfinished sync brought); else 0.
    public var received: Int

    public init(lastSync: Int64?, toSend: Int, partlySynced: Bool = false, received: Int = 0) {
        self.lastSync = lastSync
        self.toSend = toSend
        self.partlySynced = partlySynced
        self.received = received
    }
}

extension ReplicaStore {
    /// Where this replica stands with `remote` (see `RemoteSyncState`).
    public func syncState(with remote: Remote) throws -> RemoteSyncState {
        try read { db in
            guard let peer = remote.peerID,
                let row = try Row.fetchOne(
                    db, sql: "SELECT pull_cursor, push_cursor, last_sync FROM sync_peers WHERE peer_id = ?", arguments: [peer])
            else {
                return RemoteSyncState(lastSync: nil, toSend: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records") ?? 0)
            }
            let pulled: Int64 = row["pull_cursor"], pushed: Int64 = row["push_cursor"]
            let lastSync: Int64? = row["last_sync"]
            // The push skips the same records (see `changes(since:limit:maxBytes:excluding:)`).
            let toSend = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM records WHERE seq > ? AND source_peer IS NOT ?", arguments: [pushed, peer]) ?? 0
            guard lastSync != nil, pulled > 0, pushed == 0 else { return RemoteSyncState(lastSync: lastSync, toSend: toSend) }
            let received = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE source_peer = ?", arguments: [peer]) ?? 0
            return RemoteSyncState(lastSync: lastSync, toSend: toSend, partlySynced: true, received: received)
        }
    }
}
