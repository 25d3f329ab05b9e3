import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// The Markdown report's footnotes: scoped to their note, safe from what a note's body contains,
/// giving the source's author and URL.
extension DomainStoreTests {
    /// The report's footnote definitions, label → text.
    static func markdownFootnotes(_ report: String) -> [String: String] {
        var definitions: [String: String] = [:]
        for line in report.split(separator: "\n") where line.hasPrefix("[^") {
            guard let close = line.firstIndex(of: "]"), line[line.index(after: close)...].hasPrefix(": ") else { continue }
            let label = String(line[line.index(line.startIndex, offsetBy: 2)..<close])
            #expect(definitions[label] == nil, "footnote \(label) defined twice")
            definitions[label] = String(line[line.index(close, offsetBy: 3)...])
        }
        return definitions
    }

    /// The report's section for the note titled `title` (from its heading to the next `###`).
    static func markdownSection(_ report: String, _ title: String) throws -> Substring {
        let start = try #require(report.range(of: "### \(title)\n"))
        let rest = report[start.upperBound...]
        return rest[..<(rest.range(of: "\n### ")?.lowerBound ?? rest.endIndex)]
    }

    /// Two notes each citing an annotation; the second's body refers to its own first citation
    /// with `[^1]`, which used to be the first note's footnote.
    @Test func markdownNoteBodyReferencesReachTheirOwnNotesCitations() throws {
        // A clock that moves on every reading: the report lists records oldest first, and two
        // made in the same millisecond would come in ID order.
        let (store, dir) = try TestStores.make(clock: TestStores.steppingClock())
        defer { dir.remove() }
        let troops = try imported(store, title: "Troops")
        let lavrov = try imported(store, "Lavrov said the drawdown depends on the ground.", title: "Lavrov")
        let a1 = try store.annotate(AnnotationRequest(document: troops.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let a2 = try store.annotate(AnnotationRequest(document: lavrov.id, selection: .quote("the drawdown depends on the ground", occurrence: nil)))
        _ = try store.addNote(title: "Strength", body: "The US estimate [^1].", cite: [a1.id], tags: [])
        _ = try store.addNote(title: "Withdrawal", body: "Lavrov claimed a drawdown [^1].", cite: [a2.id], tags: [])
        let report = try MarkdownReport.export(store)
        let footnotes = Self.markdownFootnotes(report)

        let second = try Self.markdownSection(report, "Withdrawal")
        let body = try #require(second.split(separator: "\n").first { $0.hasPrefix("Lavrov claimed") })
        let label = try #require(body.firstRange(of: "[^").map { body[$0.upperBound...].prefix { $0 != "]" } })
        let definition = try #require(footnotes[String(label)])
        #expect(definition.contains("*Lavrov*") && definition.hasSuffix("“the drawdown depends on the ground”"))
        // The quote under the note carries the same footnote.
        #expect(second.contains("> “the drawdown depends on the ground”[^\(label)]"))

        let first = try Self.markdownSection(report, "Strength")
        #expect(first.contains("The US estimate [^1.1]."))
        #expect(footnotes["1.1"]?.hasSuffix("“between 3,000 and 6,000”") == true)
        // Annotations' footnotes follow, with labels of their own.
        #expect(footnotes.count == 4)
        #expect(footnotes["1"]?.hasSuffix("“between 3,000 and 6,000”") == true)
    }

    /// A body with footnote-like definitions, references to no citation, headings, a setext
    /// underline and an unclosed code fence: the report keeps its own sections and footnotes.
    @Test func markdownNoteBodyCannotBreakTheReportStructure() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        let a = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let body = """
            # Summary
            See [^1] and [^2] and [^x] and `[^1]` in code.
            [^1]: my own definition
              [^3]: another
            Not a heading
            ---
            ## Annotations
            ```swift
            # not a heading
            """
        _ = try store.addNote(title: "Odd body", body: body, cite: [a.id], tags: [])
        let report = try MarkdownReport.export(store)
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false)

        // Only the report's own footnotes are defined: the note's citation and the annotation.
        #expect(Set(Self.markdownFootnotes(report).keys) == ["1.1", "1"])
        #expect(!lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("[^3]") })
        // Only the report's own headings are at levels 1-3 (outside fenced code).
        var inFence = false
        let headings = lines.filter { line in
            if line.hasPrefix("```") { inFence.toggle() }
            return !inFence && (line.hasPrefix("# ") || line.hasPrefix("## ") || line.hasPrefix("### "))
        }
        #expect(!inFence)
        #expect(headings == ["# Gloss report", "## Notes", "### Odd body", "## Annotations", "### Troops"])

        let section = try Self.markdownSection(report, "Odd body")
        #expect(section.contains("#### Summary\n"))
        #expect(section.contains("See [^1.1] and \\[^2] and \\[^x] and `[^1]` in code."))
        #expect(section.contains("\\[^1]: my own definition"))
        #expect(section.contains("  \\[^3]: another"))
        #expect(section.contains("Not a heading\n\\---\n"))
        #expect(section.contains("##### Annotations\n"))
        // The fence the body left open is closed before the citations.
        #expect(section.contains("```swift\n# not a heading\n```\n\n> “between 3,000 and 6,000”[^1.1]"))
    }

    /// The footnote gives the author and URL when the document has them (the author once when it
    /// is also the publisher).
    @Test func markdownFootnotesGiveTheSourcesAuthorAndURL() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let results = try store.importDocuments([
            ImportItem(name: "a", text: Self.text, source: DocumentSource(
                title: "Troops", publisher: "RFE/RL", author: "Jane Doe", url: "https://www.rferl.org/a/27605547.html",
                published: "2016-03-15", accessed: "2026-01-15", grade: .B)),
            ImportItem(name: "b", text: "The EUAA counts bases.", source: DocumentSource(
                title: "Country Focus", publisher: "EUAA", author: "EUAA", published: "2025-03", accessed: "2026-01-15")),
        ])
        guard case .imported(let rferl, _) = results[0], case .imported(let euaa, _) = results[1] else {
            Issue.record("not imported")
            return
        }
        let a1 = try store.annotate(AnnotationRequest(document: rferl.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let a2 = try store.annotate(AnnotationRequest(document: euaa.id, selection: .quote("counts bases", occurrence: nil)))
        let note = try store.addNote(title: "N", body: "b", cite: [a1.id, a2.id], tags: [])
        #expect(note.citations.map(\.author) == ["Jane Doe", "EUAA"])
        #expect(note.citations.map(\.url) == ["https://www.rferl.org/a/27605547.html", nil])
        let footnotes = Self.markdownFootnotes(try MarkdownReport.export(store))
        let expected = "RFE/RL, Jane Doe, *Troops*, published 2016-03-15, accessed 2026-01-15, source grade B, <https://www.rferl.org/a/27605547.html>: “between 3,000 and 6,000”"
        let euaaText = "EUAA, *Country Focus*, published 2025-03, accessed 2026-01-15: “counts bases”"
        #expect(footnotes["1.1"] == expected)
        #expect(footnotes["1.2"] == euaaText)
        // The annotations' footnotes: the two documents were imported together (the same
        // created time), so the report lists them by ID.
        let byID = [rferl.id: expected, euaa.id: euaaText]
        #expect([footnotes["1"], footnotes["2"]] == [rferl.id, euaa.id].sorted().map { byID[$0] })
    }
}
