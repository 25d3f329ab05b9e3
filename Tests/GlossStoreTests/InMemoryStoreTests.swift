import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// `ReplicaStore.inMemory` (what the randomized sync tests run most seeds on) is the store of a
/// file, without the file: the same schema, the same writes, feed, history and merge.
@Suite struct InMemoryStoreTests {
    /// Every table, index, trigger and view, with its SQL, and the settings a store is made with.
    static func schema(_ store: ReplicaStore) throws -> [String] {
        try store.read { db in
            let objects = try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
                .map { "\($0["type"] as String) \($0["name"] as String): \($0["sql"] as String? ?? "")" }
            let settings = try ["page_size", "application_id", "user_version"].map { pragma in
                "\(pragma) = \(try Int.fetchOne(db, sql: "PRAGMA \(pragma)") ?? -1)"
            }
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            return objects + settings + migrations
        }
    }

    @Test func holdsTheSchemaAndIdentityOfAFileStore() throws {
        let (file, dir) = try TestStores.make(name: "alice")
        defer { dir.remove() }
        defer { try? file.close() }
        let memory = try ReplicaStore.inMemory(name: "bob")
        defer { try? memory.close() }
        let expected = try Self.schema(file)
        #expect(expected.count > 20)
        #expect(try Self.schema(memory) == expected)
        #expect(memory.name == "bob")
        #expect(try memory.meta("replica_id") == memory.replicaID.rawValue)
        #expect(try memory.meta("schema_version") == String(Schema.version))
        #expect(memory.replicaID != file.replicaID)
    }

    @Test func writesMergesFeedsAndHistoryBehaveAsOnAFile() throws {
        let clock = TestStores.steppingClock()
        let alice = try ReplicaStore.inMemory(name: "alice", clock: clock)
        let bob = try ReplicaStore.inMemory(name: "bob", clock: clock)
        defer { try? alice.close(); try? bob.close() }
        try alice.write { w in
            try w.update("n1", kind: .note) { $0.set(FieldName.body, .string("from alice")) }
        }
        try bob.write { w in
            try w.update("n1", kind: .note) { $0.set(FieldName.body, .string("from bob")) }
        }
        // Two stores in memory are two databases: neither sees the other's write.
        #expect(try alice.record("n1")?.string(FieldName.body) == "from alice")
        #expect(try bob.record("n1")?.string(FieldName.body) == "from bob")

        let fromBob = try bob.changes(since: 0, limit: 10).states.map { try GlossCore.Record.decode($0) }
        #expect(fromBob.map(\.id) == ["n1"])
        try alice.apply(fromBob, from: bob.replicaID)
        let merged = try #require(try alice.record("n1"))
        #expect(merged.isConflicted)
        #expect(merged.conflictedFields == [FieldName.body])
        #expect(Set(merged.fields[FieldName.body]?.siblings.compactMap(\.value.string) ?? []) == ["from alice", "from bob"])
        #expect(try alice.history(of: "n1").count == 2)
        // Applying the same state again changes nothing.
        let seq = try alice.currentSeq()
        try alice.apply(fromBob, from: bob.replicaID)
        #expect(try alice.currentSeq() == seq)
        #expect(try alice.history(of: "n1").count == 2)
        #expect(try alice.conflictedRecordIDs() == ["n1"])
    }
}
