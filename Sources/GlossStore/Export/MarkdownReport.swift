import Foundation
import GlossCore

/// A Markdown report in the style of a country-of-origin report: each note with its text and the
/// passages it cites, every citation a numbered footnote giving the quote, document title,
/// publisher, publication date, access date and source grade. Annotations follow by document.
public enum MarkdownReport {
    /// The report as Markdown text.
    public static func export(_ store: ReplicaStore, filter: ExportFilter = ExportFilter()) throws -> String {
        let selection = try ExportSelection(store, filter)
        var out = "# Gloss report\n\n"
        var footnotes: [String] = []
        func footnote(_ text: String) -> String {
            footnotes.append(text)
            return "[^\(footnotes.count)]"
        }
        if !selection.notes.isEmpty { out += "## Notes\n\n" }
        for note in selection.notes {
            out += "### \(note.title)\n\n"
            if !note.tags.isEmpty { out += "Tags: " + note.tags.map { "#\($0)" }.joined(separator: " ") + "\n\n" }
            if !note.body.isEmpty { out += note.body.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n" }
            for citation in note.citations {
                out += "> “\(oneLine(citation.quote))”" + footnote(footnoteText(citation)) + "\n\n"
            }
        }
        let byDocument = Dictionary(grouping: selection.annotations, by: \.document)
        if !selection.annotations.isEmpty { out += "## Annotations\n\n" }
        for document in selection.documents {
            guard let annotations = byDocument[document.id], !annotations.isEmpty else { continue }
            out += "### \(document.title)\n\n"
            for a in annotations {
                let citation = Citation(
                    annotation: a.id, order: 0, quote: a.quote.exact, document: document.id, title: document.title,
                    publisher: document.publisher, published: document.published, accessed: document.accessed,
                    grade: document.grade)
                var line = "- “\(oneLine(a.quote.exact))”" + footnote(footnoteText(citation))
                if let comment = a.comment { line += " — \(oneLine(comment))" }
                if let claim = a.claim {
                    line += " — claim: \(oneLine(claim))"
                    if let saidBy = a.saidBy { line += " (said by \(saidBy))" }
                    if let c = a.credibility { line += ", credibility \(c) (\(Credibility.meaning(c)))" }
                }
                if !a.tags.isEmpty { line += " " + a.tags.map { "#\($0)" }.joined(separator: " ") }
                out += line + " `\(a.id)`\n"
            }
            out += "\n"
        }
        if !footnotes.isEmpty {
            out += "---\n\n"
            for (i, text) in footnotes.enumerated() { out += "[^\(i + 1)]: \(text)\n" }
        }
        return out
    }

    /// "Publisher, *Title*, published D, accessed D, source grade G: “quote”".
    static func footnoteText(_ c: Citation) -> String {
        var parts: [String] = []
        if let publisher = c.publisher { parts.append(publisher) }
        parts.append("*\(c.title)*")
        parts.append("published \(c.published ?? "n.d.")")
        if let accessed = c.accessed { parts.append("accessed \(accessed)") }
        if let grade = c.grade { parts.append("source grade \(grade)") }
        return parts.joined(separator: ", ") + ": “\(oneLine(c.quote))”"
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
