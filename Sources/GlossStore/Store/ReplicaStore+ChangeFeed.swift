import Foundation
import GRDB
import GlossCore

/// One page of the change feed: record states in feed order and the cursor to continue from.
public struct ChangeBatch: Sendable {
    /// Canonical encodings of the record states, in feed order.
    public var states: [Data]
    /// The feed position to ask from next (covers rows skipped for echo suppression too).
    public var next: Int64
    /// True when the feed holds more after `next`.
    public var hasMore: Bool

    public init(states: [Data], next: Int64, hasMore: Bool) {
        self.states = states
        self.next = next
        self.hasMore = hasMore
    }
}

extension ReplicaStore {
    /// The latest feed position (0 for an empty store).
    public func currentSeq() throws -> Int64 {
        try readOneStatement { db in try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM records")) ?? 0 }
    }

    /// Records changed after `cursor`, in feed order, at most `limit` of them and about
    /// `maxBytes` of state (at least one). Records whose state is exactly what `peer` sent us are
    /// skipped (no echo) but still advance the cursor.
    public func changes(since cursor: Int64, limit: Int, maxBytes: Int = .max, excluding peer: ReplicaID? = nil) throws -> ChangeBatch {
        // One statement: its rows come from one snapshot without an explicit transaction.
        try readOneStatement { db in
            let statement = try db.cachedStatement(sql: """
                SELECT seq, state, source_peer FROM records WHERE seq > ? ORDER BY seq LIMIT ?
                """)
            var states: [Data] = []
            var bytes = 0
            var next = cursor
            var scanned = 0
            let rows = try Row.fetchCursor(statement, arguments: [cursor, limit + 1])
            var hasMore = false
            while let row = try rows.next() {
                if scanned == limit || (bytes >= maxBytes && !states.isEmpty) {
                    hasMore = true
                    break
                }
                scanned += 1
                next = row[0]
                let source: String? = row[2]
                if let peer, source == peer.rawValue { continue }
                let data: Data = row[1]
                states.append(data)
                bytes += data.count
            }
            return ChangeBatch(states: states, next: next, hasMore: hasMore)
        }
    }
}
