import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// The write path binds values straight to SQLite, reuses its statements across a transaction
/// and rewrites a record's indexed columns only when they change: what queries and history see
/// must be exactly what the states say.
@Suite struct WritePathTests {
    static func annotate(_ w: LocalWriter, _ id: String, document: String, comment: String) throws {
        try w.update(id, kind: .annotation) { e in
            e.set(FieldName.document, .string(document))
            e.set("revision", .string("r-1"))
            e.set(FieldName.exact, .string("3,000 troops"))
            e.set("start", .int(4))
            e.set("end", .int(16))
            e.set(FieldName.comment, .string(comment))
        }
    }

    @Test func documentAndConflictColumnsFollowEverySavedState() throws {
        let (a, dirA) = try TestStores.make(name: "alice")
        let (b, dirB) = try TestStores.make(name: "bob")
        defer { dirA.remove(); dirB.remove() }
        try a.write { w in
            try Self.annotate(w, "a-1", document: "d-1", comment: "first")
            try Self.annotate(w, "a-2", document: "", comment: "no document")
        }
        #expect(try a.annotations(document: "d-1").map(\.id) == ["a-1"])
        #expect(try a.annotations(document: "").map(\.id) == ["a-2"])

        // A write that leaves the document alone, then one that moves the annotation.
        _ = try a.write { w in try w.update("a-1", kind: .annotation) { $0.set(FieldName.comment, .string("second")) } }
        #expect(try a.annotations(document: "d-1").map(\.comment) == ["second"])
        _ = try a.write { w in try w.update("a-1", kind: .annotation) { $0.set(FieldName.document, .string("d-2")) } }
        #expect(try a.annotations(document: "d-1").isEmpty)
        #expect(try a.annotations(document: "d-2").map(\.id) == ["a-1"])

        // Both edit the comment apart: a conflict on both sides after the exchange.
        try b.apply(a.records(kind: .annotation), from: a.replicaID)
        _ = try a.write { w in try w.update("a-1", kind: .annotation) { $0.set(FieldName.comment, .string("alice")) } }
        _ = try b.write { w in try w.update("a-1", kind: .annotation) { $0.set(FieldName.comment, .string("bob")) } }
        try b.apply(a.records(kind: .annotation), from: a.replicaID)
        try a.apply(b.records(kind: .annotation), from: b.replicaID)
        #expect(try a.conflictedRecordIDs() == ["a-1"])
        #expect(try b.conflictedRecordIDs() == ["a-1"])
        #expect(try a.status().conflicts == 1)
        #expect(try a.annotations(document: "d-2").map(\.id) == ["a-1"])

        // A local write settling the comment clears the conflict; reopening keeps all of it.
        _ = try a.write { w in try w.update("a-1", kind: .annotation) { $0.set(FieldName.comment, .string("settled")) } }
        #expect(try a.conflictedRecordIDs().isEmpty)
        try a.close()
        let reopened = try ReplicaStore.open(at: a.fileURL)
        #expect(try reopened.conflictedRecordIDs().isEmpty)
        #expect(try reopened.annotations(document: "d-2").map(\.comment) == ["settled"])
        #expect(try reopened.annotations(document: "").map(\.id) == ["a-2"])
        try reopened.close()
    }

    @Test func eachWriteOfABatchGetsItsOwnFeedPositionAndHistoryRow() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let before = try store.currentSeq()
        try store.write { w in
            for i in 1...3 { try Self.annotate(w, "a-\(i)", document: "d-1", comment: "c\(i)") }
            try w.update("a-2", kind: .annotation) { $0.set(FieldName.comment, .string("again")) }
        }
        #expect(try store.currentSeq() == before + 4)
        let history = try store.history(of: "a-2")
        #expect(history.map(\.seq) == [before + 2, before + 4])
        #expect(history.map(\.newDots) == [
            [Dot(replica: store.replicaID, counter: 1)], [Dot(replica: store.replicaID, counter: 2)],
        ])
        #expect(history.map { $0.state.string(FieldName.comment) } == ["c2", "again"])
        #expect(history.allSatisfy { $0.origin == "local" })
    }

    @Test func aFailedBatchWritesNothingAndTheNextOneWritesNormally() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        try store.write { w in try Self.annotate(w, "a-1", document: "d-1", comment: "kept") }
        let seq = try store.currentSeq(), rows = try store.historyCount()
        #expect(throws: GlossError.self) {
            try store.write { w in
                try Self.annotate(w, "a-2", document: "d-1", comment: "lost")
                try w.update("a-1", kind: .note) { $0.set("title", .string("not a note")) }
            }
        }
        #expect(try store.record("a-2") == nil)
        #expect(try store.currentSeq() == seq)
        #expect(try store.historyCount() == rows)
        try store.write { w in try Self.annotate(w, "a-2", document: "d-1", comment: "written") }
        #expect(try store.annotations(document: "d-1").map(\.comment) == ["kept", "written"])
        #expect(try store.currentSeq() == seq + 1)
    }
}
