import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// New stores use pages of `Schema.pageSize` bytes (a record's state is about a kilobyte: the
/// write path touches fewer, fuller pages). Stores made with SQLite's default 4 KiB pages keep
/// them and work as before.
@Suite struct PageSizeTests {
    static func pageSize(_ file: URL) throws -> Int {
        let queue = try DatabaseQueue(path: file.path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
    }

    @Test func aNewStoreHasLargerPagesAndKeepsThemAcrossWritesAndReopening() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path("gloss.sqlite")
        let store = try ReplicaStore.create(at: file, name: "alice")
        #expect(Schema.pageSize == 16384)
        try store.write { w in
            for i in 0..<300 {
                try w.update("a-\(i)", kind: .annotation) { e in
                    e.set(FieldName.document, .string("d-1"))
                    e.set(FieldName.comment, .string(String(repeating: "comment \(i) ", count: 40)))
                }
            }
        }
        try store.close()
        #expect(try Self.pageSize(file) == Schema.pageSize)
        let reopened = try ReplicaStore.open(at: file)
        defer { try? reopened.close() }
        #expect(try reopened.record("a-299")?.string(FieldName.comment) == String(repeating: "comment 299 ", count: 40))
        #expect(try reopened.records(kind: .annotation).count == 300)
    }

    /// A store made before (4 KiB pages) opens, takes writes and reads them back; its pages stay
    /// as they were (SQLite cannot change them in WAL mode, and nothing needs it to).
    @Test func aStoreWithDefaultPagesStillWorks() throws {
        let clock = TestStores.steppingClock()
        let (store, dir) = try TestStores.make(name: "alice", clock: clock)
        defer { dir.remove() }
        try store.write { w in
            try w.update("n1", kind: .note) { $0.set("body", .string("before")) }
        }
        let file = store.fileURL
        try store.close()
        // Rewrite the file with SQLite's default page size, as stores were made before.
        let queue = try DatabaseQueue(path: file.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "PRAGMA page_size = 4096")
            try db.execute(sql: "VACUUM")
        }
        try queue.close()
        #expect(try Self.pageSize(file) == 4096)

        let old = try ReplicaStore.open(at: file, clock: clock)
        try old.write { w in
            try w.update("n1", kind: .note) { $0.set("body", .string("after")) }
            for i in 0..<200 {
                try w.update("a-\(i)", kind: .annotation) { $0.set(FieldName.comment, .string("comment \(i)")) }
            }
        }
        try old.close()
        #expect(try Self.pageSize(file) == 4096)
        let reopened = try ReplicaStore.open(at: file, clock: clock)
        defer { try? reopened.close() }
        #expect(try reopened.record("n1")?.string("body") == "after")
        #expect(try reopened.history(of: "n1").map { $0.state.string("body") } == ["before", "after"])
        #expect(try reopened.records(kind: .annotation).count == 200)
    }
}
