import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// The `history-v4-chain` migration links each record's history rows (`history.prev`,
/// `records.last_history`) and drops the index by record. A store written before it must read
/// the same history afterwards, and go on linking new rows.
@Suite struct HistoryChainMigrationTests {
    static let migration = "history-v4-chain"

    /// Makes the store at `file` as it was before the migration: no links, the index by record,
    /// the migration not recorded.
    static func turnBackTheMigration(_ file: URL) throws {
        // The migrations after this one first.
        try RecordsIDIndexMigrationTests.turnBackTheMigration(file)
        try RawSQLite.execute(file, """
            ALTER TABLE history DROP COLUMN prev;
            ALTER TABLE records DROP COLUMN last_history;
            CREATE INDEX history_by_record ON history(record_id, id);
            DELETE FROM grdb_migrations WHERE identifier = '\(migration)';
            """)
    }

    /// Every record's history (id, origin, state) and the whole log's text, as the store reads them.
    static func everything(_ store: ReplicaStore) throws -> [String] {
        var lines: [String] = []
        for id in ["n1", "n2", "n3", "n4"] {
            for entry in try store.history(of: id) {
                lines.append("\(id) \(entry.id) \(entry.seq) \(entry.origin) \(entry.newDots) \(String(decoding: try entry.state.canonicalData(), as: UTF8.self))")
            }
        }
        for conflict in try store.openConflicts() {
            lines.append("ancestor of \(conflict.recordID): \(String(describing: try store.ancestor(of: conflict)))")
        }
        for entry in try store.log() {
            lines.append("log \(entry.recordID) \(entry.seq) \(entry.origin) \(entry.change)")
        }
        return lines
    }

    @Test func aStoreWrittenBeforeTheChainReadsTheSameHistoryAndLinksNewRows() throws {
        let clock = TestStores.steppingClock()
        let (store, dir) = try TestStores.make(name: "alice", clock: clock)
        let (other, otherDir) = try TestStores.make(name: "bob", clock: clock)
        defer { dir.remove(); otherDir.remove() }
        // Interleaved writes to two records in several transactions, remote records, and a
        // conflict (concurrent edits of one field).
        try HistoryRowIDMigrationTests.writeInterleaved(store)
        _ = try other.write { w in
            try w.update("n3", kind: .note) { $0.set("body", .string("from bob")) }
            try w.update("n4", kind: .note) { $0.set("title", .string("both")) }
        }
        try store.apply(other.records(kind: .note), from: other.replicaID)
        _ = try store.write { w in try w.update("n4", kind: .note) { $0.set("title", .string("alice's")) } }
        _ = try other.write { w in try w.update("n4", kind: .note) { $0.set("title", .string("bob's")) } }
        try store.apply(other.records(kind: .note), from: other.replicaID)
        #expect(try store.conflictedRecordIDs() == ["n4"])
        try other.close()
        let before = try Self.everything(store)
        #expect(try store.history(of: "n1").map { $0.state.string("body") } == ["n1 round 1", "n1 round 2", "n1 round 3"])
        #expect(try store.history(of: "n4").count == 3)
        try store.close()

        try Self.turnBackTheMigration(store.fileURL)
        let old = try ReplicaStore.open(at: store.fileURL, clock: clock)
        defer { try? old.close() }
        #expect(try Self.everything(old) == before)
        #expect(try StoreInvariants.violations(in: old) == [])
        #expect(try old.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'history_by_record'")
        } == 0)

        // A new write links to the record's last row, and reads as its latest state.
        _ = try old.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("n1 after")) } }
        #expect(try old.history(of: "n1").map { $0.state.string("body") } == ["n1 round 1", "n1 round 2", "n1 round 3", "n1 after"])
        #expect(try StoreInvariants.violations(in: old) == [])
    }

    @Test func aMigratedStoreHasTheSchemaOfANewOne() throws {
        let schemas = try HistoryRowIDMigrationTests.schemaBeforeAndAfterMigrating(turnBack: Self.turnBackTheMigration)
        #expect(schemas.migrated == schemas.fresh)
    }
}
