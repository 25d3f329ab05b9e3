import Foundation

/// A note's body as the Markdown report prints it: inside the note's section, its footnote
/// references pointing at the note's own citations, and nothing in it able to change the rest of
/// the report.
///
/// An analyst writing a note numbers its citations as `gloss note show` does, [1], [2], ... in
/// citation order, so `[^n]` in a body means "this note's n-th citation". The report gives every
/// note's citations labels of their own (`MarkdownReport`: `[^k.n]` for the k-th note), so a body's
/// `[^n]` is rewritten to its note's label for its n-th citation, never another note's footnote.
enum ReportNoteBody {
    /// `body`, trimmed, with:
    /// - `[^n]`, for n from 1 to `labels.count`, rewritten to `[^labels[n-1]]`;
    /// - every other `[^` escaped (`\[^`, shown as typed): a reference to no citation of this
    ///   note would point at another note's footnote or at nothing, and a line that looks like a
    ///   footnote definition (`[^3]: ...`) would define or replace one of the report's, even with a
    ///   valid number;
    /// - ATX headings moved down three levels (`#` → `####`, at most `######`), so they fall
    ///   under the note's `###` title instead of starting a section of the report; a setext
    ///   underline (`===` or `---` under a line of text) escaped, so it stays text;
    /// - fenced code left as it is, and closed at the end of the body when the body leaves it open
    ///   (it would swallow the rest of the report).
    /// Code spans within a line are left as they are.
    static func render(_ body: String, labels: [String]) -> String {
        let lines = body.trimmingCharacters(in: .whitespacesAndNewlines).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var out: [String] = []
        var fence: (marker: Character, length: Int)? = nil
        var previousIsText = false
        for line in lines.map(String.init) {
            if let open = fence {
                out.append(line)
                if let close = Self.fence(line), close.marker == open.marker, close.length >= open.length, close.info.isEmpty { fence = nil }
                continue
            }
            if let open = Self.fence(line) {
                fence = (open.marker, open.length)
                out.append(line)
                previousIsText = false
                continue
            }
            var rendered = references(line, labels: labels)
            if let level = headingLevel(rendered) {
                let indent = rendered.prefix { $0 == " " }
                rendered = String(indent) + String(repeating: "#", count: min(level + 3, 6)) + String(rendered.dropFirst(indent.count + level))
            } else if previousIsText && isSetextUnderline(rendered) {
                let indent = rendered.prefix { $0 == " " }
                rendered = String(indent) + "\\" + String(rendered.dropFirst(indent.count))
            }
            out.append(rendered)
            previousIsText = !rendered.allSatisfy(\.isWhitespace)
        }
        if let open = fence { out.append(String(repeating: open.marker, count: open.length)) }
        return out.joined(separator: "\n")
    }

    /// `line` with its footnote references rewritten or escaped (outside code spans).
    static func references(_ line: String, labels: [String]) -> String {
        let chars = Array(line)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                out.append(c)
                out.append(chars[i + 1])
                i += 2
            } else if c == "`" {
                // A code span: the same run of backticks closes it; without one, the run is text.
                var run = i
                while run < chars.count, chars[run] == "`" { run += 1 }
                let length = run - i
                var close: Int? = nil
                var j = run
                while j < chars.count {
                    guard chars[j] == "`" else { j += 1; continue }
                    var end = j
                    while end < chars.count, chars[end] == "`" { end += 1 }
                    if end - j == length { close = end; break }
                    j = end
                }
                let stop = close ?? run
                out += String(chars[i..<stop])
                i = stop
            } else if c == "[", i + 1 < chars.count, chars[i + 1] == "^" {
                let close = chars[(i + 2)...].firstIndex(of: "]")
                let atLineStart = i <= 3 && chars[..<i].allSatisfy { $0 == " " }
                let definition = close.map { $0 + 1 < chars.count && chars[$0 + 1] == ":" && atLineStart } ?? false
                if let close, !definition, let n = Int(String(chars[(i + 2)..<close])), n >= 1, n <= labels.count,
                    chars[(i + 2)..<close].allSatisfy(\.isASCII)
                {
                    out += "[^\(labels[n - 1])]"
                    i = close + 1
                } else {
                    out += "\\["
                    i += 1
                }
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// The level of an ATX heading (up to 3 spaces, 1-6 `#`, then a space, a tab or the end).
    static func headingLevel(_ line: String) -> Int? {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let level = rest.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let after = rest.dropFirst(level).first
        return after == nil || after == " " || after == "\t" ? level : nil
    }

    /// True for a line that would underline the text above it as a heading: up to 3 spaces, then
    /// only `=` or only `-`, then spaces.
    static func isSetextUnderline(_ line: String) -> Bool {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return false }
        let rest = line.dropFirst(indent).trimmingCharacters(in: .whitespaces)
        guard let first = rest.first, first == "=" || first == "-" else { return false }
        return rest.allSatisfy { $0 == first }
    }

    /// A code fence (up to 3 spaces, then 3 or more backticks or tildes): its marker, length and
    /// info string.
    static func fence(_ line: String) -> (marker: Character, length: Int, info: String)? {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let length = rest.prefix { $0 == marker }.count
        guard length >= 3 else { return nil }
        let info = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
        // A backtick fence's info string has no backtick (else it is a code span).
        if marker == "`" && info.contains("`") { return nil }
        return (marker, length, info)
    }
}
