import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// Opening refuses wrong files with a clear error and leaves them byte-for-byte untouched.
@Suite struct StoreOpeningTests {
    @Test func aFileThatIsNotSQLiteIsRefusedAndUntouched() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("notes.txt")
        let bytes = Data("these are my notes, not a database\n".utf8)
        try bytes.write(to: file)
        let error = #expect(throws: GlossError.self) { try ReplicaStore.open(at: file) }
        #expect(error?.code == .notAStore)
        #expect(try Data(contentsOf: file) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["notes.txt"])
    }

    @Test func aStoreFromANewerSchemaIsRefusedAndUntouched() throws {
        let error = try openingRefused(afterChanging: "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        #expect(error?.message.contains("99") == true)
    }

    /// A newer gloss may add a migration without a new schema version (an index, a table); a
    /// store it upgraded names that migration, and this build refuses it instead of misreading.
    @Test func aStoreUpgradedByANewerGlossIsRefusedAndUntouched() throws {
        let error = try openingRefused(
            afterChanging: "INSERT INTO grdb_migrations(identifier) VALUES ('history-v9-from-the-future')")
        #expect(error?.message.contains("history-v9-from-the-future") == true)
    }

    /// Runs `sql` on a store holding one note, then expects opening it, for writing and for
    /// reading, to be refused as too new with the file left byte-for-byte as it was.
    private func openingRefused(afterChanging sql: String) throws -> GlossError? {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        try store.close()
        try RawSQLite.execute(store.fileURL, sql)
        let before = try Data(contentsOf: store.fileURL)
        let error = #expect(throws: GlossError.self) { try ReplicaStore.open(at: store.fileURL) }
        #expect(error?.code == .schemaTooNew)
        let reading = #expect(throws: GlossError.self) { try ReplicaStore.openForReading(at: store.fileURL) }
        #expect(reading?.code == .schemaTooNew)
        #expect(try Data(contentsOf: store.fileURL) == before)
        return error
    }

    /// Opening a store from an older gloss says it upgrades it (once) before doing so.
    @Test func upgradingAStoreFromAnOlderGlossIsAnnouncedOnce() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        try store.close()
        try RawSQLite.execute(store.fileURL, """
            DROP INDEX anchors_by_revision;
            DELETE FROM grdb_migrations WHERE identifier = 'show-v1-anchors-by-revision';
            """)
        var announced = 0
        let upgraded = try ReplicaStore.open(at: store.fileURL, willUpgrade: { announced += 1 })
        #expect(announced == 1)
        #expect(try upgraded.record("n1")?.string("body") == "x")
        try upgraded.close()
        _ = try ReplicaStore.open(at: store.fileURL, willUpgrade: { announced += 1 })
        #expect(announced == 1)
    }

    @Test func aMissingStoreIsAClearError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let error = #expect(throws: GlossError.self) { try ReplicaStore.open(at: dir.path("nowhere/gloss.sqlite")) }
        #expect(error?.code == .storeNotFound)
        #expect(!FileManager.default.fileExists(atPath: dir.path("nowhere").path))
    }

    @Test func creatingWhereAStoreExistsIsRefused() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let id = store.replicaID
        let error = #expect(throws: GlossError.self) { try ReplicaStore.create(at: store.fileURL) }
        #expect(error?.code == .storeExists)
        #expect(try ReplicaStore.open(at: store.fileURL).replicaID == id)
    }

    @Test func anotherProgramsSQLiteDatabaseIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("other.sqlite")
        try RawSQLite.execute(file, "CREATE TABLE t(x)")
        let before = try Data(contentsOf: file)
        let error = #expect(throws: GlossError.self) { try ReplicaStore.open(at: file) }
        #expect(error?.code == .notAStore)
        #expect(try Data(contentsOf: file) == before)
    }

    /// After `close` the database file alone holds everything: a copy of `gloss.sqlite` made
    /// then (a backup, a store carried to another machine) misses nothing. GRDB closes the
    /// writer before the readers, and a reader closing last cannot copy the WAL back, so a store
    /// that served reads (as `gloss serve` does) used to leave its last writes in the WAL only.
    @Test func afterCloseTheDatabaseFileAloneHoldsEveryWrite() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("gloss.sqlite")
        let store = try ReplicaStore.create(at: file)
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("first")) } }
        #expect(try store.record("n1") != nil)  // a reader connection, open until close
        _ = try store.write { w in try w.update("n2", kind: .note) { $0.set("body", .string("last")) } }
        try store.close()
        let copy = dir.path("copy/gloss.sqlite")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: file, to: copy)
        let reopened = try ReplicaStore.open(at: copy)
        defer { try? reopened.close() }
        #expect(try reopened.record("n2")?.string("body") == "last")
    }

    /// The store holds remotes' bearer tokens: other users of the machine must not read it.
    @Test func aNewStoreAndItsWALAreReadableByTheOwnerOnly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path(".gloss/gloss.sqlite")
        let store = try ReplicaStore.create(at: file)
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        func mode(_ url: URL) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
        }
        #expect(try mode(file) == 0o600)
        #expect(try mode(URL(fileURLWithPath: file.path + "-wal")) == 0o600)
        #expect(try mode(file.deletingLastPathComponent()) == 0o700)
        try store.close()
    }
}
