import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// `ReplicaStore.create` builds the schema of a new store in one transaction
/// (`Schema.createFresh`) instead of running GRDB's migrator step by step: the store it makes
/// must be exactly the one the migrator makes.
@Suite struct SchemaTests {
    /// Every schema object (tables, indexes, the FTS index and its shadow tables) with its SQL,
    /// the migrations recorded as applied, and the rows the migrations themselves write.
    static func schema(_ db: Database) throws -> [String] {
        let objects = try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").map {
            "\($0["type"] as String) \($0["name"] as String) on \($0["tbl_name"] as String): \(($0["sql"] as String?) ?? "-")"
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid").map { "applied \($0)" }
        let migrationRows = try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key = 'search_seq'").map { "meta \($0)" }
        return objects + applied + migrationRows
    }

    @Test func aFreshStoreHasExactlyTheSchemaOfOneMigratedStepByStep() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let stepped = try DatabaseQueue(path: dir.path("stepped.sqlite").path)
        try Schema.migrator.migrate(stepped)
        let steppedSchema = try stepped.read { try Self.schema($0) }
        try stepped.close()

        let store = try ReplicaStore.create(at: dir.path("fresh.sqlite"), name: "fresh")
        try store.close()
        let fresh = try DatabaseQueue(path: dir.path("fresh.sqlite").path)
        defer { try? fresh.close() }
        let freshSchema = try fresh.read { try Self.schema($0) }

        #expect(steppedSchema.count > Schema.migrations.count + 10)
        #expect(freshSchema == steppedSchema)
        #expect(try fresh.read { try Schema.migrator.hasCompletedMigrations($0) })
        // And it opens as a store (the migrator finds nothing left to do).
        let reopened = try ReplicaStore.open(at: dir.path("fresh.sqlite"))
        #expect(try reopened.meta("replica_name") == "fresh")
        try reopened.close()
    }

    /// The migrations run with immediate foreign-key checks, which suits a schema without
    /// foreign keys (see `Schema.migrator`).
    @Test func theSchemaHasNoForeignKeys() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let foreignKeys = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'").flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM pragma_foreign_key_list(?)", arguments: [table]).map { "\(table): \($0)" }
            }
        }
        #expect(foreignKeys.isEmpty)
    }
}
