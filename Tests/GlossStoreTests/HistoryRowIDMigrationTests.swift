import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// The `history-v3-rowid-ids` migration rebuilds `history` without `AUTOINCREMENT` (which cost a
/// `sqlite_sequence` update per written row). History is ordered by `id`: a store written before
/// it must keep every row, with its id, and new rows must still come after all of them.
@Suite struct HistoryRowIDMigrationTests {
    static let migration = "history-v3-rowid-ids"

    /// `history` as it was made by the migrations before this one.
    static let autoincrementHistory = """
        CREATE TABLE history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            record_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            applied_at INTEGER NOT NULL,
            origin TEXT NOT NULL,
            authors TEXT NOT NULL,
            dots TEXT NOT NULL,
            state BLOB NOT NULL
        , previous BLOB);
        """

    /// Every history row, every column, in id order.
    static func rows(_ store: ReplicaStore) throws -> [[String]] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM history ORDER BY id").map { row in
                row.databaseValues.map { value in
                    if case .blob(let data) = value.storage { return "blob " + data.base64EncodedString() }
                    return "\(value)"
                }
            }
        }
    }

    /// Every schema object with its SQL.
    static func objects(_ store: ReplicaStore) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").map { "\($0)" }
        }
    }

    /// True when the store at `file` is as before the migration (read without migrating): not
    /// recorded as applied, AUTOINCREMENT on history, its greatest id in sqlite_sequence.
    static func isBeforeTheMigration(_ file: URL) throws -> Bool {
        let queue = try DatabaseQueue(path: file.path)
        defer { try? queue.close() }
        return try queue.read { db in
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = ?", arguments: [migration]) == 0
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'history'") ?? ""
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'history'")
            let maxID = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM history")
            return pending && sql.contains("AUTOINCREMENT") && sequence != nil && sequence == maxID
        }
    }

    /// Three transactions, each writing records n1 and n2 (their history ids alternate): bodies
    /// "n1 round 1" to "n2 round 3".
    static func writeInterleaved(_ store: ReplicaStore) throws {
        for round in 1...3 {
            try store.write { w in
                try w.update("n1", kind: .note) { $0.set("body", .string("n1 round \(round)")) }
                try w.update("n2", kind: .note) { $0.set("body", .string("n2 round \(round)")) }
            }
        }
    }

    static func historySQL(_ store: ReplicaStore) throws -> String {
        try store.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'history'") ?? "" }
    }

    static func sequenceRows(_ store: ReplicaStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'history'") ?? 0 }
    }

    @Test func aStoreWithAutoincrementHistoryKeepsItsRowsInOrderAndNewRowsComeAfter() throws {
        let clock = TestStores.steppingClock()
        let (store, dir) = try TestStores.make(name: "alice", clock: clock)
        let (other, otherDir) = try TestStores.make(name: "bob", clock: clock)
        defer { dir.remove(); otherDir.remove() }
        // Interleaved writes to two records, and a merged remote state.
        try Self.writeInterleaved(store)
        _ = try other.write { w in try w.update("n3", kind: .note) { $0.set("body", .string("from bob")) } }
        try store.apply(other.records(kind: .note), from: other.replicaID)
        try other.close()
        let before = try Self.rows(store)
        let n1Before = try store.history(of: "n1")
        #expect(before.count == 7)
        #expect(n1Before.map { $0.state.string("body") } == ["n1 round 1", "n1 round 2", "n1 round 3"])
        try store.close()

        try Self.turnBackTheMigration(store.fileURL)
        let old = try ReplicaStore.open(at: store.fileURL, clock: clock)
        defer { try? old.close() }

        #expect(try !Self.historySQL(old).contains("AUTOINCREMENT"))
        #expect(try Self.sequenceRows(old) == 0)
        #expect(try Self.rows(old) == before)
        #expect(try old.history(of: "n1").map(\.id) == n1Before.map(\.id))
        #expect(try old.history(of: "n1").map(\.state) == n1Before.map(\.state))
        #expect(try old.history(of: "n3").map(\.origin) == [other.replicaID.rawValue])
        #expect(try StoreInvariants.violations(in: old) == [])

        // A new write lands after every existing row, and reads as the record's latest state.
        let maxBefore = try #require(before.compactMap { Int64($0[0]) }.max())
        _ = try old.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("n1 after")) } }
        let n1After = try old.history(of: "n1")
        #expect(n1After.map { $0.state.string("body") } == ["n1 round 1", "n1 round 2", "n1 round 3", "n1 after"])
        #expect(n1After.last?.id == maxBefore + 1)
        #expect(try Self.rows(old).dropLast() == before[...])
    }

    /// Makes the store at `file` as it was before the migration: history with AUTOINCREMENT,
    /// its rows and ids copied as they are (so sqlite_sequence holds the greatest id).
    static func turnBackTheMigration(_ file: URL) throws {
        // The migrations after this one first.
        try HistoryChainMigrationTests.turnBackTheMigration(file)
        try RawSQLite.execute(file, """
            ALTER TABLE history RENAME TO history_migrated;
            DROP INDEX history_by_record;
            \(autoincrementHistory)
            INSERT INTO history SELECT * FROM history_migrated;
            DROP TABLE history_migrated;
            CREATE INDEX history_by_record ON history(record_id, id);
            DELETE FROM grdb_migrations WHERE identifier = '\(migration)';
            """)
        #expect(try isBeforeTheMigration(file))
    }

    /// A new store's schema objects, and those of the same store after one write, `turnBack`
    /// (setting a migration back) and opening again, which migrates it; `check` runs on the
    /// migrated store.
    static func schemaBeforeAndAfterMigrating(
        turnBack: (URL) throws -> Void, check: (ReplicaStore) throws -> Void = { _ in }
    ) throws -> (fresh: [String], migrated: [String]) {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let fresh = try objects(store)
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        try store.close()
        try turnBack(store.fileURL)
        let migrated = try ReplicaStore.open(at: store.fileURL)
        defer { try? migrated.close() }
        try check(migrated)
        return (fresh, try objects(migrated))
    }

    @Test func aMigratedStoreHasTheSchemaOfANewOne() throws {
        let schemas = try Self.schemaBeforeAndAfterMigrating(turnBack: Self.turnBackTheMigration) { migrated in
            let completed = try migrated.read { db in try Schema.migrator.hasCompletedMigrations(db) }
            #expect(completed)
        }
        #expect(schemas.migrated == schemas.fresh)
    }

    /// A new store never had AUTOINCREMENT on history.
    @Test func aNewStoreHasNoAutoincrementOnHistory() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        _ = try store.write { w in
            try w.update("n1", kind: .note) { $0.set("body", .string("x")) }
            try w.update("n1", kind: .note) { $0.set("body", .string("y")) }
        }
        #expect(try !Self.historySQL(store).contains("AUTOINCREMENT"))
        #expect(try Self.sequenceRows(store) == 0)
        #expect(try store.history(of: "n1").map(\.id) == [1, 2])
    }
}
