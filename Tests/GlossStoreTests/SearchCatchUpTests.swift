import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// The search index is brought up to date from the change feed before each search, not on each
/// write: what a person searches for right after a local write, a merge, a delete or a crash is
/// what the records hold, each hit once.
@Suite struct SearchCatchUpTests {
    private func ids(_ store: ReplicaStore, _ text: String) throws -> [String] {
        try store.search(SearchQuery(text: text)).map(\.id).sorted()
    }

    /// A long catch-up (10-13 s after a first sync of a million records) says how far it got:
    /// every `interval` records and at the end, out of the records changed since the index was
    /// last current; one with nothing to do says nothing.
    @Test func aCatchUpReportsItsProgress() throws {
        let (a, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try a.write { w in
            for i in 0..<25 { try w.update("n\(i)", kind: .note) { $0.set("body", .string("Tartus report \(i)")) } }
        }
        var reports: [[Int]] = []
        #expect(try a.updateSearchIndex(every: 10) { reports.append([$0, $1]) } == 25)
        #expect(reports == [[10, 25], [20, 25], [25, 25]])
        _ = try a.write { w in for i in 0..<3 { try w.update("n\(i)", kind: .note) { $0.set("title", .string("edited")) } } }
        reports = []
        #expect(try a.updateSearchIndex(every: 10) { reports.append([$0, $1]) } == 3)
        #expect(reports == [[3, 3]])
        reports = []
        #expect(try a.updateSearchIndex(every: 10) { reports.append([$0, $1]) } == 0)
        #expect(reports.isEmpty)
        #expect(try ids(a, "edited") == ["n0", "n1", "n2"])
    }

    @Test func searchSeesLocalWritesEditsAndDeletesAtOnce() throws {
        let (a, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try a.write { w in
            try w.update("n1", kind: .note) { $0.set("body", .string("Hmeimim airbase")) }
            try w.update("n2", kind: .note) { $0.set("title", .string("Hmeimim")); $0.set("body", .string("Tartus")) }
        }
        #expect(try ids(a, "hmeimim") == ["n1", "n2"])
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("Latakia port")) } }
        #expect(try ids(a, "hmeimim") == ["n2"])
        #expect(try ids(a, "latakia") == ["n1"])
        // Several changes to one record between two searches: the last one counts.
        _ = try a.write { w in try w.update("n2", kind: .note) { $0.add("withdrawal", to: "tags") } }
        _ = try a.write { w in try w.update("n2", kind: .note) { $0.set("title", .string("Palmyra")) } }
        #expect(try ids(a, "hmeimim").isEmpty)
        #expect(try ids(a, "withdrawal") == ["n2"])
        #expect(try ids(a, "palmyra") == ["n2"])
        _ = try a.write { w in try w.update("n2", kind: .note) { $0.delete() } }
        #expect(try ids(a, "palmyra").isEmpty)
        #expect(try ids(a, "tartus").isEmpty)
    }

    @Test func searchSeesMergedStatesAtOnce() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let first = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("Hmeimim airbase")) } }
        #expect(try ids(a, "hmeimim") == ["n1"])
        try b.apply([first], from: a.replicaID)
        #expect(try ids(b, "hmeimim") == ["n1"])
        // B edits the text, A merges it: A's search finds the new words, not the old ones.
        let edited = try b.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("Tartus naval base")) } }
        let other = try b.write { w in try w.update("n2", kind: .note) { $0.set("body", .string("Latakia")) } }
        try a.apply([edited, other], from: b.replicaID)
        #expect(try ids(a, "hmeimim").isEmpty)
        #expect(try ids(a, "tartus") == ["n1"])
        #expect(try ids(a, "latakia") == ["n2"])
        // A delete arriving by merge takes the record out of the results.
        let deleted = try b.write { w in try w.update("n2", kind: .note) { $0.delete() } }
        try a.apply([deleted], from: b.replicaID)
        #expect(try ids(a, "latakia").isEmpty)
    }

    @Test func writesLeftUnindexedByACrashAreFoundAfterReopening() throws {
        let (a, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("Hmeimim airbase")) } }
        #expect(try ids(a, "hmeimim") == ["n1"])
        // Writes, then the process ends before any search (the index is behind the feed).
        _ = try a.write { w in
            try w.update("n1", kind: .note) { $0.set("body", .string("Tartus")) }
            try w.update("n2", kind: .note) { $0.set("body", .string("Latakia")) }
        }
        try a.close()
        let reopened = try ReplicaStore.open(at: dir.path("gloss.sqlite"))
        defer { try? reopened.close() }
        #expect(try ids(reopened, "hmeimim").isEmpty)
        #expect(try ids(reopened, "tartus") == ["n1"])
        #expect(try ids(reopened, "latakia") == ["n2"])
    }

    @Test func reindexingFromAnOlderCursorNeverDuplicatesAHit() throws {
        let (a, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try a.write { w in
            for i in 0..<20 { try w.update("n\(i)", kind: .note) { $0.set("body", .string("Hmeimim \(i)")) } }
        }
        #expect(try a.search(SearchQuery(text: "hmeimim", limit: 100)).count == 20)
        _ = try a.write { w in try w.update("n3", kind: .note) { $0.set("body", .string("Tartus")) } }
        try a.close()
        // The index already holds rows the cursor says are not indexed (as after an older gloss
        // or a bulk load wrote them): catching up again must leave one row per record.
        let file = dir.path("gloss.sqlite")
        try RawSQLite.execute(file, "UPDATE meta SET value = '0' WHERE key = 'search_seq'")
        let reopened = try ReplicaStore.open(at: file)
        defer { try? reopened.close() }
        let hits = try reopened.search(SearchQuery(text: "hmeimim", limit: 100))
        #expect(hits.count == 19)
        #expect(Set(hits.map(\.id)).count == 19)
        #expect(try ids(reopened, "tartus") == ["n3"])
        #expect(try reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search") } == 20)
    }

    @Test func aStoreIndexedBeforeTheCursorExistedIsNotReindexed() throws {
        let (a, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try a.write { w in
            for i in 0..<5 { try w.update("n\(i)", kind: .note) { $0.set("body", .string("Hmeimim \(i)")) } }
        }
        #expect(try a.updateSearchIndex() == 5)
        try a.close()
        // As the store was before the migration: no cursor, the index current.
        let file = dir.path("gloss.sqlite")
        try RawSQLite.execute(file, """
            DELETE FROM meta WHERE key = 'search_seq';
            DELETE FROM grdb_migrations WHERE identifier = 'search-v2-catch-up-cursor';
            """)
        let reopened = try ReplicaStore.open(at: file)
        defer { try? reopened.close() }
        #expect(try reopened.updateSearchIndex() == 0)
        #expect(try ids(reopened, "hmeimim").count == 5)
    }
}
