import Foundation
import GRDB
import GlossCore

/// The handle for local writes inside one transaction (see `ReplicaStore.write`). Each `update`
/// is one local operation: one new dot, one feed position, one history row.
public final class LocalWriter {
    /// The transaction's database connection, for domain extensions (anchors, queries).
    public let db: Database
    /// This replica.
    public let replicaID: ReplicaID
    /// The time stamped on this transaction's writes (ms since 1970).
    public let time: Int64
    /// Feed positions, prepared statements and buffers shared by this transaction's writes.
    private let batch = RecordRow.Batch()

    init(db: Database, replicaID: ReplicaID, time: Int64) {
        self.db = db
        self.replicaID = replicaID
        self.time = time
    }

    /// The current state of a record, if it exists.
    public func record(_ id: String) throws -> GlossCore.Record? {
        try RecordRow.fetch(id, with: batch.statements(db).select, db)?.record
    }

    /// Applies one local operation to record `id` (created with `kind` if new) and saves it.
    /// An operation that leaves an existing record's content as it was (a tag it already has,
    /// a value it already holds) saves nothing: no new version, no history row, nothing to sync.
    @discardableResult
    public func update(_ id: String, kind: RecordKind, _ body: (inout RecordEdit) throws -> Void) throws -> GlossCore.Record {
        guard Record.isValidID(id) else { throw GlossError(.invalidInput, "invalid record ID \(id.debugDescription)") }
        let current = try RecordRow.fetch(id, with: batch.statements(db).select, db)
        if let current, current.record.kind != kind {
            throw GlossError(.invalidInput, "\(id) is a \(current.record.kind.rawValue), not a \(kind.rawValue)")
        }
        var record = current?.record ?? Record(id: id, kind: kind)
        try record.edit(by: replicaID, at: time) { edit in try body(&edit) }
        if let current, record.hasSameContent(as: current.record) { return current.record }
        // The edit advanced this replica's counter once and nothing else in the vector: its one
        // new write is this dot.
        let dot = Dot(replica: replicaID, counter: record.version[replicaID])
        _ = try RecordRow.save(
            record, previous: current, origin: "local", sourcePeer: nil, at: time, seqs: batch, localDot: dot, db)
        return record
    }
}

extension ReplicaStore {
    /// Runs local writes in one transaction: all of them land, or none.
    ///
    /// Refused while the store awaits a new replica ID (its counters were found to go back), and
    /// when another process gave the store a new one since this object opened it.
    public func write<T>(_ body: (LocalWriter) throws -> T) throws -> T {
        try wrapDatabaseErrors {
            try transaction { db in
                if try checkIdentity(db) {
                    throw GlossError(
                        .counterReuse,
                        "this store's replica ID \(replicaID.short) has writes elsewhere that this copy lacks (it was restored from a backup or copied). Writing under it would lose updates. Run `gloss rekey` to take a new replica ID, then sync.")
                }
                // A first sync in progress (or stopped) deferred two indexes: a local write reads
                // by ID, so it builds them first (DeferredIndexes).
                var merged = ApplyOutcome()
                try buildDeferredIndexes(seqs: RecordRow.Batch(), into: &merged, db)
                return try body(LocalWriter(db: db, replicaID: replicaID, time: clock()))
            }
        }
    }

    /// Throws when the store's replica ID is no longer the one this object opened it with
    /// (`gloss rekey` ran in another process, e.g. beside `gloss serve`): writing under the old
    /// ID from here would reuse the counters that rekey gave up. Returns whether the store awaits
    /// a rekey. One statement, read in the caller's transaction.
    @discardableResult
    func checkIdentity(_ db: Database) throws -> Bool {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT (SELECT value FROM meta WHERE key = 'replica_id'), (SELECT value FROM meta WHERE key = 'rekey_required')
            """))
        let stored: String? = row?[0]
        guard stored == replicaID.rawValue else {
            throw GlossError(
                .conflict,
                "this store's replica ID changed to \(stored.flatMap(ReplicaID.init)?.short ?? "?") (`gloss rekey`) after this process opened it, under \(replicaID.short); nothing was written. Run the command again (restart `gloss serve` if it serves this store).")
        }
        return row?[1] as String? != nil
    }

    /// The current state of a record, if it exists.
    public func record(_ id: String) throws -> GlossCore.Record? {
        try read { db in try RecordRow.fetch(id, db)?.record }
    }

    /// Every record of `kind` (deleted ones included when `includeDeleted`).
    public func records(kind: RecordKind, includeDeleted: Bool = false) throws -> [GlossCore.Record] {
        try read { db in
            let sql = "SELECT state FROM records WHERE kind = ?" + (includeDeleted ? "" : " AND deleted = 0") + " ORDER BY rowid"
            return try Data.fetchAll(db, sql: sql, arguments: [kind.rawValue]).map { try Record.decode($0) }
        }
    }

    /// Record IDs starting with `prefix` (for short IDs typed by people), optionally of one kind.
    public func recordIDs(withPrefix prefix: String, kind: RecordKind? = nil) throws -> [String] {
        try read { db in
            let escaped = prefix.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            var sql = "SELECT id FROM records WHERE id LIKE ? ESCAPE '\\'"
            var arguments: StatementArguments = [escaped + "%"]
            if let kind {
                sql += " AND kind = ?"
                arguments += [kind.rawValue]
            }
            return try String.fetchAll(db, sql: sql + " ORDER BY id LIMIT 20", arguments: arguments)
        }
    }
}
