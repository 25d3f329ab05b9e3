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
    ///   are new; the result is the same either way. Consecutive new records are inserted
    ///   `NewRecordRows.groupSize` at a time, one statement for their `records` rows and one
    ///   for their history rows (see `NewRecordRows`).
    ///
    /// History, feed positions and the counter-reuse check are those of `apply`; the search
    /// index follows the feed as after any write (`SearchIndexer`).
    @discardableResult
    public func apply(
        _ states: [GlossCore.Record], canonical: [Data?], from peer: ReplicaID?, cursor: PullCursor?, insertFirst: Bool
    ) throws -> ApplyOutcome {
        precondition(canonical.count == states.count, "one canonical entry per state")
        return try recordingCounterReuse {
            try wrapDatabaseErrors {
                try pool.write { db in
                    try checkIdentity(db)
                    return try applyInsertingFirst(states, canonical: canonical, from: peer, cursor: cursor, insertFirst: insertFirst, db)
                }
            }
        }
    }

    func applyInsertingFirst(
        _ states: [Record], canonical: [Data?], from peer: ReplicaID?, cursor: PullCursor?, insertFirst: Bool, _ db: Database
    ) throws -> ApplyOutcome {
        var outcome = ApplyOutcome()
        let time = clock()
        let origin = peer?.rawValue ?? "bundle"
        let seqs = RecordRow.Batch()
        // Into an empty or small store, new records go in with two indexes deferred (see
        // DeferredIndexes); anything else builds them first.
        var deferred = insertFirst ? try DeferredIndexes.deferIfSmall(db) : false
        // A record twice in one page (a peer's page never holds one twice) goes by the general path.
        if !insertFirst || (deferred && Set(states.lazy.map(\.id)).count < states.count) {
            try buildDeferredIndexes(seqs: seqs, into: &outcome, db)
            deferred = false
        }
        if deferred {
            try DeferredIndexes.setCache(DeferredIndexes.loadCacheKiB, db)
            pullLock.hold()
        }
        var rows = try NewRecordRows(db, idIndexed: !deferred)
        // Indices of consecutive states waiting to be inserted as a group (feed positions follow
        // the order of `states`, so a state taking another path first stores those before it).
        var waiting: [Int] = []
        waiting.reserveCapacity(NewRecordRows.groupSize)
        func insertWaiting(asGroup: Bool) throws {
            defer { waiting.removeAll(keepingCapacity: true) }
            if asGroup,
                try rows.insertGroup(
                    waiting, of: states, canonical: canonical, sourcePeer: peer, origin: origin, at: time, seqs: seqs, db)
            {
                for index in waiting { outcome.countCreated(states[index]) }
                return
            }
            // One at a time: each inserted, or, when its ID is taken, merged by the general path.
            for index in waiting {
                let state = states[index]
                let seq = try seqs.allocate(db)
                if try rows.insert(
                    state, data: canonical[index] ?? state.canonicalData(), seq: seq, sourcePeer: peer, origin: origin, at: time,
                    batch: seqs, db)
                {
                    outcome.countCreated(state)
                } else {
                    seqs.release(from: seq)
                    try applyOne(state, from: peer, origin: origin, at: time, seqs: seqs, into: &outcome, db)
                }
            }
        }
        for (index, state) in states.enumerated() {
            // A state with a write under our own ID needs the stored record to be checked.
            guard insertFirst && state.version[replicaID] == 0 else {
                try insertWaiting(asGroup: false)
                if deferred {
                    // The general path reads the stored record: by ID, with the index.
                    try buildDeferredIndexes(seqs: seqs, into: &outcome, db)
                    deferred = false
                    rows = try NewRecordRows(db, idIndexed: true)
                }
                try applyOne(state, from: peer, origin: origin, at: time, seqs: seqs, into: &outcome, db)
                continue
            }
            waiting.append(index)
            if waiting.count == NewRecordRows.groupSize { try insertWaiting(asGroup: true) }
        }
        try insertWaiting(asGroup: false)
        if let cursor { try storeCursor(cursor, at: time, db) }
        return outcome
    }
}

/// Inserts new records' `records` and `history` rows (the rows `RecordRow.save` writes for a
/// record without a previous state) with states already encoded: one at a time, or a group of
/// `groupSize` with one statement for the records rows and one for the history rows. A
/// multi-row statement keeps SQLite's cursors on each B-tree between rows instead of opening
/// and positioning them for every row: from C (scripts/first-sync-floor.c), 1M first-sync rows
/// took 7.1-7.9 s in groups of 100 against 10.3-11.5 s one row per statement, and 6.5-7.4 s as
/// an `INSERT ... SELECT`.
private struct NewRecordRows {
    static let groupSize = 100
    private static let insertGroupSQL = RecordRow.insertRecordsSQL(rows: groupSize)
    private static let historyGroupSQL = RecordRow.insertHistorySQL(rows: groupSize)

    let insertOne: RawStatement

    /// `idIndexed` false while `records_by_id` is deferred: then every insert succeeds, and a
    /// record that arrives twice is stored twice until the index is built (DeferredIndexes).
    init(_ db: Database, idIndexed: Bool) throws {
        insertOne = try RawStatement(db, sql: RecordRow.insertRecordSQL + (idIndexed ? " ON CONFLICT(id) DO NOTHING" : ""))
    }

    /// Inserts `record` as a new row with its history row; false (and nothing written) when a
    /// record with its ID exists (and `records_by_id` is there to tell).
    func insert(
        _ record: Record, data: Data, seq: Int64, sourcePeer: ReplicaID?, origin: String, at time: Int64,
        batch: RecordRow.Batch, _ db: Database
    ) throws -> Bool {
        let historyID = try batch.allocateHistory(1, db)
        try data.withUnsafeBytes { state in
            try RecordRow.insertRow(
                insertOne, record, parent: record.string(FieldName.document), state: state, seq: seq, sourcePeer: sourcePeer,
                at: time, history: historyID, db)
        }
        guard insertOne.changes(db) == 1 else {
            batch.releaseHistory(from: historyID)
            return false
        }
        // No previous state: the record is new, its history row the first of its chain.
        try RecordRow.appendHistory(
            historyID, record.id, seq: seq, at: time, origin: origin, dots: RecordRow.newDots(in: record, since: VersionVector()),
            previous: nil, prev: nil, batch.statements(db).history, batch, db)
        return true
    }

    /// Inserts the states at `group` (`groupSize` indices into `states`) as new records with
    /// their history rows, at consecutive feed positions from `seqs`; false, with nothing written
    /// and no position taken, when an ID is taken (by a stored record, or twice in the group).
    func insertGroup(
        _ group: [Int], of states: [Record], canonical: [Data?], sourcePeer: ReplicaID?, origin: String, at time: Int64,
        seqs: RecordRow.Batch, _ db: Database
    ) throws -> Bool {
        precondition(group.count == Self.groupSize, "a whole group")
        // Prepared on a connection's first group, not for every transaction that has none.
        let insertMany = try RawStatement(db, sql: Self.insertGroupSQL)
        let historyMany = try RawStatement(db, sql: Self.historyGroupSQL)
        let first = try seqs.allocate(group.count, db)
        let firstHistory = try seqs.allocateHistory(group.count, db)
        insertMany.reset()
        for (k, index) in group.enumerated() {
            let record = states[index]
            let data = canonical[index] ?? record.canonicalData()
            data.withUnsafeBytes { state in
                RecordRow.bindRecordRow(
                    insertMany, after: Int32(k) * RecordRow.recordRowParameters, record, parent: record.string(FieldName.document),
                    state: state, seq: first + Int64(k), sourcePeer: sourcePeer, at: time, history: firstHistory + Int64(k))
            }
        }
        do {
            try insertMany.execute(db)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // SQLite undid this statement's rows (the default ABORT); the transaction goes on.
            seqs.release(from: first)
            seqs.releaseHistory(from: firstHistory)
            return false
        }
        historyMany.reset()
        for (k, index) in group.enumerated() {
            let record = states[index]
            RecordRow.bindHistoryRow(
                historyMany, after: Int32(k) * RecordRow.historyRowParameters, firstHistory + Int64(k), record.id,
                seq: first + Int64(k), at: time, origin: origin, dots: RecordRow.newDots(in: record, since: VersionVector()),
                previous: nil, prev: nil, seqs)
        }
        try historyMany.execute(db)
        return true
    }
}
