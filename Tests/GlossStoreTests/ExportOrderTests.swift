import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// Every export lists records in an order that depends on the records alone: replicas that
/// received the same records in different orders export the same bytes, but for the exporting
/// replica's ID.
@Suite struct ExportOrderTests {
    @Test func replicasThatReceivedTheSameRecordsInOtherOrdersExportTheSameBytes() throws {
        let (a, dirA) = try TestStores.make(name: "a", clock: TestStores.steppingClock())
        let (b, dirB) = try TestStores.make(name: "b")
        let (c, dirC) = try TestStores.make(name: "c")
        defer { dirA.remove(); dirB.remove(); dirC.remove() }
        // Three documents imported together (the same creation time), one revised; annotations
        // and notes on them.
        let imported = try a.importDocuments([
            ImportItem(name: "one", text: "Troops arrived at the base in March.", source: DocumentSource(title: "One")),
            ImportItem(name: "two", text: "Aircraft left the base in April.", source: DocumentSource(title: "Two")),
            ImportItem(name: "three", text: "Estimates of troop numbers differ.", source: DocumentSource(title: "Three")),
        ])
        let documents = imported.compactMap { result -> Document? in
            if case .imported(let document, _) = result { return document }
            return nil
        }
        try #require(documents.count == 3)
        var annotations: [Annotation] = []
        for (document, quote) in zip(documents, ["the base", "Aircraft", "troop numbers"]) {
            annotations.append(try a.annotate(AnnotationRequest(
                document: document.id, selection: .quote(quote, occurrence: nil), comment: "on \(document.title)", tags: ["t"])))
        }
        _ = try a.revise(document: documents[0].id, text: "Intro.\n\nTroops arrived at the base in March.")
        _ = try a.addNote(title: "First", body: "Cites two.", cite: [annotations[0].id, annotations[1].id], tags: ["t"])
        _ = try a.addNote(title: "Second", body: "Cites one.", cite: [annotations[2].id], tags: [])

        let states = try RecordKind.allCases.flatMap { try a.records(kind: $0) }
        try b.apply(states, from: a.replicaID)
        // The other replica gets them in the opposite order, one at a time.
        for state in states.reversed() { try c.apply([state], from: a.replicaID) }

        /// The export with its top-level `replica` (the exporting replica, the one thing local).
        func export(_ store: ReplicaStore) throws -> String {
            let text = String(decoding: try JSONExport.export(store), as: UTF8.self)
            let field = "\n  \"replica\" : \"\(store.replicaID.rawValue)\""
            #expect(text.contains(field))
            return text.replacingOccurrences(of: field, with: "\n  \"replica\" : \"R\"")
        }
        let fromA = try export(a), fromB = try export(b), fromC = try export(c)
        #expect(fromB == fromC)
        #expect(fromA == fromB)
        // Oldest first, ties by ID: the three documents were imported together.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(fromC.utf8)) as? [String: Any])
        let listed = (json["documents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(listed == documents.map(\.id).sorted())
        let notes = (json["notes"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        #expect(notes == ["First", "Second"])

        /// The W3C export with the exporting replica's ID (naming the collection) replaced.
        func w3c(_ store: ReplicaStore) throws -> String {
            String(decoding: try W3CExport.export(store), as: UTF8.self).replacingOccurrences(of: store.replicaID.rawValue, with: "R")
        }
        let w3cFromC = try w3c(c)
        #expect(try w3c(b) == w3cFromC)
        let collection = try #require(try JSONSerialization.jsonObject(with: Data(w3cFromC.utf8)) as? [String: Any])
        let items = try #require((collection["first"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["id"] as? String } == annotations.map { "urn:gloss:annotation:\($0.id)" })

        // The Markdown report names no replica.
        let report = try MarkdownReport.export(c)
        #expect(try MarkdownReport.export(b) == report)
        #expect(try MarkdownReport.export(a) == report)
        let headings = report.split(separator: "\n").filter { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) }
        #expect(headings == ["First", "Second"] + documents.sorted { $0.id < $1.id }.map(\.title))
    }
}
