import Foundation
import GRDB
import GRDBSQLite
import GlossCore

extension ReplicaStore {
    /// Merges pulled states in one transaction with the pull cursor, like `apply`, with two
    /// shortcuts for a first sync into an empty (or nearly empty) replica:
    ///
    /// - `canonical[i]`, when not nil, is the canonical encoding of `states[i]` as received
    ///   (checked by the wire reader): a new record stores it as it is, without encoding again.
    /// - With `insertFirst`, a state is inserted as a new record straight away, without reading
    ///   the record first; only when its ID is already taken (the record exists here, or arrived
    ///   twice) does it take the general path (read, merge, save). Worth it while most states
    ///   are new; the result is the same either way.
    ///
    /// History, feed positions and the counter-reuse check are those of `apply`; the search
    /// index follows the feed as after any write (`SearchIndexer`).
    @discardableResult
    public func apply(
        _ states: [GlossCore.Record], canonical: [Data?], from peer: ReplicaID?, cursor: PullCursor?, insertFirst: Bool
    ) throws -> ApplyOutcome {
        precondition(canonical.count == states.count, "one canonical entry per state")
        do {
            return try wrapDatabaseErrors {
                try pool.write { db in
                    try applyInsertingFirst(states, canonical: canonical, from: peer, cursor: cursor, insertFirst: insertFirst, db)
                }
            }
        } catch let error as GlossError where error.code == .counterReuse {
            try? pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('rekey_required', ?)", arguments: [error.message])
            }
            throw error
        }
    }

    func applyInsertingFirst(
        _ states: [Record], canonical: [Data?], from peer: ReplicaID?, cursor: PullCursor?, insertFirst: Bool, _ db: Database
    ) throws -> ApplyOutcome {
        var outcome = ApplyOutcome()
        let time = clock()
        let origin = peer?.rawValue ?? "bundle"
        let seqs = RecordRow.SeqAllocator()
        let rows = try NewRecordRows(db)
        for (index, state) in states.enumerated() {
            // A state with a write under our own ID needs the stored record to be checked.
            if insertFirst && state.version[replicaID] == 0 {
                let data = canonical[index] ?? state.canonicalData()
                if try rows.insert(state, data: data, seq: seqs.allocate(db), sourcePeer: peer, origin: origin, at: time, db) {
                    outcome.changed += 1
                    outcome.created += 1
                    if state.isConflicted { outcome.newConflicts += 1 }
                    if state.hasDotCollision { outcome.dotCollisions += 1 }
                    continue
                }
            }
            try applyOne(state, from: peer, origin: origin, at: time, seqs: seqs, into: &outcome, db)
        }
        if let cursor { try storeCursor(cursor, at: time, db) }
        return outcome
    }
}

/// Inserts a new record's `records` and `history` rows (the rows `RecordRow.save` writes for a
/// record without a previous state), binding values straight to SQLite: the per-value
/// boxing of GRDB's `StatementArguments` weighed as much as the SQL itself on a first sync.
private struct NewRecordRows {
    let insert: Statement
    let history: Statement

    init(_ db: Database) throws {
        insert = try db.cachedStatement(sql: RecordRow.insertRecordSQL + " ON CONFLICT(id) DO NOTHING")
        history = try db.cachedStatement(sql: RecordRow.insertHistorySQL)
    }

    /// Inserts `record` as a new row with its history row; false (and nothing written) when a
    /// record with its ID exists.
    func insert(
        _ record: Record, data: Data, seq: Int64, sourcePeer: ReplicaID?, origin: String, at time: Int64, _ db: Database
    ) throws -> Bool {
        let s = insert.sqliteStatement
        sqlite3_reset(s)
        bindText(s, 1, record.id)
        bindText(s, 2, record.kind.rawValue)
        bindText(s, 3, record.string(FieldName.document))
        bindBlob(s, 4, data)
        sqlite3_bind_int64(s, 5, seq)
        bindText(s, 6, sourcePeer?.rawValue)
        sqlite3_bind_int64(s, 7, record.isDeleted ? 1 : 0)
        sqlite3_bind_int64(s, 8, record.isConflicted ? 1 : 0)
        sqlite3_bind_int64(s, 9, time)
        try step(s, db)
        guard sqlite3_changes(db.sqliteConnection) == 1 else { return false }

        let dots = RecordRow.newDots(in: record, since: VersionVector())
        let h = history.sqliteStatement
        sqlite3_reset(h)
        bindText(h, 1, record.id)
        sqlite3_bind_int64(h, 2, seq)
        sqlite3_bind_int64(h, 3, time)
        bindText(h, 4, origin)
        bindText(h, 5, RecordRow.authorsText(dots))
        bindText(h, 6, RecordRow.dotsText(dots))
        sqlite3_bind_null(h, 7)  // no previous state: the record is new
        try step(h, db)
        return true
    }

    private func step(_ s: SQLiteStatement, _ db: Database) throws {
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: sqlite3_sql(s).map { String(cString: $0) })
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bindText(_ s: SQLiteStatement, _ index: Int32, _ text: String?) {
        guard var text else { sqlite3_bind_null(s, index); return }
        if text.isEmpty { _ = sqlite3_bind_text(s, index, "", 0, Self.transient); return }
        text.withUTF8 { utf8 in
            _ = sqlite3_bind_text(s, index, UnsafeRawPointer(utf8.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(utf8.count), Self.transient)
        }
    }

    private func bindBlob(_ s: SQLiteStatement, _ index: Int32, _ data: Data) {
        data.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(s, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }
}
