import Foundation
import GRDB
import GlossCore

/// Reading and writing the `records` and `history` rows of one record inside a transaction.
/// Every change to a record goes through `save`, so the change feed, history and search index
/// can never disagree with the record.
enum RecordRow {
    struct Current {
        let rowID: Int64
        let record: Record
    }

    static func fetch(_ id: String, _ db: Database) throws -> Current? {
        let statement = try db.cachedStatement(sql: "SELECT rowid, state FROM records WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        let data: Data = row[1]
        do {
            return Current(rowID: row[0], record: try Record.decode(data))
        } catch {
            throw GlossError(.io, "record \(id) is unreadable in the store: \(error)", cause: error)
        }
    }

    static func nextSeq(_ db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(sql: "SELECT MAX(seq) FROM records")
        return (try Int64.fetchOne(statement) ?? 0) + 1
    }

    /// Hands out feed positions within one transaction: the first from the table, the rest
    /// counted on (one `MAX(seq)` query per transaction instead of one per saved state).
    final class SeqAllocator {
        private var next: Int64?

        func allocate(_ db: Database) throws -> Int64 {
            let seq = try next ?? RecordRow.nextSeq(db)
            next = seq + 1
            return seq
        }
    }

    /// Saves `record` as the new state of its row, with a new feed position (from `seqs`, one
    /// allocator per transaction), a history row and an updated search entry. `previous` is the
    /// state it replaces (nil for a new record).
    static func save(
        _ record: Record, previous: Current?, origin: String, sourcePeer: ReplicaID?, at time: Int64,
        seqs: SeqAllocator, _ db: Database
    ) throws -> Int64 {
        let seq = try seqs.allocate(db)
        let data = record.canonicalData()
        let parent = record.string(FieldName.document)
        let rowID: Int64
        if let previous {
            let statement = try db.cachedStatement(sql: """
                UPDATE records SET state = ?, seq = ?, source_peer = ?, deleted = ?, conflicted = ?,
                    parent = ?, updated_at = ? WHERE rowid = ?
                """)
            try statement.execute(arguments: [
                data, seq, sourcePeer?.rawValue, record.isDeleted, record.isConflicted, parent, time, previous.rowID,
            ])
            rowID = previous.rowID
        } else {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO records(id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try statement.execute(arguments: [
                record.id, record.kind.rawValue, parent, data, seq, sourcePeer?.rawValue,
                record.isDeleted, record.isConflicted, time,
            ])
            rowID = db.lastInsertedRowID
        }
        let newDots = newDots(in: record, since: previous?.record.version ?? VersionVector())
        let history = try db.cachedStatement(sql: """
            INSERT INTO history(record_id, seq, applied_at, origin, authors, dots, state) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try history.execute(arguments: [
            record.id, seq, time, origin,
            Set(newDots.map(\.replica.rawValue)).sorted().joined(separator: ","),
            newDots.map { "\($0.replica.rawValue):\($0.counter)" }.joined(separator: ","),
            data,
        ])
        try SearchIndexer.update(record, rowID: rowID, replacing: previous?.record, db)
        return seq
    }

    /// The writes `record` carries beyond `old`: for each replica, the counters past old's.
    static func newDots(in record: Record, since old: VersionVector) -> [Dot] {
        record.version.counters.compactMap { replica, counter in
            counter > old[replica] ? Dot(replica: replica, counter: counter) : nil
        }.sorted()
    }
}
