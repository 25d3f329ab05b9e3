import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// The typed store APIs: import, annotate, revise with anchors, notes, search, export — and
/// anchors following merges.
@Suite struct DomainStoreTests {
    static let text = """
        # Troops

        The US believes there are between 3,000 and 6,000 soldiers at the base.

        Other estimates differ.
        """

    func imported(_ store: ReplicaStore, _ text: String = text, title: String? = nil) throws -> Document {
        let results = try store.importDocuments([ImportItem(name: "t", text: ScalarText.nfc(text), source: DocumentSource(title: title))])
        guard case .imported(let document, _) = results[0] else { throw GlossError(.conflict, "not imported") }
        return document
    }

    @Test func importNamesTheRevisionByItsHashAndDefaultsTitleAndAccessDate() throws {
        let (store, dir) = try TestStores.make(clock: TestStores.steppingClock(start: 1_700_000_000_000))
        defer { dir.remove() }
        let document = try imported(store)
        #expect(document.title == "Troops")
        #expect(document.accessed == "2023-11-14")
        let revision = try #require(try store.revision(document.head!))
        #expect(revision.sha256 == SHA256.hex(Self.text))
        #expect(revision.id == "r-" + revision.sha256.prefix(32) + "." + document.id)
        guard case .alreadyPresent(let same, _) = try store.importDocuments([ImportItem(name: "again", text: Self.text, source: DocumentSource())])[0] else {
            Issue.record("identical text imported twice")
            return
        }
        #expect(same.id == document.id)
    }

    @Test func aMultiItemImportIsAllOrNothing() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let before = try store.stateHash()
        #expect(throws: GlossError.self) {
            try store.importDocuments([
                ImportItem(name: "a", text: "first", source: DocumentSource()),
                ImportItem(name: "b", text: "second", source: DocumentSource(published: "yesterday")),
            ])
        }
        #expect(try store.stateHash() == before)
    }

    @Test func revisingMapsAnnotationsAndFlagsThoseThatChanged() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        let kept = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("Other estimates differ.", occurrence: nil)))
        let changed = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let result = try store.revise(document: document.id, text: "Intro.\n\n" + Self.text.replacingOccurrences(of: "6,000", with: "7,000"))
        #expect(result.changed)
        let byID = Dictionary(uniqueKeysWithValues: result.anchors.map { ($0.annotation.id, $0.anchor) })
        #expect(byID[kept.id]?.status == .mapped)
        #expect(byID[kept.id]?.position?.start == kept.position.start + 8)
        #expect(byID[changed.id]?.status == .orphan)
        #expect(try store.annotationsNeedingAttention().map(\.annotation.id) == [changed.id])
    }

    /// v1 → v2 → v1: the head moves back to v1's revision, which is not rewritten (it used to get
    /// `previous = v2`, so v1 and v2 were each other's previous and the JSON export looped,
    /// growing without bound). The export lists every revision once.
    @Test func revisingBackToAnEarlierTextMovesTheHeadAndLeavesRevisionsAsTheyWere() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        let first = try #require(document.head)
        let firstRecord = try #require(try store.record(first))
        let annotation = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("Other estimates differ.", occurrence: nil)))
        let second = try #require(try store.revise(document: document.id, text: Self.text + "\nMore.").document.head)
        let back = try store.revise(document: document.id, text: Self.text)
        #expect(back.changed)
        #expect(back.document.head == first)
        #expect(try store.record(first) == firstRecord)
        #expect(try store.revision(second)?.previous == first)
        #expect(back.anchors.map(\.annotation.id) == [annotation.id])
        #expect(back.anchors.first?.anchor.status == .exact)

        let json = try #require(try JSONSerialization.jsonObject(with: JSONExport.export(store)) as? [String: Any])
        let documents = try #require(json["documents"] as? [[String: Any]])
        let revisions = try #require(documents.first?["revisions"] as? [[String: Any]])
        #expect(revisions.compactMap { $0["id"] as? String } == [first, second])
    }

    /// Revisions from a peer whose `previous` links form a cycle (as two old builds' reverts
    /// could leave) are each exported once.
    @Test func aCycleOfPreviousRevisionsFromAPeerIsExportedOnce() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let document = try imported(a)
        let first = try #require(document.head)
        let second = try #require(try a.revise(document: document.id, text: Self.text + "\nMore.").document.head)
        var looped = try #require(try a.record(first))
        looped.edit(by: a.replicaID, at: 1) { e in e.set(DomainField.previous, .string(second)) }
        try b.apply(try a.records(kind: .revision).filter { $0.id != first } + [looped] + a.records(kind: .document), from: a.replicaID)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONExport.export(b)) as? [String: Any])
        let revisions = try #require((json["documents"] as? [[String: Any]])?.first?["revisions"] as? [[String: Any]])
        #expect(revisions.compactMap { $0["id"] as? String } == [second, first])
    }

    /// An annotation from a faulty peer without its document, or with a position that is not
    /// a number, has no annotation view: editing it is a clear error that changes nothing (it
    /// trapped on a force-unwrap), and listing, showing and checking the document skip it.
    @Test func editingAMalformedAnnotationFromAPeerIsAClearErrorNotATrap() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let document = try imported(a)
        var noDocument = Record(id: "a-000000000001", kind: .annotation)
        noDocument.edit(by: a.replicaID, at: 1) { e in
            e.set(FieldName.exact, .string("Other estimates differ."))
            e.set(FieldName.comment, .string("from a faulty peer"))
        }
        var textStart = Record(id: "a-000000000002", kind: .annotation)
        textStart.edit(by: a.replicaID, at: 1) { e in
            e.set(FieldName.document, .string(document.id))
            e.set(DomainField.revision, .string(document.head!))
            e.set(FieldName.exact, .string("Other estimates differ."))
            e.set(DomainField.start, .string("zero"))
            e.set(DomainField.end, .int(5))
        }
        try b.apply(try a.records(kind: .revision) + a.records(kind: .document) + [noDocument, textStart], from: a.replicaID)
        let before = try b.stateHash()
        for id in [noDocument.id, textStart.id] {
            #expect {
                try b.editAnnotation(id, AnnotationChanges(comment: "fixed"))
            } throws: { ($0 as? GlossError)?.code == .conflict && "\($0)".contains("lacks fields") }
        }
        #expect(try b.stateHash() == before)
        #expect(try b.anchoredAnnotations(document: document.id).isEmpty)
        #expect(try b.annotationsNeedingAttention().isEmpty)
        #expect(try b.delete(noDocument.id).count == 1)
    }

    /// A tag already there, a tag not there removed, a value set to what it is, a document
    /// source left as it is: nothing changes, so nothing is written (each used to write a new
    /// version, a history row with no change, and a record for every peer to pull).
    @Test func operationsThatChangeNothingWriteNothing() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        let annotation = try store.annotate(AnnotationRequest(
            document: document.id, selection: .quote("Other estimates differ.", occurrence: nil), comment: "c", credibility: 4, tags: ["troops"]))
        let before = try store.record(annotation.id)
        let history = try store.historyCount()
        #expect(try store.tag(annotation.id, add: ["troops"], remove: ["absent"]) == ["troops"])
        _ = try store.editAnnotation(annotation.id, AnnotationChanges(comment: "c", credibility: 4))
        _ = try store.editDocument(document.id, source: DocumentSource(title: document.title))
        #expect(try store.record(annotation.id) == before)
        #expect(try store.historyCount() == history)
        // A real change still writes.
        #expect(try store.tag(annotation.id, add: ["syria"], remove: []) == ["syria", "troops"])
        #expect(try store.historyCount() == history + 1)
    }

    /// One replica deletes a document while another annotates it: the annotation survives the
    /// merge (add-wins) but its document is gone, so it showed nowhere: `gloss orphans` said
    /// every annotation was anchored and `gloss check` passed. It is an orphan now.
    @Test func anAnnotationOfADocumentDeletedElsewhereIsAnOrphan() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let document = try imported(a)
        try b.apply(try a.records(kind: .revision) + a.records(kind: .document), from: a.replicaID)
        _ = try a.delete(document.id)
        let annotation = try b.annotate(AnnotationRequest(document: document.id, selection: .quote("Other estimates differ.", occurrence: nil)))
        try b.apply(try a.records(kind: .revision, includeDeleted: true) + a.records(kind: .document, includeDeleted: true), from: a.replicaID)
        #expect(try b.documents().isEmpty)
        let attention = try b.annotationsNeedingAttention()
        #expect(attention.map(\.annotation.id) == [annotation.id])
        #expect(attention.first?.anchor.status == .orphan)
    }

    /// An ID of another kind of record is named as what it is ("no annotation d-…, see gloss
    /// docs" sent the analyst to the list the ID came from).
    @Test func anIDOfAnotherKindIsNamedAsWhatItIs() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        #expect {
            try store.editAnnotation(String(document.id.prefix(6)), AnnotationChanges(comment: "x"))
        } throws: { "\($0)".contains("\(document.id) is a document, not an annotation") }
        #expect { try store.note(document.id) } throws: { "\($0)".contains("is a document, not a note") }
        #expect { try store.document("n-0000") } throws: { ($0 as? GlossError)?.code == .notFound }
    }

    @Test func anchorsFollowARevisionThatArrivesByMerge() throws {
        // Replica B gets A's document, annotation and later revision by `apply`; its anchors
        // are computed from synced data and agree with A's.
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let document = try imported(a)
        let annotation = try a.annotate(AnnotationRequest(document: document.id, selection: .quote("Other estimates differ.", occurrence: nil)))
        try b.apply(try a.records(kind: .revision) + a.records(kind: .document) + a.records(kind: .annotation), from: a.replicaID)
        #expect(try b.anchoredAnnotations(document: document.id).first?.anchor.status == .exact)
        let revised = try a.revise(document: document.id, text: Self.text + "\nA new closing line.")
        try b.apply(try a.records(kind: .revision) + a.records(kind: .document), from: a.replicaID)
        let onB = try b.anchoredAnnotations(document: document.id)
        #expect(onB.map(\.anchor) == revised.anchors.map(\.anchor))
        #expect(onB.first?.annotation.id == annotation.id)
        #expect(onB.first?.anchor.status == .mapped)
    }

    @Test func anEditArrivingByMergeShowsInsteadOfTheCachedView() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let document = try imported(a)
        let annotation = try a.annotate(AnnotationRequest(
            document: document.id, selection: .quote("Other estimates differ.", occurrence: nil), comment: "first"))
        try b.apply(try a.records(kind: .revision) + a.records(kind: .document) + a.records(kind: .annotation), from: a.replicaID)
        #expect(try b.anchoredAnnotations(document: document.id).map(\.annotation.comment) == ["first"])
        _ = try a.editAnnotation(annotation.id, AnnotationChanges(comment: "second"))
        _ = try a.tag(annotation.id, add: ["merged"], remove: [])
        try b.apply(try a.records(kind: .annotation), from: a.replicaID)
        let shown = try #require(try b.anchoredAnnotations(document: document.id).first?.annotation)
        #expect(shown.comment == "second")
        #expect(shown.tags == ["merged"])
        _ = try a.delete(annotation.id)
        try b.apply(try a.records(kind: .annotation, includeDeleted: true), from: a.replicaID)
        #expect(try b.anchoredAnnotations(document: document.id).isEmpty)
    }

    @Test func searchRanksAndFiltersByKindTagAndDocument() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let first = try imported(store)
        let second = try imported(store, "Soldiers left the base in March.", title: "Second")
        let ann = try store.annotate(AnnotationRequest(
            document: first.id, selection: .quote("between 3,000 and 6,000", occurrence: nil), comment: "US soldiers estimate", tags: ["troops"]))
        let note = try store.addNote(title: "Soldier numbers", body: "Estimates of soldiers vary.", cite: [ann.id], tags: ["troops"])
        let all = try store.search(SearchQuery(text: "soldiers"))
        #expect(Set(all.map(\.id)) == [first.id, second.id, ann.id, note.id])
        #expect(try store.search(SearchQuery(text: "soldiers", kind: .annotation)).map(\.id) == [ann.id])
        #expect(Set(try store.search(SearchQuery(text: "soldiers", tag: "troops")).map(\.id)) == [ann.id, note.id])
        #expect(Set(try store.search(SearchQuery(text: "soldiers", document: second.id)).map(\.id)) == [second.id])
        #expect(try store.search(SearchQuery(text: "\"3,000 and 6,000\"", kind: .document)).map(\.id) == [first.id])
        // Found by its tag alone: the snippet shows where it matched, not an empty line.
        let byTag = try store.search(SearchQuery(text: "troops", kind: .annotation))
        #expect(byTag.map(\.id) == [ann.id])
        #expect(byTag.first?.snippet == "tags: «troops»")
        // Deleting removes from search.
        _ = try store.delete(ann.id)
        #expect(try store.search(SearchQuery(text: "soldiers", kind: .annotation)).isEmpty)
    }

    @Test func searchFindsWhatArrivesByMerge() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        let document = try imported(a)
        let ann = try a.annotate(AnnotationRequest(
            document: document.id, selection: .quote("between 3,000 and 6,000", occurrence: nil), comment: "Hmeymim garrison"))
        let note = try a.addNote(title: "Garrison size", body: "Hmeymim estimates.", cite: [ann.id], tags: [])
        #expect(try b.search(SearchQuery(text: "Hmeymim")).isEmpty)
        try b.apply(try a.records(kind: .revision) + a.records(kind: .document) + a.records(kind: .annotation) + a.records(kind: .note), from: a.replicaID)
        #expect(Set(try b.search(SearchQuery(text: "Hmeymim")).map(\.id)) == [ann.id, note.id])
    }

    @Test func aCitationKeepsItsQuoteAndSourceAfterTheAnnotationIsDeleted() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try store.importDocuments([ImportItem(name: "t", text: Self.text, source: DocumentSource(
            title: "Troops", publisher: "VICE News", published: "2016-03-15", grade: .B))])
        guard case .imported(let doc, _) = document[0] else { return }
        let ann = try store.annotate(AnnotationRequest(document: doc.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let note = try store.addNote(title: "N", body: "b", cite: [ann.id], tags: [])
        _ = try store.delete(ann.id)
        let citation = try #require(try store.note(note.id).citations.first)
        #expect(citation.quote == "between 3,000 and 6,000")
        #expect(citation.sourceLine == "VICE News, Troops, published 2016-03-15, accessed \(doc.accessed!), source grade B")
        let report = try MarkdownReport.export(store)
        #expect(report.contains("[^1.1]: VICE News, *Troops*, published 2016-03-15"))
    }

    @Test func theW3CExportHasSelectorsBodiesAndDates() throws {
        let (store, dir) = try TestStores.make(clock: TestStores.steppingClock(start: 1_700_000_000_000))
        defer { dir.remove() }
        let document = try imported(store)
        _ = try store.annotate(AnnotationRequest(
            document: document.id, selection: .range(start: 10, end: 16), comment: "who?", claim: "US believes",
            saidBy: "US", credibility: 2, tags: ["us", "troops"]))
        let json = try #require(try JSONSerialization.jsonObject(with: W3CExport.export(store)) as? [String: Any])
        let item = try #require(((json["first"] as? [String: Any])?["items"] as? [[String: Any]])?.first)
        #expect(item["motivation"] as? String == "assessing")
        #expect((item["created"] as? String)?.hasSuffix("Z") == true)
        let bodies = try #require(item["body"] as? [[String: Any]])
        #expect(bodies.map { $0["purpose"] as? String } == ["commenting", "assessing", "tagging", "tagging"])
        let selectors = try #require((item["target"] as? [String: Any])?["selector"] as? [[String: Any]])
        #expect(selectors[0]["exact"] as? String == "The US")
        #expect(selectors[1]["start"] as? Int == 10)
        #expect((item["creator"] as? [String: Any])?["name"] as? String == "test")
    }
}
