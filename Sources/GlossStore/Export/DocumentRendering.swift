import GlossCore

/// The text `gloss show` prints (in the library so the benchmark measures the same code).
public enum DocumentRendering {
    /// The document header, its text with numbered marks, and the list of annotations.
    public static func render(_ document: Document, text: ScalarText, anchored: [AnchoredAnnotation], color: Bool) -> String {
        String(decoding: bytes(document, text: text, anchored: anchored, color: color), as: UTF8.self)
    }

    /// `render(...)` as UTF-8, built in one buffer (the text once, no string per annotation).
    public static func bytes(_ document: Document, text: ScalarText, anchored: [AnchoredAnnotation], color: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.string.utf8.count + anchored.count * 160 + 256)
        out.append(contentsOf: "\(document.title)  (\(document.id))\n".utf8)
        var source: [String] = []
        if let p = document.publisher { source.append(p) }
        if let a = document.author { source.append(a) }
        source.append("published \(document.published ?? "n.d.")")
        if let a = document.accessed { source.append("accessed \(a)") }
        if let g = document.grade { source.append("source grade \(g)" + (document.gradeNote.map { " (\($0))" } ?? "")) }
        if let u = document.url { source.append(u) }
        out.append(contentsOf: (source.joined(separator: ", ") + "\n\n").utf8)
        var marks: [AnnotatedTextRenderer.Mark] = []
        marks.reserveCapacity(anchored.count)
        // Through a buffer pointer: a loop over the elements, or `anchored[i]`, copies each
        // annotation (a retain and a release of a dozen strings).
        anchored.withUnsafeBufferPointer { list in
            for i in list.indices {
                if let position = list[i].anchor.position { marks.append(AnnotatedTextRenderer.Mark(number: i + 1, position: position)) }
            }
        }
        AnnotatedTextRenderer.append(text, marks: marks, color: color, to: &out)
        if out.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
        guard !anchored.isEmpty else { return out }
        out.append(contentsOf: "\nAnnotations:\n".utf8)
        anchored.withUnsafeBufferPointer { list in
            for i in list.indices {
                AnnotationLine.append(at: list.baseAddress! + i, number: i + 1, to: &out)
                out.append(UInt8(ascii: "\n"))
            }
        }
        return out
    }
}

/// One annotation as a line (or a few) of plain text.
public enum AnnotationLine {
    /// The annotation's ID, motivation, anchor status, quote, comment, claim and tags.
    public static func render(_ a: AnchoredAnnotation, number: Int? = nil) -> String {
        var out: [UInt8] = []
        append(a, number: number, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 of `render(a, number:)` to `out`.
    public static func append(_ a: AnchoredAnnotation, number: Int? = nil, to out: inout [UInt8]) {
        withUnsafePointer(to: a) { append(at: $0, number: number, to: &out) }
    }

    /// `append(_:number:to:)` for the annotation at `pointer`, read in place: passing an element
    /// of a buffer by value copied it whole (a retain and a release of every string in it).
    static func append(at pointer: UnsafePointer<AnchoredAnnotation>, number: Int?, to out: inout [UInt8]) {
        if let number {
            out.append(UInt8(ascii: "["))
            AnnotatedTextRenderer.appendDecimal(number, to: &out)
            out.append(contentsOf: "] ".utf8)
        }
        out.append(contentsOf: pointer.pointee.annotation.id.utf8)
        out.append(contentsOf: "  ".utf8)
        out.append(contentsOf: pointer.pointee.annotation.motivation.rawValue.utf8)
        out.append(contentsOf: "  (".utf8)
        out.append(contentsOf: pointer.pointee.anchor.status == .fuzzy ? "fuzzy, needs review".utf8 : pointer.pointee.anchor.status.rawValue.utf8)
        out.append(contentsOf: ")  “".utf8)
        appendOneLine(pointer.pointee.annotation.quote.exact, to: &out)
        out.append(contentsOf: "”".utf8)
        if let c = pointer.pointee.annotation.comment {
            out.append(contentsOf: "\n      comment: ".utf8)
            appendOneLine(c, to: &out)
        }
        // The claim with its source and credibility; either of those is shown without a claim
        // too (an edit can clear the claim and keep them).
        let claim = pointer.pointee.annotation.claim, saidBy = pointer.pointee.annotation.saidBy
        let credibility = pointer.pointee.annotation.credibility
        if claim != nil || saidBy != nil || credibility != nil {
            out.append(contentsOf: "\n      ".utf8)
            if let claim {
                out.append(contentsOf: "claim: ".utf8)
                appendOneLine(claim, to: &out)
            }
            if let saidBy {
                out.append(contentsOf: (claim == nil ? "said by " : " (said by ").utf8)
                appendOneLine(saidBy, to: &out)
                if claim != nil { out.append(UInt8(ascii: ")")) }
            }
            if let c = credibility {
                out.append(contentsOf: "\(claim == nil && saidBy == nil ? "" : ", ")credibility \(c): \(Credibility.meaning(c))".utf8)
            }
        }
        if !pointer.pointee.annotation.tags.isEmpty {
            out.append(contentsOf: "\n      tags:".utf8)
            for tag in pointer.pointee.annotation.tags {
                out.append(contentsOf: " #".utf8)
                out.append(contentsOf: tag.utf8)
            }
        }
    }

    /// `text` with line breaks turned into spaces.
    public static func oneLine(_ text: String) -> String {
        guard hasLineBreak(text) else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    static func hasLineBreak(_ text: String) -> Bool {
        text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D })
    }

    /// Appends the UTF-8 of `oneLine(text)` to `out`.
    static func appendOneLine(_ text: String, to out: inout [UInt8]) {
        let appended = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where byte == 0x0A || byte == 0x0D { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if appended != true { out.append(contentsOf: oneLine(text).utf8) }
    }
}
