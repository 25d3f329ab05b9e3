import Foundation
import GRDB
import GlossCore

/// Reading and writing the `records` and `history` rows of one record inside a transaction.
/// Every change to a record goes through `save`, so the change feed and history can never
/// disagree with the record, and the search index, which follows the feed (`SearchIndexer`),
/// sees every change.
enum RecordRow {
    struct Current {
        let rowID: Int64
        let record: Record
        /// The stored bytes of `record` (kept in history when this state is superseded).
        let data: Data
    }

    /// A history row's state, for a query over `history` aliased `h`.
    ///
    /// Each state is stored once. A history row written by `save` holds an empty `state` and, in
    /// `previous`, the state it superseded (NULL for a record's first row): the state of a row is
    /// the `previous` of the record's next row, or, for its latest row, the record's current
    /// state (`records.state`). So a local write stores its state once (in `records`), and every
    /// write only appends to history (no row is rewritten, which would split full pages). Rows
    /// written before this scheme hold their own full `state` and read as before.
    static let historyStateSQL = """
        CASE WHEN length(h.state) > 0 THEN h.state ELSE coalesce(
            (SELECT n.previous FROM history n WHERE n.record_id = h.record_id AND n.id > h.id ORDER BY n.id LIMIT 1),
            (SELECT records.state FROM records WHERE records.id = h.record_id)) END
        """

    static func fetch(_ id: String, _ db: Database) throws -> Current? {
        let statement = try db.cachedStatement(sql: "SELECT rowid, state FROM records WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        let data: Data = row[1]
        do {
            return Current(rowID: row[0], record: try Record.decode(data), data: data)
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

    /// A new record's row: id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at.
    static let insertRecordSQL = """
        INSERT INTO records(id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// A history row: record_id, seq, applied_at, origin, authors, dots, previous (the state it
    /// superseded; its own state is stored once, elsewhere: see `historyStateSQL`).
    static let insertHistorySQL = """
        INSERT INTO history(record_id, seq, applied_at, origin, authors, dots, state, previous)
        VALUES (?, ?, ?, ?, ?, ?, X'', ?)
        """

    /// Saves `record` as the new state of its row, with a new feed position (from `seqs`, one
    /// allocator per transaction; the search index catches up from it) and a history row. `previous` is the
    /// state it replaces (nil for a new record).
    static func save(
        _ record: Record, previous: Current?, origin: String, sourcePeer: ReplicaID?, at time: Int64,
        seqs: SeqAllocator, _ db: Database
    ) throws -> Int64 {
        let seq = try seqs.allocate(db)
        let data = record.canonicalData()
        let parent = record.string(FieldName.document)
        if let previous {
            let statement = try db.cachedStatement(sql: """
                UPDATE records SET state = ?, seq = ?, source_peer = ?, deleted = ?, conflicted = ?,
                    parent = ?, updated_at = ? WHERE rowid = ?
                """)
            try statement.execute(arguments: [
                data, seq, sourcePeer?.rawValue, record.isDeleted, record.isConflicted, parent, time, previous.rowID,
            ])
        } else {
            let statement = try db.cachedStatement(sql: insertRecordSQL)
            try statement.execute(arguments: [
                record.id, record.kind.rawValue, parent, data, seq, sourcePeer?.rawValue,
                record.isDeleted, record.isConflicted, time,
            ])
        }
        let newDots = newDots(in: record, since: previous?.record.version ?? VersionVector())
        let history = try db.cachedStatement(sql: insertHistorySQL)
        // The new state is stored once, in `records`; the superseded one leaves `records` and is
        // kept here (see `historyStateSQL`).
        try history.execute(arguments: [record.id, seq, time, origin, authorsText(newDots), dotsText(newDots), previous?.data])
        return seq
    }

    /// The replicas of `dots`, sorted, comma-separated.
    static func authorsText(_ dots: [Dot]) -> String {
        // One dot per replica (new dots come from a version vector): no duplicates to drop.
        if dots.count == 1 { return dots[0].replica.rawValue }
        return dots.map(\.replica).sorted().map(\.rawValue).joined(separator: ",")
    }

    /// `replica:counter` for each dot, comma-separated.
    static func dotsText(_ dots: [Dot]) -> String {
        var text = ""
        for (i, dot) in dots.enumerated() {
            if i > 0 { text += "," }
            text += dot.replica.rawValue
            text += ":"
            text += String(dot.counter)
        }
        return text
    }

    /// The writes `record` carries beyond `old`: for each replica, the counters past old's.
    static func newDots(in record: Record, since old: VersionVector) -> [Dot] {
        record.version.counters.compactMap { replica, counter in
            counter > old[replica] ? Dot(replica: replica, counter: counter) : nil
        }.sorted()
    }
}
