import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// Filtered searches on a store where more records match the words than a search used to rank
/// (2,000, then filtered): the filters narrow the matches before ranking, so every match that
/// passes them is found, however many other records rank above it.
@Suite struct SearchFilterTests {
    @Test func filtersFindMatchesThatRankBelowThousandsOfUnfilteredOnes() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        // 2,100 short notes titled and about "alpha": the best matches, with no tag, citing nothing.
        let crowd = 2_100
        try store.write { w in
            for i in 0..<crowd {
                try w.update(String(format: "n-%012x", i), kind: .note) { e in
                    e.set(FieldName.title, .string("Alpha"))
                    e.set(FieldName.body, .string("alpha"))
                }
            }
        }
        // A document, an annotation and a note that each say "alpha" once in a long text, so
        // each ranks below every note of the crowd.
        let filler = (1...300).map { "filler\($0)" }.joined(separator: " ")
        let results = try store.importDocuments([ImportItem(
            name: "report", text: "Report\n\n\(filler) alpha \(filler)", source: DocumentSource(title: "Report"))])
        guard case .imported(let document, _) = try #require(results.first) else {
            Issue.record("not imported: \(results)")
            return
        }
        let annotation = try store.annotate(AnnotationRequest(
            document: document.id, selection: .quote("alpha", occurrence: nil), comment: filler, tags: ["rare"]))
        let note = try store.addNote(title: "Long", body: "\(filler) alpha", cite: [annotation.id], tags: ["rare"])

        let best = try store.search(SearchQuery(text: "alpha", limit: 2_000))
        #expect(best.count == 2_000)
        #expect(Set(best.map(\.id)).isDisjoint(with: [document.id, annotation.id, note.id]), "the test needs them to rank low")

        #expect(try store.search(SearchQuery(text: "alpha", kind: .document)).map(\.id) == [document.id])
        #expect(try store.search(SearchQuery(text: "alpha", kind: .annotation)).map(\.id) == [annotation.id])
        #expect(Set(try store.search(SearchQuery(text: "alpha", tag: "rare")).map(\.id)) == [annotation.id, note.id])
        #expect(try store.search(SearchQuery(text: "alpha", kind: .note, tag: "rare")).map(\.id) == [note.id])
        #expect(try store.search(SearchQuery(text: "alpha", tag: "rar")).isEmpty)
        // The document's text, its annotation, and the note citing it (checked on the note itself).
        #expect(Set(try store.search(SearchQuery(text: "alpha", document: document.id)).map(\.id)) == [document.id, annotation.id, note.id])
        // Unfiltered, every match can be listed, best first.
        let all = try store.search(SearchQuery(text: "alpha", limit: 5_000))
        #expect(all.count == crowd + 3)
        #expect(all.map(\.rank) == all.map(\.rank).sorted())
        #expect(all.suffix(3).allSatisfy { [document.id, annotation.id, note.id].contains($0.id) })
    }
}
