import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// Conflicts on real store files: listing, the ancestor from history, resolutions recorded in
/// the same transaction as the resolving write, and refusals that change nothing.
@Suite struct ConflictStoreTests {
    /// Sends every record of `from` to `to`, the way a sync would.
    static func send(_ from: ReplicaStore, to: ReplicaStore) throws {
        let states = try RecordKind.allCases.flatMap { try from.records(kind: $0, includeDeleted: true) }
        try to.apply(states, from: from.replicaID)
        try to.rememberReplica(from.replicaID, name: from.name)
    }

    static func exchange(_ stores: ReplicaStore...) throws {
        for s in stores { for t in stores where s !== t { try send(s, to: t) } }
    }

    /// Alice creates a note; both replicas get it; then both edit its body apart.
    static func noteEditedOnBoth(base: String, alice: String, bob: String) throws
        -> (ReplicaStore, ReplicaStore, TemporaryDirectory, TemporaryDirectory) {
        let (a, dirA) = try TestStores.make(name: "alice")
        let (b, dirB) = try TestStores.make(name: "bob")
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("Troop numbers")); $0.set("body", .string(base)) } }
        try exchange(a, b)
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string(alice)) } }
        _ = try b.write { w in try w.update("n1", kind: .note) { $0.set("body", .string(bob)) } }
        try exchange(a, b)
        return (a, b, dirA, dirB)
    }

    @Test func bothReplicasListTheSameConflictsAndFindTheAncestorInHistory() throws {
        let (a, b, dirA, dirB) = try Self.noteEditedOnBoth(base: "one\ntwo\nthree", alice: "ONE\ntwo\nthree", bob: "one\ntwo\nTHREE")
        defer { dirA.remove(); dirB.remove() }
        let onA = try a.openConflicts(), onB = try b.openConflicts()
        #expect(onA == onB)
        #expect(onA.map(\.field) == ["body"])
        let conflict = try #require(onB.first)
        #expect(try a.ancestor(of: conflict)?.value == .string("one\ntwo\nthree"))
        #expect(try b.ancestor(of: conflict)?.value == .string("one\ntwo\nthree"))
        #expect(try b.conflict(matching: conflict.id) == conflict)
        #expect(try b.conflict(matching: String(conflict.id.prefix(5))) == conflict)
        #expect(try b.conflict(matching: "n1/body") == conflict)
        #expect(try b.conflict(matching: "n1", field: "body") == conflict)
    }

    /// A value typed to resolve a conflict is checked as `gloss edit` checks it: a credibility
    /// of 99 or a motivation that does not exist is refused, changing nothing (both were stored,
    /// and shown as "credibility 99: truth cannot be judged" and "highlighting").
    @Test func aTypedValueIsCheckedAsTheCommandWritingTheFieldChecksIt() throws {
        let (a, dirA) = try TestStores.make(name: "alice")
        let (b, dirB) = try TestStores.make(name: "bob")
        defer { dirA.remove(); dirB.remove() }
        _ = try a.write { w in try w.update("a-1", kind: .annotation) { $0.set("credibility", .int(2)); $0.set("motivation", .string("assessing")) } }
        try Self.exchange(a, b)
        _ = try a.write { w in try w.update("a-1", kind: .annotation) { $0.set("credibility", .int(3)); $0.set("motivation", .string("commenting")) } }
        _ = try b.write { w in try w.update("a-1", kind: .annotation) { $0.set("credibility", .int(4)); $0.set("motivation", .string("questioning")) } }
        try Self.exchange(a, b)
        let conflicts = try b.openConflicts()
        let credibility = try #require(conflicts.first { $0.field == "credibility" })
        let motivation = try #require(conflicts.first { $0.field == "motivation" })
        let before = try b.stateHash()
        for (conflict, text) in [(credibility, "99"), (credibility, "0"), (motivation, "nonsense"), (motivation, "")] {
            #expect(throws: GlossError.self) { try b.resolve(conflict, strategy: .value(text)) }
        }
        #expect(try b.stateHash() == before)
        try b.resolve(credibility, strategy: .value("5"))
        try b.resolve(motivation, strategy: .value("assessing"))
        let record = try #require(try b.record("a-1"))
        #expect(record.int("credibility") == 5 && record.string("motivation") == "assessing")
    }

    /// Alice edits line 2, then line 6, without syncing; Bob edits line 4 of the text they
    /// shared. Alice's first edit was taken as the common ancestor, so Bob's text seemed to
    /// undo it, and `--merge` silently dropped it. The ancestor is now the shared text, and the
    /// merge keeps all three edits, on both replicas.
    @Test func mergeKeepsAnEditThisReplicaMadeBeforeItsLatestOne() throws {
        let base = "l1\nl2\nl3\nl4\nl5\nl6"
        let (a, dirA) = try TestStores.make(name: "alice")
        let (b, dirB) = try TestStores.make(name: "bob")
        defer { dirA.remove(); dirB.remove() }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("T")); $0.set("body", .string(base)) } }
        try Self.exchange(a, b)
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("l1\nL2\nl3\nl4\nl5\nl6")) } }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("l1\nL2\nl3\nl4\nl5\nL6")) } }
        _ = try b.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("l1\nl2\nl3\nL4\nl5\nl6")) } }
        try Self.exchange(a, b)
        for store in [a, b] {
            let conflict = try #require(try store.openConflicts().first)
            #expect(try store.ancestor(of: conflict)?.value == .string(base))
        }
        let outcome = try a.resolve(try #require(try a.openConflicts().first), strategy: .merge)
        #expect(outcome.plan.chosen == .string("l1\nL2\nl3\nL4\nl5\nL6"))
    }

    @Test func mergeResolutionIsRecordedAndClearsTheConflictOnBothReplicas() throws {
        let (a, b, dirA, dirB) = try Self.noteEditedOnBoth(base: "one\ntwo\nthree", alice: "ONE\ntwo\nthree", bob: "one\ntwo\nTHREE")
        defer { dirA.remove(); dirB.remove() }
        let conflict = try #require(try b.openConflicts().first)
        let outcome = try b.resolve(conflict, strategy: .merge)
        #expect(outcome.plan.chosen == .string("ONE\ntwo\nTHREE"))
        #expect(try b.openConflicts().isEmpty)
        let resolutions = try b.resolutions(of: "n1")
        #expect(resolutions.count == 1)
        #expect(resolutions.first?.strategy == "merge" && resolutions.first?.replica == b.replicaID)
        #expect(resolutions.first?.replaced.map(\.value) == conflict.siblings.map(\.value))
        // The resolution's feed position is the one of the history row that wrote it.
        let last = try #require(try b.history(of: "n1").last)
        #expect(resolutions.first?.seq == last.seq)
        try Self.exchange(a, b)
        #expect(try a.openConflicts().isEmpty)
        #expect(try a.record("n1")?.string("body") == "ONE\ntwo\nTHREE")
        #expect(try a.stateHash() == b.stateHash())
        let log = try b.log(of: "n1")
        #expect(log.last?.resolutions.count == 1)
        #expect(log.last?.change.resolvedFields == ["body"])
    }

    @Test func refusedResolutionsChangeNothing() throws {
        let (a, b, dirA, dirB) = try Self.noteEditedOnBoth(base: "one", alice: "one by alice", bob: "one by bob")
        defer { dirA.remove(); dirB.remove() }
        let conflict = try #require(try b.openConflicts().first)
        let hash = try b.stateHash(), history = try b.historyCount()
        #expect(throws: GlossError.self) { try b.resolve(conflict, strategy: .merge) }
        #expect(throws: GlossError.self) { try b.resolve(conflict, strategy: .keep) }
        #expect(throws: GlossError.self) { try b.conflict(matching: "ffffffff") }
        #expect(try b.stateHash() == hash && b.historyCount() == history)
        #expect(try b.resolutions().isEmpty)
        _ = a
    }

    @Test func aConflictThatChangedSinceItWasReadIsNotResolved() throws {
        let (a, dirA) = try TestStores.make(name: "alice")
        let (b, dirB) = try TestStores.make(name: "bob")
        let (c, dirC) = try TestStores.make(name: "carol")
        defer { dirA.remove(); dirB.remove(); dirC.remove() }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        try Self.exchange(a, b, c)
        for (store, body) in [(a, "x by alice"), (b, "x by bob"), (c, "x by carol")] {
            _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("body", .string(body)) } }
        }
        try Self.exchange(a, b)
        let stale = try #require(try b.openConflicts().first)
        #expect(stale.siblings.count == 2)
        try Self.send(c, to: b)
        let hash = try b.stateHash()
        do {
            try b.resolve(stale, strategy: .ours)
            Issue.record("a stale conflict was resolved")
        } catch let error as GlossError {
            #expect(error.code == .conflict && error.message.contains("changed since it was shown"))
        }
        #expect(try b.stateHash() == hash)
        #expect(try b.openConflicts().first?.siblings.count == 3)
    }

    @Test func threeReplicasResolvingDifferentlyLeaveASmallerConflictAndNoLostValue() throws {
        let (a, dirA) = try TestStores.make(name: "alice")
        let (b, dirB) = try TestStores.make(name: "bob")
        let (c, dirC) = try TestStores.make(name: "carol")
        defer { dirA.remove(); dirB.remove(); dirC.remove() }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("x")) } }
        try Self.exchange(a, b, c)
        for (store, body) in [(a, "x by alice"), (b, "x by bob"), (c, "x by carol")] {
            _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("body", .string(body)) } }
        }
        try Self.exchange(a, b, c)
        let three = try #require(try a.openConflicts().first)
        #expect(three.siblings.count == 3)
        try a.resolve(three, strategy: .ours)
        try b.resolve(try #require(try b.openConflicts().first), strategy: .value("bob's combination"))
        try Self.exchange(a, b, c)
        for store in [a, b, c] {
            let conflicts = try store.openConflicts()
            #expect(conflicts.count == 1)
            #expect(conflicts.first?.id == three.id)
            #expect(Set(conflicts.first?.siblings.map(\.value) ?? []) == [.string("x by alice"), .string("bob's combination")])
        }
        #expect(try a.stateHash() == b.stateHash() && b.stateHash() == c.stateHash())
    }

    @Test func keepOnTheDeletingReplicaRestoresTheRecordWithTheEdit() throws {
        let (a, dirA) = try TestStores.make(name: "alice")
        let (b, dirB) = try TestStores.make(name: "bob")
        defer { dirA.remove(); dirB.remove() }
        _ = try a.write { w in
            try w.update("n1", kind: .note) {
                $0.set("title", .string("Bases")); $0.set("body", .string("v1")); $0.add("syria", to: "tags")
            }
        }
        try Self.exchange(a, b)
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.delete() } }
        _ = try b.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("v2 by bob")) } }
        try Self.exchange(a, b)
        let conflict = try #require(try a.openConflicts().first)
        #expect(conflict.kind == .deleteEdit)
        #expect(try a.stateBeforeDelete(of: conflict)?.string("title") == "Bases")
        let outcome = try a.resolve(conflict, strategy: .keep)
        #expect(outcome.plan.restored == ["title", "tags:syria"])
        try Self.exchange(a, b)
        for store in [a, b] {
            let note = try #require(try store.record("n1"))
            #expect(!note.isDeleted && !note.isConflicted)
            #expect(note.string("title") == "Bases" && note.string("body") == "v2 by bob" && note.elements("tags") == ["syria"])
        }
    }
}
