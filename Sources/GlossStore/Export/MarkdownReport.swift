import Foundation
import GlossCore

/// A Markdown report in the style of a country-of-origin report: each note with its text and the
/// passages it cites, every citation a footnote giving the quote, document title, publisher,
/// author, publication date, access date, source grade and URL. Annotations follow by document.
///
/// Footnote labels are scoped to their note: the k-th note's n-th citation (in the order of
/// `gloss note show`) is `[^k.n]`, and the note's body, where the analyst wrote `[^n]` for that
/// citation, is rewritten to match (`ReportNoteBody`), so a body's reference always reaches its
/// own note's citation, never another note's. Annotations' footnotes are numbered `[^1]`,
/// `[^2]`, ... after the notes' (no dot, so no label is used twice).
public enum MarkdownReport {
    /// The report as Markdown text.
    public static func export(_ store: ReplicaStore, filter: ExportFilter = ExportFilter()) throws -> String {
        let selection = try ExportSelection(store, filter)
        let documents = Dictionary(uniqueKeysWithValues: selection.documents.map { ($0.id, $0) })
        var out = "# Gloss report\n\n"
        var footnotes: [(label: String, text: String)] = []
        func footnote(_ label: String, _ text: String) -> String {
            footnotes.append((label, text))
            return "[^\(label)]"
        }
        if !selection.notes.isEmpty { out += "## Notes\n\n" }
        for (k, note) in ExportSelection.order(selection.notes, created: \.created, id: \.id).enumerated() {
            let labels = note.citations.indices.map { "\(k + 1).\($0 + 1)" }
            out += "### \(oneLine(note.title))\n\n"
            if !note.tags.isEmpty { out += "Tags: " + note.tags.map { "#\($0)" }.joined(separator: " ") + "\n\n" }
            let body = ReportNoteBody.render(note.body, labels: labels)
            if !body.isEmpty { out += body + "\n\n" }
            for (citation, label) in zip(note.citations, labels) {
                let source = completed(citation, from: documents[citation.document])
                out += "> “\(oneLine(citation.quote))”" + footnote(label, footnoteText(source)) + "\n\n"
            }
        }
        let byDocument = Dictionary(grouping: selection.annotations, by: \.document)
        if !selection.annotations.isEmpty { out += "## Annotations\n\n" }
        var annotationNumber = 0
        for document in ExportSelection.order(selection.documents, created: \.created, id: \.id) {
            guard let annotations = byDocument[document.id], !annotations.isEmpty else { continue }
            out += "### \(oneLine(document.title))\n\n"
            for a in ExportSelection.order(annotations, created: \.created, id: \.id) {
                let citation = Citation(
                    annotation: a.id, order: 0, quote: a.quote.exact, document: document.id, title: document.title,
                    publisher: document.publisher, author: document.author, url: document.url, published: document.published,
                    accessed: document.accessed, grade: document.grade)
                annotationNumber += 1
                var line = "- “\(oneLine(a.quote.exact))”" + footnote("\(annotationNumber)", footnoteText(citation))
                if let comment = a.comment { line += " — \(oneLine(comment))" }
                // The claim with its source and credibility; either is shown without a claim too.
                if let claim = a.claim { line += " — claim: \(oneLine(claim))" }
                if let saidBy = a.saidBy { line += a.claim == nil ? " — said by \(oneLine(saidBy))" : " (said by \(oneLine(saidBy)))" }
                if let c = a.credibility {
                    line += (a.claim == nil && a.saidBy == nil ? " — " : ", ") + "credibility \(c) (\(Credibility.meaning(c)))"
                }
                if !a.tags.isEmpty { line += " " + a.tags.map { "#\($0)" }.joined(separator: " ") }
                out += line + " `\(a.id)`\n"
            }
            out += "\n"
        }
        if !footnotes.isEmpty {
            out += "---\n\n"
            for footnote in footnotes { out += "[^\(footnote.label)]: \(footnote.text)\n" }
        }
        return out
    }

    /// `citation` with the author and URL of its document when the citation has none (it was made
    /// before citations kept them) and the document is still there.
    static func completed(_ citation: Citation, from document: Document?) -> Citation {
        var citation = citation
        citation.author = citation.author ?? document?.author
        citation.url = citation.url ?? document?.url
        return citation
    }

    /// "Publisher, Author, *Title*, published D, accessed D, source grade G, <URL>: “quote”" (the
    /// author when the publisher is not the same name; the URL as a link when it can be one).
    static func footnoteText(_ c: Citation) -> String {
        var parts: [String] = []
        if let publisher = c.publisher { parts.append(oneLine(publisher)) }
        if let author = c.author, author != c.publisher { parts.append(oneLine(author)) }
        parts.append("*\(oneLine(c.title))*")
        parts.append("published \(c.published ?? "n.d.")")
        if let accessed = c.accessed { parts.append("accessed \(accessed)") }
        if let grade = c.grade { parts.append("source grade \(grade)") }
        if let url = c.url { parts.append(link(url)) }
        return parts.joined(separator: ", ") + ": “\(oneLine(c.quote))”"
    }

    /// `<url>` (an autolink) when `url` has a scheme and no space or angle bracket; else the text.
    static func link(_ url: String) -> String {
        let linkable = url.contains(":") && !url.contains { $0.isWhitespace || $0 == "<" || $0 == ">" }
        return linkable ? "<\(url)>" : oneLine(url)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
