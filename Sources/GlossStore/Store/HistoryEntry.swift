import Foundation
import GRDB
import GlossCore

/// One state a replica applied to a record, local or remote.
public struct HistoryEntry: Sendable {
    /// Position of this row in the history table.
    public let id: Int64
    /// The record.
    public let recordID: String
    /// The feed position it got.
    public let seq: Int64
    /// When this replica applied it (ms since 1970).
    public let appliedAt: Int64
    /// `local`, `bundle`, or the peer it came from.
    public let origin: String
    /// The writes this state brought that the previous one lacked.
    public let newDots: [Dot]
    /// The record state after applying.
    public let state: GlossCore.Record
}

extension ReplicaStore {
    /// Every state applied to `recordID`, oldest first.
    public func history(of recordID: String) throws -> [HistoryEntry] {
        try read { db in try HistoryChain.rows(of: recordID, db).map(HistoryEntry.init(row:)) }
    }

    /// The number of history rows (for tests and status).
    public func historyCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM history") ?? 0 }
    }
}

extension HistoryEntry {
    init(row: HistoryChain.Row) throws {
        id = row.id
        recordID = row.recordID
        seq = row.seq
        appliedAt = row.appliedAt
        origin = row.origin
        newDots = row.dots.split(separator: ",").compactMap { part in
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let replica = ReplicaID(String(pieces[0])), let n = UInt64(pieces[1]) else { return nil }
            return Dot(replica: replica, counter: n)
        }
        state = try Record.decode(row.state)
    }
}
