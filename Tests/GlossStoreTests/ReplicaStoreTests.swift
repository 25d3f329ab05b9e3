import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// The store on a real file: writes survive reopening, the change feed is exact, apply is
/// idempotent and history keeps every applied version.
@Suite struct ReplicaStoreTests {
    @Test func writeThenReopenKeepsIt() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        _ = try store.write { w in
            try w.update("note-1", kind: .note) { e in
                e.set("title", .string("Troop numbers"))
                e.add("russia", to: "tags")
            }
        }
        let id = store.replicaID
        try store.close()
        let reopened = try ReplicaStore.open(at: store.fileURL)
        #expect(reopened.replicaID == id)
        let note = try #require(try reopened.record("note-1"))
        #expect(note.string("title") == "Troop numbers")
        #expect(note.elements("tags") == ["russia"])
        #expect(note.version[id] == 1)
    }

    @Test func allRecordsAreEveryKindsRecordsInTurn() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        try store.write { w in
            try w.update("n1", kind: .note) { $0.set("title", .string("one")) }
            try w.update("d1", kind: .document) { $0.set("title", .string("doc")) }
            try w.update("n2", kind: .note) { $0.set("title", .string("two")) }
            try w.update("a1", kind: .annotation) { $0.set("comment", .string("c")) }
        }
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.delete() } }
        for includeDeleted in [false, true] {
            let byKind = try RecordKind.allCases.flatMap { try store.records(kind: $0, includeDeleted: includeDeleted) }
            #expect(try store.allRecords(includeDeleted: includeDeleted) == byKind)
        }
        #expect(try store.allRecords(includeDeleted: true).map(\.id) == ["d1", "a1", "n1", "n2"])
        #expect(try store.allRecords().map(\.id) == ["d1", "a1", "n2"])
    }

    @Test func changesSinceReturnsExactlyTheRecordsChangedAfterACursorInOrder() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        for i in 1...5 {
            _ = try store.write { w in try w.update("n\(i)", kind: .note) { $0.set("title", .string("t\(i)")) } }
        }
        let cursor = try store.currentSeq()
        _ = try store.write { w in try w.update("n2", kind: .note) { $0.set("title", .string("changed")) } }
        _ = try store.write { w in try w.update("n6", kind: .note) { $0.set("title", .string("new")) } }
        _ = try store.write { w in try w.update("n4", kind: .note) { $0.set("title", .string("changed")) } }
        let batch = try store.changes(since: cursor, limit: 100)
        let ids = try batch.states.map { try Record.decode($0).id }
        #expect(ids == ["n2", "n6", "n4"])
        #expect(!batch.hasMore)
        // Paging: a limit of 2 returns the first two and says there is more.
        let page = try store.changes(since: cursor, limit: 2)
        #expect(try page.states.map { try Record.decode($0).id } == ["n2", "n6"])
        #expect(page.hasMore)
        let rest = try store.changes(since: page.next, limit: 2)
        #expect(try rest.states.map { try Record.decode($0).id } == ["n4"])
        #expect(!rest.hasMore)
    }

    @Test func applyingTheSameRemoteStateTwiceChangesNothing() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let note = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("hello")) } }
        let first = try b.apply([note], from: a.replicaID)
        #expect(first.changed == 1)
        let seq = try b.currentSeq()
        let historyRows = try b.historyCount()
        let hash = try b.stateHash()
        let second = try b.apply([note], from: a.replicaID)
        #expect(second.changed == 0 && second.unchanged == 1)
        #expect(try b.currentSeq() == seq)
        #expect(try b.historyCount() == historyRows)
        #expect(try b.stateHash() == hash)
    }

    @Test func historyHoldsEveryAppliedVersion() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let v1 = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("one")) } }
        try b.apply([v1], from: a.replicaID)
        let v2 = try b.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("two")) } }
        let v3 = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("three")) } }
        try b.apply([v3], from: a.replicaID)
        let history = try b.history(of: "n1")
        #expect(history.map(\.origin) == [a.replicaID.rawValue, "local", a.replicaID.rawValue])
        #expect(history[0].state == v1)
        #expect(history[1].state == v2)
        #expect(history[2].state == v2.merged(with: v3))
        #expect(history[2].newDots == [Dot(replica: a.replicaID, counter: 2)])
        #expect(history[2].state.isConflicted)
    }

    @Test func echoSuppressionSkipsStatesThatCameFromThePeer() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let note = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        try b.apply([note], from: a.replicaID)
        let toA = try b.changes(since: 0, limit: 10, excluding: a.replicaID)
        #expect(toA.states.isEmpty)
        #expect(toA.next == 1, "the cursor moves past skipped rows")
        let toOthers = try b.changes(since: 0, limit: 10)
        #expect(toOthers.states.count == 1)
    }

    @Test func pullCursorIsStoredWithTheBatch() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let note = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        try b.apply([note], from: a.replicaID, cursor: PullCursor(peer: a.replicaID, position: 7))
        #expect(try b.cursors(for: a.replicaID).pull == 7)
    }

    @Test func aStateCarryingAHigherCounterForOurOwnIDIsRefusedAndBlocksWrites() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        defer { dirA.remove() }
        // A copy of `a` taken now keeps writing under a's ID; then `a` hears of it.
        let copyURL = dirA.path("copy.sqlite")
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("v1")) } }
        var copyState = try #require(try a.record("n1"))
        copyState.edit(by: a.replicaID, at: 9) { $0.set("body", .string("written by the copy")) }
        copyState.edit(by: a.replicaID, at: 10) { $0.set("body", .string("again")) }
        _ = copyURL
        let hash = try a.stateHash()
        #expect(throws: GlossError.self) { try a.apply([copyState], from: nil) }
        #expect(try a.stateHash() == hash, "nothing applied")
        let error = #expect(throws: GlossError.self) {
            try a.write { w in try w.update("n2", kind: .note) { $0.set("body", .string("new")) } }
        }
        #expect(error?.code == .counterReuse)
        #expect(error?.message.contains("gloss rekey") == true)
        #expect(try a.status().rekeyRequired)
    }

    @Test func kindMismatchIsRefused() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        _ = try b.write { w in try w.update("x1", kind: .note) { $0.set("body", .string("note")) } }
        let doc = try a.write { w in try w.update("x1", kind: .document) { $0.set("title", .string("doc")) } }
        let hash = try b.stateHash()
        #expect(throws: GlossError.self) { try b.apply([doc], from: a.replicaID) }
        #expect(try b.stateHash() == hash)
    }

    @Test func searchIndexFollowsWritesAndMerges() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let note = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("Hmeimim airbase")) } }
        try b.apply([note], from: a.replicaID)
        #expect(try b.searchIndexCount("hmeimim") == 1)
        let deleted = try a.write { w in try w.update("n1", kind: .note) { $0.delete() } }
        try b.apply([deleted], from: a.replicaID)
        #expect(try b.searchIndexCount("hmeimim") == 0)
    }

    @Test func searchIndexIsUpdatedOnlyWhenIndexedTextChangesAndNeverDuplicated() throws {
        let (a, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("Hmeimim airbase")) } }
        // A field the index does not hold: the entry stays, once.
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("grade", .string("B2")) } }
        #expect(try a.searchIndexCount("hmeimim") == 1)
        #expect(try a.searchIndexRows() == 1)
        // Indexed text changes: the old words leave, the new ones are found.
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("Tartus naval base")) } }
        #expect(try a.searchIndexCount("hmeimim") == 0)
        #expect(try a.searchIndexCount("tartus") == 1)
        // Tags are indexed too.
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.add("withdrawal", to: "tags") } }
        #expect(try a.searchIndexCount("withdrawal") == 1)
        #expect(try a.searchIndexRows() == 1)
        // Deleted, then a concurrent-style restore by writing the text again: back in the index.
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.delete() } }
        #expect(try a.searchIndexRows() == 0)
        _ = try a.write { w in try w.update("n1", kind: .note) { e in e.set("deleted", nil); e.set("body", .string("Tartus")) } }
        #expect(try a.searchIndexCount("tartus") == 1)
    }
}

import GRDB
extension ReplicaStore {
    /// Rows of the FTS index matching `query`, once the index has caught up (as a search does).
    func searchIndexCount(_ query: String) throws -> Int {
        try updateSearchIndex()
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search WHERE search MATCH ?", arguments: [query]) ?? 0
        }
    }

    /// Rows in the FTS index, once it has caught up.
    func searchIndexRows() throws -> Int {
        try updateSearchIndex()
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search") ?? 0 }
    }
}
