import Foundation
import GRDB
import GlossCore

/// A first sync into an empty or small store loads its records with two indexes dropped and
/// builds them when the pull ends: `records_by_id` and `records_by_kind`.
///
/// Record IDs are random (`DomainID`), so each new record lands at a random place in those two
/// indexes. A pull commits a page of 2,000 records at a time, and at a million records each
/// page touched most of their leaf pages, which were all written to the WAL again at each
/// commit: the first sync of a million records took 33 s, 23x copying its rows between two
/// files, against 8.5x with IDs that arrive in order. From C (`scripts/first-sync-ids.c`, the
/// store's SQL alone, random IDs): 33.2-36.5 s with the indexes kept, 8.4 s with them built
/// after the load.
///
/// While indexes are deferred (a `meta` row per dropped index, holding the SQL that makes it):
/// - only a pull's new-record inserts run (`applyInsertingFirst`); every other write to the
///   store (a page that is not mostly new, a state that needs the stored record read, a local
///   write, a push from a peer) builds the indexes first, in its own transaction;
/// - reads by ID or by kind scan the table: correct, and slow on a large store, until the pull
///   ends;
/// - the same record can be stored twice (the store held it already, or it changed on the peer
///   during the pull and arrived again): building the indexes keeps its first row and merges the
///   later states into it by the general path, as if they had arrived after.
///
/// A store holding up to `maxRecords` records defers them (an analyst who wrote a few notes
/// before a first sync with the team's hub): building its indexes again costs little when the
/// pull is small, and saves the most when it is large. A larger store keeps them.
///
/// A pull that stops (an error, a killed process) leaves the indexes deferred; the sync engine
/// builds them when its pull ends either way, and `ReplicaStore.open` builds them when it finds
/// them still deferred.
enum DeferredIndexes {
    /// The indexes a first sync defers.
    static let names = ["records_by_id", "records_by_kind"]
    /// The writer's page cache, in KiB, while indexes are deferred and while they are built.
    /// The load appends (records, history, feed positions), so a small cache serves it; and
    /// SQLite sorts an index's keys in up to the cache's size of memory. With the writer's usual
    /// 24 MiB throughout, the search index built after the sync found the cache's pages freed by
    /// one thread and allocated again by another, which malloc did not reuse: peak RSS of the
    /// 1M-record SyncBenchmark rose from ~122 to ~143 MB.
    static let loadCacheKiB = 4096

    /// Helper threads SQLite's sorter may use while it builds the indexes (`PRAGMA threads`).
    static let sortThreads = 2

    static func setCache(_ kib: Int, _ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -\(kib)")
    }
    /// `meta` keys of deferred indexes: this prefix and the index's name.
    static let metaPrefix = "deferred_index:"

    /// Whether indexes are deferred now.
    static func pending(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM meta WHERE key >= ? AND key < ?)"),
            arguments: [metaPrefix, metaPrefix + "\u{10FFFF}"]) ?? false
    }

    /// The most records a store may hold for a pull to defer its indexes.
    static let maxRecords = 10_000

    /// Drops the deferred indexes when the store holds at most `maxRecords` records, noting how
    /// to make each again; returns whether indexes are deferred now.
    static func deferIfSmall(_ db: Database) throws -> Bool {
        if try pending(db) { return true }
        let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM records LIMIT ?)", arguments: [maxRecords + 1])!
        guard held <= maxRecords else { return false }
        for name in names {
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name])
            else { continue }
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [metaPrefix + name, sql])
            try db.execute(sql: "DROP INDEX \(name)")
        }
        return try pending(db)
    }
}

extension ReplicaStore {
    /// Builds the indexes a first sync deferred, if any (see `DeferredIndexes`), in one
    /// transaction. The sync engine calls it when a pull ends. Returns what merging records
    /// stored twice did (new conflicts among them).
    /// With `unlessAPullIsRunning`, leaves them while another process's pull is loading the
    /// store (`PullLock`).
    @discardableResult
    public func buildDeferredIndexes(unlessAPullIsRunning: Bool = false) throws -> ApplyOutcome {
        defer { pullLock.release() }
        return try wrapDatabaseErrors {
            // Checked outside a write transaction first: most calls find nothing to do.
            guard try read({ db in try DeferredIndexes.pending(db) }) else { return ApplyOutcome() }
            if unlessAPullIsRunning && pullLock.heldElsewhere() { return ApplyOutcome() }
            return try transaction { db in
                try checkIdentity(db)
                var outcome = ApplyOutcome()
                try buildDeferredIndexes(seqs: RecordRow.Batch(), into: &outcome, db)
                return outcome
            }
        }
    }

    /// Builds the deferred indexes in the caller's transaction, taking feed positions and
    /// history ids from `seqs` (the transaction's), and merges the later rows of any record
    /// stored more than once into its first, counting them in `outcome`.
    func buildDeferredIndexes(seqs: RecordRow.Batch, into outcome: inout ApplyOutcome, _ db: Database) throws {
        // Every write transaction asks (local writes, merges): a cached statement, one index probe.
        let deferred = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key"),
            arguments: [DeferredIndexes.metaPrefix, DeferredIndexes.metaPrefix + "\u{10FFFF}"])
        guard !deferred.isEmpty else { return }
        // SQLite sorts an index's keys in up to the page cache's size of memory; the load ran
        // with a small cache (`DeferredIndexes.loadCacheKiB`), and so does the sort. The writer's
        // usual cache comes back after.
        try DeferredIndexes.setCache(DeferredIndexes.loadCacheKiB, db)
        defer { try? DeferredIndexes.setCache(Self.writerCacheKiB, db) }
        // The sorter may use a helper thread for large indexes: building both indexes of a
        // 1M-record first sync took 0.77 s instead of 0.96 s, with no more memory.
        try db.execute(sql: "PRAGMA threads = \(DeferredIndexes.sortThreads)")
        defer { try? db.execute(sql: "PRAGMA threads = 0") }
        var later: [(Record, String)] = []
        for row in deferred {
            let sql: String = row["value"]
            do {
                try db.execute(sql: sql)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && later.isEmpty {
                // A record stored twice (the unique ID index refused to build): only then are the
                // duplicates looked for, which sorts every ID once more.
                later = try takeOutLaterDuplicates(db)
                try db.execute(sql: sql)
            }
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [row["key"] as String])
        }
        guard !later.isEmpty else { return }
        let time = clock()
        for (state, origin) in later {
            do {
                try applyOne(state, from: ReplicaID(origin), origin: origin, at: time, seqs: seqs, into: &outcome, db)
            } catch let error as GlossError where error.code == .invalidInput {
                // A record that arrived again as another kind: the general path refuses that
                // state, and so is it here (the store keeps the record as first received).
                continue
            }
        }
    }

    /// Deletes every row of a record stored more than once but its first (lowest rowid), with
    /// the history row and search entry of each; returns their states and origins, in the order
    /// they were stored. Only rows inserted while indexes were deferred can repeat an ID, and
    /// each of those has one history row.
    private func takeOutLaterDuplicates(_ db: Database) throws -> [(Record, String)] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.rowid, r.id, r.state, r.last_history, h.origin FROM records r LEFT JOIN history h ON h.id = r.last_history
            WHERE r.id IN (SELECT id FROM records GROUP BY id HAVING COUNT(*) > 1)
            ORDER BY r.rowid
            """)
        var seen = Set<String>(), later: [(Record, String)] = []
        for row in rows {
            let id: String = row["id"]
            guard !seen.insert(id).inserted else { continue }
            let rowID: Int64 = row["rowid"]
            later.append((try Record.decode(row["state"] as Data), row["origin"] ?? "bundle"))
            try db.execute(sql: "DELETE FROM records WHERE rowid = ?", arguments: [rowID])
            try db.execute(sql: "DELETE FROM search WHERE rowid = ?", arguments: [rowID])
            if let history: Int64 = row["last_history"] {
                try db.execute(sql: "DELETE FROM history WHERE id = ?", arguments: [history])
            }
        }
        return later
    }
}
