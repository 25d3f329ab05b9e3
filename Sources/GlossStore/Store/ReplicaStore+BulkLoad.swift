import Foundation
import GRDB
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
        let seqs = RecordRow.Batch()
        let rows = try NewRecordRows(db)
        for (index, state) in states.enumerated() {
            // A state with a write under our own ID needs the stored record to be checked.
            if insertFirst && state.version[replicaID] == 0 {
                let data = canonical[index] ?? state.canonicalData()
                if try rows.insert(
                    state, data: data, seq: seqs.allocate(db), sourcePeer: peer, origin: origin, at: time, batch: seqs, db)
                {
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
/// record without a previous state) with a state already encoded, or returns false when the ID
/// is taken.
private struct NewRecordRows {
    let insert: RawStatement

    init(_ db: Database) throws {
        insert = try RawStatement(db, sql: RecordRow.insertRecordSQL + " ON CONFLICT(id) DO NOTHING")
    }

    /// Inserts `record` as a new row with its history row; false (and nothing written) when a
    /// record with its ID exists.
    func insert(
        _ record: Record, data: Data, seq: Int64, sourcePeer: ReplicaID?, origin: String, at time: Int64,
        batch: RecordRow.Batch, _ db: Database
    ) throws -> Bool {
        try data.withUnsafeBytes { state in
            try RecordRow.insertRow(
                insert, record, parent: record.string(FieldName.document), state: state, seq: seq, sourcePeer: sourcePeer, at: time, db)
        }
        guard insert.changes(db) == 1 else { return false }
        // No previous state: the record is new.
        try RecordRow.appendHistory(
            record.id, seq: seq, at: time, origin: origin, dots: RecordRow.newDots(in: record, since: VersionVector()),
            previous: nil, batch.statements(db).history, batch, db)
        return true
    }
}
