import Foundation
import GRDB
import GlossCore

/// A summary of a store: who it is, what it holds, what needs attention.
public struct StoreStatus: Sendable, Codable {
    /// This replica's ID.
    public let replicaID: ReplicaID
    /// This replica's display name.
    public let name: String
    /// Live (not deleted) records by kind.
    public let counts: [String: Int]
    /// Records with an open conflict (a field with several values, or delete/edit).
    public let conflicts: Int
    /// The latest change-feed position.
    public let seq: Int64
    /// Set when the store must take a new replica ID before writing again.
    public let rekeyRequired: Bool
    /// Why, as recorded when it was found (nil when no rekey is required).
    public let rekeyReason: String?
}

extension ReplicaStore {
    /// The store's summary.
    public func status() throws -> StoreStatus {
        try read { db in
            var counts: [String: Int] = [:]
            for kind in RecordKind.allCases { counts[kind.rawValue] = 0 }
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM records WHERE deleted = 0 GROUP BY kind") {
                counts[row["kind"]] = row["n"]
            }
            let conflicts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE conflicted = 1") ?? 0
            let seq = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM records") ?? 0
            let name = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_name'") ?? replicaID.short
            let reason = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'rekey_required'")
            return StoreStatus(
                replicaID: replicaID, name: name, counts: counts, conflicts: conflicts, seq: seq, rekeyRequired: reason != nil,
                rekeyReason: reason)
        }
    }

    /// IDs of records with an open conflict, in feed order.
    public func conflictedRecordIDs() throws -> [String] {
        try readOneStatement { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM records WHERE conflicted = 1 ORDER BY seq"))
        }
    }

    /// A digest of every record's state (not the feed order, not history): two replicas that have
    /// seen the same writes have the same digest.
    public func stateHash() throws -> String {
        try readOneStatement { db in
            var hasher = SHA256()
            let cursor = try Data.fetchCursor(db.cachedStatement(sql: "SELECT state FROM records ORDER BY id"))
            while let data = try cursor.next() {
                hasher.update(data)
                hasher.update([0x0A])
            }
            return hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }
    }
}
