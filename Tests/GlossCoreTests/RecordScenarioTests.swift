import GlossCore
import GlossTestSupport
import Testing

/// The behaviours an analyst relies on, one concrete case each.
@Suite struct RecordScenarioTests {
    let a = RandomHistory.replicaIDs(2)[0]
    let b = RandomHistory.replicaIDs(2)[1]

    func base() -> Record {
        var r = Record(id: "n1", kind: .note)
        r.edit(by: a, at: 1) { e in
            e.set("body", .string("v0"))
            e.set("title", .string("Troops"))
            e.add("x", to: "tags")
        }
        return r
    }

    @Test func concurrentWritesToOneFieldKeepBothValues() {
        var x = base(), y = base()
        x.edit(by: a, at: 2) { $0.set("body", .string("from A")) }
        y.edit(by: b, at: 3) { $0.set("body", .string("from B")) }
        let m = x.merged(with: y)
        #expect(Set(m.fields["body"]!.siblings.map(\.value)) == [.string("from A"), .string("from B")])
        #expect(m.conflictedFields == ["body"])
        #expect(m.isConflicted)
    }

    @Test func writesToDifferentFieldsMergeWithoutConflict() {
        var x = base(), y = base()
        x.edit(by: a, at: 2) { $0.set("body", .string("new body")) }
        y.edit(by: b, at: 3) { $0.set("title", .string("new title")) }
        let m = x.merged(with: y)
        #expect(m.string("body") == "new body")
        #expect(m.string("title") == "new title")
        #expect(!m.isConflicted)
    }

    @Test func deleteConcurrentWithEditKeepsTheEditAndFlagsTheConflict() {
        var x = base(), y = base()
        x.edit(by: a, at: 2) { $0.delete() }
        y.edit(by: b, at: 3) { $0.set("body", .string("edited")) }
        let m = x.merged(with: y)
        #expect(m.isDeleted)
        #expect(m.string("body") == "edited")
        #expect(m.hasDeleteEditConflict)
        #expect(m.isConflicted)
        #expect(m.string("title") == nil, "the delete cleared fields nobody edited")
    }

    @Test func plainDeleteIsNotAConflict() {
        var x = base()
        x.edit(by: a, at: 2) { $0.delete() }
        let m = x.merged(with: base())
        #expect(m.isDeleted)
        #expect(!m.isConflicted)
    }

    @Test func removedTagDoesNotComeBackAfterMergingAnOlderState() {
        var removed = base()
        removed.edit(by: b, at: 2) { $0.remove("x", from: "tags") }
        #expect(removed.merged(with: base()).elements("tags") == [])
        #expect(base().merged(with: removed).elements("tags") == [])
    }

    @Test func concurrentlyReAddedTagWins() {
        var removed = base(), readded = base()
        removed.edit(by: b, at: 2) { $0.remove("x", from: "tags") }
        readded.edit(by: a, at: 3) { $0.add("x", to: "tags") }
        #expect(removed.merged(with: readded).elements("tags") == ["x"])
    }

    @Test func tagsMergeWithoutConflict() {
        var x = base(), y = base()
        x.edit(by: a, at: 2) { $0.add("russia", to: "tags") }
        y.edit(by: b, at: 3) { $0.add("syria", to: "tags") }
        let m = x.merged(with: y)
        #expect(m.elements("tags") == ["russia", "syria", "x"])
        #expect(!m.isConflicted)
    }

    @Test func resolutionCoversEverySiblingAndDominatesOlderStates() {
        var x = base(), y = base()
        x.edit(by: a, at: 2) { $0.set("body", .string("a")) }
        y.edit(by: b, at: 3) { $0.set("body", .string("b")) }
        var resolved = x.merged(with: y)
        resolved.edit(by: b, at: 4) { $0.set("body", .string("resolved")) }
        #expect(resolved.merged(with: x).string("body") == "resolved")
        #expect(!resolved.merged(with: x).merged(with: y).isConflicted)
    }

    @Test func sameValueWrittenConcurrentlyIsNotAConflict() {
        var x = base(), y = base()
        x.edit(by: a, at: 2) { $0.set("grade", .string("B")) }
        y.edit(by: b, at: 3) { $0.set("grade", .string("B")) }
        #expect(!x.merged(with: y).isConflicted)
    }

    @Test func reusedDotWithTwoValuesKeepsBothAndIsFlagged() {
        // Two copies of one store both write as replica A with the same counter.
        var x = base(), y = base()
        x.edit(by: a, at: 2) { $0.set("body", .string("copy 1")) }
        y.edit(by: a, at: 3) { $0.set("body", .string("copy 2")) }
        let m = x.merged(with: y)
        #expect(m.hasDotCollision)
        #expect(Set(m.fields["body"]!.siblings.map(\.value)) == [.string("copy 1"), .string("copy 2")])
    }

    /// Two copies of one store write one record under the same counter, in different fields: a
    /// title on one, a tag on the other. Each vector "covers" the other's write, so each side's
    /// write used to be dropped as replaced: both were lost. Both are kept, in either order, and
    /// also once a third replica's edit made one side's vector the greater.
    @Test func reusedDotInTwoFieldsKeepsBothWrites() {
        var x = Record(id: "n1", kind: .note), y = Record(id: "n1", kind: .note)
        x.edit(by: a, at: 2) { $0.set("title", .string("copy 1")) }
        y.edit(by: a, at: 3) { $0.add("copy-2", to: "tags") }
        #expect(x.version == y.version)
        for m in [x.merged(with: y), y.merged(with: x)] {
            #expect(m.string("title") == "copy 1" && m.elements("tags") == ["copy-2"])
        }
        var z = x
        z.edit(by: b, at: 4) { $0.set("body", .string("seen by b")) }
        for m in [z.merged(with: y), y.merged(with: z)] {
            #expect(m.string("title") == "copy 1" && m.elements("tags") == ["copy-2"] && m.string("body") == "seen by b")
        }
        // Without reuse nothing changes: the older state's replaced value is dropped.
        var older = base(), newer = base()
        older.edit(by: a, at: 2) { $0.set("body", .string("old")) }
        newer = older
        newer.edit(by: a, at: 3) { $0.set("body", .string("new")); $0.add("tagged", to: "tags") }
        #expect(older.merged(with: newer) == newer && newer.merged(with: older) == newer)
    }

    @Test func versionVectorOrder() {
        var v1 = VersionVector()
        _ = v1.increment(a)
        var v2 = v1
        _ = v2.increment(b)
        var v3 = v1
        _ = v3.increment(a)
        #expect(v1.compare(to: v1) == .equal)
        #expect(v1.compare(to: v2) == .before)
        #expect(v2.compare(to: v1) == .after)
        #expect(v2.compare(to: v3) == .concurrent)
        #expect(v2.covers(Dot(replica: b, counter: 1)))
        #expect(!v1.covers(Dot(replica: b, counter: 1)))
        #expect(v2.merged(with: v3)[a] == 2 && v2.merged(with: v3)[b] == 1)
    }
}
