import Foundation
import GRDB
import GlossCore

/// Reading history rows with their states.
///
/// How history is stored (`RecordRow.save` writes it):
/// - Each state is stored once. A history row holds an empty `state` and, in `previous`, the
///   state it superseded (NULL for a record's first row). So the state of a row is the `previous`
///   of the record's next row, or, for its latest row, the record's current state
///   (`records.state`). Rows written before `history-v2-states-stored-once` hold their own full
///   `state`, and read as before.
/// - A record's rows are linked: `history.prev` is the record's row before this one (NULL for
///   its first), and `records.last_history` its latest. History has no index by record (see the
///   `history-v4-chain` migration): a record's rows are read by following the links, newest
///   first, which also hands each row the state it needs from the row after it.
///
/// History is only appended to, with ids in the order rows are written, so a record's rows in
/// id order are the order it changed in.
enum HistoryChain {
    /// One history row with its state.
    struct Row {
        let id: Int64
        let recordID: String
        let seq: Int64
        let appliedAt: Int64
        let origin: String
        let dots: String
        let state: Data
    }

    /// The rows of `recordID`, oldest first (none for an unknown record).
    static func rows(of recordID: String, _ db: Database) throws -> [Row] {
        // `chain(hid, carried)`: a row of the record and the state it stands for unless it holds
        // its own (the latest row: the record's state; another: the next row's `previous`).
        let sql = """
            WITH RECURSIVE chain(hid, carried) AS (
                SELECT last_history, state FROM records WHERE id = ?
                UNION ALL
                SELECT h.prev, h.previous FROM chain JOIN history h ON h.id = chain.hid WHERE h.prev IS NOT NULL
            )
            SELECT h.id, h.record_id, h.seq, h.applied_at, h.origin, h.dots,
                   CASE WHEN length(h.state) > 0 THEN h.state ELSE chain.carried END
            FROM chain JOIN history h ON h.id = chain.hid ORDER BY h.id
            """
        let cursor = try GRDB.Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [recordID])
        var rows: [Row] = []
        while let row = try cursor.next() {
            rows.append(try Row(
                id: row[0], recordID: row[1], seq: row[2], appliedAt: row[3], origin: row[4], dots: row[5],
                state: state(row[6], recordID: row[1], seq: row[2])))
        }
        return rows
    }

    /// Every history row of the store, oldest first: one pass over history, newest first,
    /// carrying each record's `previous` down to the row before it.
    static func allRows(_ db: Database) throws -> [Row] {
        let cursor = try GRDB.Row.fetchCursor(db, sql: """
            SELECT id, record_id, seq, applied_at, origin, dots, state, previous FROM history ORDER BY id DESC
            """)
        let current = try db.cachedStatement(sql: "SELECT state FROM records WHERE id = ?")
        var carried: [String: Data?] = [:]
        var rows: [Row] = []
        while let row = try cursor.next() {
            let recordID: String = row[1]
            let own: Data = row[6]
            let stands: Data?
            if let next = carried[recordID] {
                stands = next
            } else {
                stands = try Data.fetchOne(current, arguments: [recordID])
            }
            carried[recordID] = row[7] as Data?
            rows.append(try Row(
                id: row[0], recordID: recordID, seq: row[2], appliedAt: row[3], origin: row[4], dots: row[5],
                state: own.isEmpty ? state(stands, recordID: recordID, seq: row[2]) : own))
        }
        return rows.reversed()
    }

    private static func state(_ data: Data?, recordID: String, seq: Int64) throws -> Data {
        guard let data, !data.isEmpty else {
            throw GlossError(.io, "the history of record \(recordID) lost the state it applied at feed position \(seq)")
        }
        return data
    }
}
