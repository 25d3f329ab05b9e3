@testable import GlossCore
import GlossTestSupport
import Testing

/// Conflicts derived from record states, and the writes planned to resolve them: applied and
/// merged with the other replicas' states, a resolution leaves no conflict and loses no value.
@Suite struct ConflictModelTests {
    let alice = RandomHistory.replicaIDs(3)[0], bob = RandomHistory.replicaIDs(3)[1], carol = RandomHistory.replicaIDs(3)[2]

    /// A note created by alice, then its body edited concurrently by alice and bob.
    func concurrentBodies(_ a: String, _ b: String, base: String = "base") -> (Record, Record, Record) {
        var start = Record(id: "n1", kind: .note)
        start.edit(by: alice, at: 1) { $0.set("title", .string("Troop numbers")); $0.set("body", .string(base)) }
        var onA = start, onB = start
        onA.edit(by: alice, at: 2) { $0.set("body", .string(a)) }
        onB.edit(by: bob, at: 3) { $0.set("body", .string(b)) }
        return (start, onA, onB)
    }

    @Test func bothMergeOrdersListTheSameConflictWithTheSameID() throws {
        let (_, onA, onB) = concurrentBodies("alice's", "bob's")
        let ab = Conflict.conflicts(in: onA.merged(with: onB)), ba = Conflict.conflicts(in: onB.merged(with: onA))
        #expect(ab == ba)
        let conflict = try #require(ab.first)
        #expect(ab.count == 1)
        #expect(conflict.kind == .field && conflict.field == "body" && conflict.label == "Troop numbers")
        #expect(Set(conflict.siblings.map(\.value)) == [.string("alice's"), .string("bob's")])
        #expect(conflict.id == ConflictID.make(recordID: "n1", field: "body") && conflict.id.count == 8)
        #expect(ConflictID.make(recordID: "n1", field: "title") != conflict.id)
    }

    @Test(arguments: ["ours", "theirs", "pick", "value", "merge"])
    func aResolutionOnBClearsTheConflictOnceMergedEverywhere(strategyName: String) throws {
        let (start, onA, onB) = concurrentBodies("top changed\nmiddle\nbottom", "top\nmiddle\nbottom changed", base: "top\nmiddle\nbottom")
        let merged = onB.merged(with: onA)
        let conflict = try #require(Conflict.conflicts(in: merged).first)
        let strategy: ResolutionStrategy = switch strategyName {
        case "ours": .ours
        case "theirs": .theirs
        case "pick": .pick(alice)
        case "value": .value("typed")
        default: .merge
        }
        let ancestor = Ancestor.find(field: "body", siblings: conflict.siblings, merged: merged.version, local: bob,
                                     in: [(start, 1), (onB, 3), (merged, 4)])
        #expect(ancestor?.value == .string("top\nmiddle\nbottom"))
        let plan = try ResolutionPlan.make(conflict, strategy: strategy, local: bob, current: merged, ancestor: ancestor)
        var resolved = merged
        resolved.edit(by: bob, at: 5) { plan.apply(to: &$0) }
        let expected: String = switch strategyName {
        case "ours": "top\nmiddle\nbottom changed"
        case "theirs", "pick": "top changed\nmiddle\nbottom"
        case "value": "typed"
        default: "top changed\nmiddle\nbottom changed"
        }
        // On A, after receiving B's resolution (and in any order of merging).
        for final in [onA.merged(with: resolved), resolved.merged(with: onA).merged(with: onB)] {
            #expect(Conflict.conflicts(in: final).isEmpty)
            #expect(final.string("body") == expected)
        }
        #expect(plan.replaced == conflict.siblings)
    }

    @Test func strategiesThatDoNotFitAreRefused() throws {
        let (start, onA, onB) = concurrentBodies("a", "b")
        var onC = start
        onC.edit(by: carol, at: 4) { $0.set("body", .string("c")) }
        let merged3 = onA.merged(with: onB).merged(with: onC)
        let conflict3 = try #require(Conflict.conflicts(in: merged3).first)
        #expect(conflict3.siblings.count == 3)
        #expect(throws: GlossError.self) { try ResolutionPlan.make(conflict3, strategy: .theirs, local: bob, current: merged3) }
        let conflict = try #require(Conflict.conflicts(in: onA.merged(with: onB)).first)
        #expect(throws: GlossError.self) { try ResolutionPlan.make(conflict, strategy: .keep, local: bob, current: onB) }
        #expect(throws: GlossError.self) { try ResolutionPlan.make(conflict, strategy: .ours, local: carol, current: onB) }
        #expect(throws: GlossError.self) { try ResolutionPlan.make(conflict, strategy: .merge, local: bob, current: onB, ancestor: nil) }
        #expect(throws: GlossError.self) { try ResolutionPlan.make(conflict, strategy: .pick(carol), local: bob, current: onB) }
    }

    @Test func overlappingChangesMakeMergeRefuse() throws {
        let (start, onA, onB) = concurrentBodies("line one by alice\nline two", "line one by bob\nline two", base: "line one\nline two")
        let merged = onA.merged(with: onB)
        let conflict = try #require(Conflict.conflicts(in: merged).first)
        let ancestor = Ancestor.find(field: "body", siblings: conflict.siblings, merged: merged.version, local: alice, in: [(start, 1), (onA, 2)])
        #expect(ancestor != nil)
        do {
            _ = try ResolutionPlan.make(conflict, strategy: .merge, local: alice, current: merged, ancestor: ancestor)
            Issue.record("merge of overlapping changes was accepted")
        } catch let error as GlossError {
            #expect(error.code == .conflict)
            #expect(error.message.contains("change the same lines"))
        }
    }

    @Test func aValueForAWholeNumberFieldMustBeAWholeNumber() throws {
        var start = Record(id: "a1", kind: .annotation)
        start.edit(by: alice, at: 1) { $0.set("credibility", .int(3)) }
        var onA = start, onB = start
        onA.edit(by: alice, at: 2) { $0.set("credibility", .int(2)) }
        onB.edit(by: bob, at: 3) { $0.set("credibility", .int(4)) }
        let merged = onA.merged(with: onB)
        let conflict = try #require(Conflict.conflicts(in: merged).first)
        #expect(throws: GlossError.self) { try ResolutionPlan.make(conflict, strategy: .value("high"), local: bob, current: merged) }
        let plan = try ResolutionPlan.make(conflict, strategy: .value("5"), local: bob, current: merged)
        #expect(plan.chosen == .int(5))
    }

    @Test func keepRestoresTheFieldsTheDeleteClearedAndKeepsTheEdit() throws {
        var start = Record(id: "n1", kind: .note)
        start.edit(by: alice, at: 1) {
            $0.set("title", .string("Troop numbers")); $0.set("body", .string("v1")); $0.add("syria", to: "tags")
        }
        var onA = start, onB = start
        onA.edit(by: alice, at: 2) { $0.delete() }
        onB.edit(by: bob, at: 3) { $0.set("body", .string("v2 by bob")) }
        let merged = onA.merged(with: onB)
        let conflicts = Conflict.conflicts(in: merged)
        let conflict = try #require(conflicts.first)
        #expect(conflicts.count == 1 && conflict.kind == .deleteEdit)
        #expect(conflict.deletes.map(\.dot.replica) == [alice])
        #expect(conflict.editedFields.keys.sorted() == ["body"])
        #expect(throws: GlossError.self) { try ResolutionPlan.make(conflict, strategy: .ours, local: alice, current: merged) }
        // On A: the last state before the delete is `start`.
        let plan = try ResolutionPlan.make(conflict, strategy: .keep, local: alice, current: merged, preDeleteState: start)
        var kept = merged
        kept.edit(by: alice, at: 4) { plan.apply(to: &$0) }
        for final in [kept.merged(with: onB), onB.merged(with: kept), kept.merged(with: onA)] {
            #expect(!final.isDeleted && !final.isConflicted)
            #expect(final.string("title") == "Troop numbers" && final.string("body") == "v2 by bob")
            #expect(final.elements("tags") == ["syria"])
        }
        let deleteAgain = try ResolutionPlan.make(conflict, strategy: .delete, local: alice, current: merged)
        var deleted = merged
        deleted.edit(by: alice, at: 5) { deleteAgain.apply(to: &$0) }
        let final = deleted.merged(with: onB)
        #expect(final.isDeleted && !final.isConflicted && final.string("body") == nil)
    }

    @Test func editorFileHoldsEveryVersionAndRefusesMarkersOrNoChange() throws {
        let (_, onA, onB) = concurrentBodies("alice line", "bob line\n=======\nsetext")
        let conflict = try #require(Conflict.conflicts(in: onA.merged(with: onB)).first)
        let ancestor = Ancestor(value: .string("base line"), appliedAt: 1, version: VersionVector())
        let file = ConflictEditorFile.render(conflict, labels: ["alice", "bob"], ancestor: ancestor)
        #expect(file.contains("alice line") && file.contains("bob line") && file.contains("base line"))
        #expect(file.hasPrefix("<<<<<<< alice\n"))
        #expect(throws: GlossError.self) { try ConflictEditorFile.value(saved: file, original: file, conflict: conflict) }
        let leftover = file.replacingOccurrences(of: "alice line", with: "combined")
        #expect(throws: GlossError.self) { try ConflictEditorFile.value(saved: leftover, original: file, conflict: conflict) }
        #expect(try ConflictEditorFile.value(saved: "combined\n", original: file, conflict: conflict) == "combined")
        // A "=======" line that is part of a version is content, not a marker.
        #expect(try ConflictEditorFile.value(saved: "bob line\n=======\nsetext\n", original: file, conflict: conflict) == "bob line\n=======\nsetext")
    }

    @Test func replicaNamesAndIDPrefixesPickAWriter() throws {
        let (_, onA, onB) = concurrentBodies("a", "b")
        let conflict = try #require(Conflict.conflicts(in: onA.merged(with: onB)).first)
        let names = [alice: "alice", bob: "bob"]
        #expect(try conflict.replica(matching: "Bob", names: names) == bob)
        #expect(try conflict.replica(matching: alice.rawValue.prefix(10).description, names: names) == alice)
        #expect(throws: GlossError.self) { try conflict.replica(matching: "carol", names: names) }
    }

    @Test func recordChangeNamesFieldsSetsDeletesAndSettledConflicts() throws {
        let (start, onA, onB) = concurrentBodies("a", "b")
        var withTag = start
        withTag.edit(by: alice, at: 9) { $0.add("syria", to: "tags") }
        let first = RecordChange(from: nil, to: start)
        #expect(first.created && first.fields.map(\.field) == ["body", "title"])
        #expect(RecordChange(from: start, to: withTag).sets == [.init(name: "tags", added: ["syria"], removed: [])])
        let merged = onA.merged(with: onB)
        #expect(RecordChange(from: onA, to: merged).conflictedFields == ["body"])
        var resolved = merged
        resolved.edit(by: alice, at: 10) { $0.set("body", .string("a")) }
        let settle = RecordChange(from: merged, to: resolved)
        #expect(settle.resolvedFields == ["body"])
        #expect(Set(settle.fields.first?.before ?? []) == [.string("a"), .string("b")])
    }
}
