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

    public init(lastSync: Int64?, toSend: Int) {
        self.lastSync = lastSync
        self.toSend = toSend
    }
}

extension ReplicaStore {
    /// Where this replica stands with `remote` (see `RemoteSyncState`).
    public func syncState(with remote: Remote) throws -> RemoteSyncState {
        try read { db in
            guard let peer = remote.peerID,
                let row = try Row.fetchOne(db, sql: "SELECT push_cursor, last_sync FROM sync_peers WHERE peer_id = ?", arguments: [peer])
            else {
                return RemoteSyncState(lastSync: nil, toSend: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records") ?? 0)
            }
            let pushed: Int64 = row["push_cursor"]
            // The push skips the same records (see `changes(since:limit:maxBytes:excluding:)`).
            let toSend = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM records WHERE seq > ? AND source_peer IS NOT ?", arguments: [pushed, peer]) ?? 0
            return RemoteSyncState(lastSync: row["last_sync"], toSend: toSend)
        }
    }
}
