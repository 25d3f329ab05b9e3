import GlossCore

/// The text `gloss show` prints (in the library so the benchmark measures the same code).
public enum DocumentRendering {
    /// The document header, its text with numbered marks, and the list of annotations.
    public static func render(_ document: Document, text: ScalarText, anchored: [AnchoredAnnotation], color: Bool) -> String {
        var out = "\(document.title)  (\(document.id))\n"
        var source: [String] = []
        if let p = document.publisher { source.append(p) }
        if let a = document.author { source.append(a) }
        source.append("published \(document.published ?? "n.d.")")
        if let a = document.accessed { source.append("accessed \(a)") }
        if let g = document.grade { source.append("source grade \(g)" + (document.gradeNote.map { " (\($0))" } ?? "")) }
        if let u = document.url { source.append(u) }
        out += source.joined(separator: ", ") + "\n\n"
        let marks = anchored.enumerated().compactMap { i, a in
            a.anchor.position.map { AnnotatedTextRenderer.Mark(number: i + 1, position: $0) }
        }
        out += AnnotatedTextRenderer.render(text, marks: marks, color: color)
        if !out.hasSuffix("\n") { out += "\n" }
        guard !anchored.isEmpty else { return out }
        out += "\nAnnotations:\n"
        for (i, a) in anchored.enumerated() {
            out += AnnotationLine.render(a, number: i + 1) + "\n"
        }
        return out
    }
}

/// One annotation as a line (or a few) of plain text.
public enum AnnotationLine {
    /// The annotation's ID, motivation, anchor status, quote, comment, claim and tags.
    public static func render(_ a: AnchoredAnnotation, number: Int? = nil) -> String {
        let ann = a.annotation
        var status = a.anchor.status.rawValue
        if a.anchor.status == .fuzzy { status = "fuzzy, needs review" }
        var line = (number.map { "[\($0)] " } ?? "") + "\(ann.id)  \(ann.motivation.rawValue)  (\(status))  “\(oneLine(ann.quote.exact))”"
        if let c = ann.comment { line += "\n      comment: \(oneLine(c))" }
        if let claim = ann.claim {
            line += "\n      claim: \(oneLine(claim))"
            if let s = ann.saidBy { line += " (said by \(s))" }
            if let c = ann.credibility { line += ", credibility \(c): \(Credibility.meaning(c))" }
        }
        if !ann.tags.isEmpty { line += "\n      tags: " + ann.tags.map { "#\($0)" }.joined(separator: " ") }
        return line
    }

    /// `text` with line breaks turned into spaces.
    public static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
