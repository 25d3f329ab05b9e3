import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// The `records-v2-droppable-id-index` migration rebuilds `records` with its ID unique through
/// `records_by_id` instead of a PRIMARY KEY (so a first sync can defer that index). A store
/// written before it must keep its rows and rowids (the search index refers to them), and the
/// ID must stay unique.
@Suite struct RecordsIDIndexMigrationTests {
    static let migration = "records-v2-droppable-id-index"

    /// Makes the store at `file` as it was before the migration: `records` as the first schema
    /// made it (ID as PRIMARY KEY) with `last_history` added by `history-v4-chain`, its rows and
    /// rowids copied, the migration not recorded.
    static func turnBackTheMigration(_ file: URL) throws {
        try RawSQLite.execute(file, """
            ALTER TABLE records RENAME TO records_migrated;
            DROP INDEX records_by_id; DROP INDEX records_by_kind; DROP INDEX records_by_seq; DROP INDEX records_conflicted;
            CREATE TABLE records (
                id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                parent TEXT,                 -- the document of a revision or an annotation
                state BLOB NOT NULL,         -- canonical JSON of the Record
                seq INTEGER NOT NULL,        -- position in the change feed
                source_peer TEXT,            -- peer whose state this exactly is (echo suppression)
                deleted INTEGER NOT NULL DEFAULT 0,
                conflicted INTEGER NOT NULL DEFAULT 0,
                updated_at INTEGER NOT NULL  -- ms since 1970, when this replica last changed it
            );
            ALTER TABLE records ADD COLUMN last_history INTEGER;
            INSERT INTO records(rowid, id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at, last_history)
                SELECT rowid, id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at, last_history FROM records_migrated;
            DROP TABLE records_migrated;
            CREATE UNIQUE INDEX records_by_seq ON records(seq);
            CREATE INDEX records_by_kind ON records(kind, parent);
            CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;
            DELETE FROM grdb_migrations WHERE identifier = '\(migration)';
            """)
    }

    @Test func aStoreWrittenBeforeKeepsItsRowsAndItsIDsStayUnique() throws {
        let (store, dir) = try TestStores.make(name: "old")
        defer { dir.remove() }
        _ = try store.write { w in
            // Rowids out of ID order, and one record deleted, so a copy that renumbered would show.
            for id in ["n-c", "n-a", "n-d", "n-b"] {
                try w.update(id, kind: .note) { $0.set("body", .string("withdrawn estimate \(id)")) }
            }
            try w.update("n-d", kind: .note) { $0.delete() }
        }
        try store.updateSearchIndex()
        let rows = "SELECT rowid, id, kind, parent, hex(state), seq, source_peer, deleted, conflicted, updated_at, last_history FROM records ORDER BY rowid"
        let before = try store.read { db in try Row.fetchAll(db, sql: rows).map(\.description) }
        try store.close()
        try Self.turnBackTheMigration(store.fileURL)
        let autoindex = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_records_1'"
        #expect(try DatabaseQueue(path: store.fileURL.path).read { db in try Int.fetchOne(db, sql: autoindex) } == 1)

        let migrated = try ReplicaStore.open(at: store.fileURL)
        defer { try? migrated.close() }
        #expect(try migrated.read { db in try Row.fetchAll(db, sql: rows).map(\.description) } == before)
        #expect(try migrated.search(SearchQuery(text: "withdrawn")).map(\.id).sorted() == ["n-a", "n-b", "n-c"])
        #expect(try StoreInvariants.violations(in: migrated).isEmpty)
        #expect(try migrated.read { db in try Int.fetchOne(db, sql: autoindex) } == 0)
        let duplicate = "INSERT INTO records(id, kind, state, seq, updated_at) VALUES ('n-a', 'note', X'', 999, 0)"
        #expect(throws: DatabaseError.self) { try DatabaseQueue(path: store.fileURL.path).write { db in try db.execute(sql: duplicate) } }
        _ = try migrated.write { w in try w.update("n-a", kind: .note) { $0.set("title", .string("after")) } }
        #expect(try migrated.record("n-a")?.string("title") == "after")
    }

    @Test func aMigratedStoreHasTheSchemaOfANewOne() throws {
        let schemas = try HistoryRowIDMigrationTests.schemaBeforeAndAfterMigrating(turnBack: Self.turnBackTheMigration)
        #expect(schemas.migrated == schemas.fresh)
    }
}
