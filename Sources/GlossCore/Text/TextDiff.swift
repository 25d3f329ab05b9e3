/// A diff between two texts, as runs of equal, deleted and inserted tokens (words or lines),
/// for showing people what changed. Pure: no I/O.
public enum TextDiff {
    /// One run of tokens.
    public enum Segment: Hashable, Sendable {
        /// Tokens present in both texts.
        case equal(String)
        /// Tokens only in the old text.
        case delete(String)
        /// Tokens only in the new text.
        case insert(String)

        /// The run's text.
        public var text: String {
            switch self {
            case .equal(let t), .delete(let t), .insert(let t): return t
            }
        }
    }

    /// A word-level diff: words and the whitespace between them are tokens, so a changed word
    /// shows as one deletion and one insertion rather than a changed line.
    public static func words(_ old: String, _ new: String) -> [Segment] {
        segments(tokenizeWords(old), tokenizeWords(new))
    }

    /// A line-level diff: each line (with its newline) is a token.
    public static func lines(_ old: String, _ new: String) -> [Segment] {
        segments(tokenizeLines(old), tokenizeLines(new))
    }

    /// The old text rebuilt from a diff (equal and deleted runs).
    public static func oldText(_ segments: [Segment]) -> String {
        segments.map { if case .insert = $0 { return "" } else { return $0.text } }.joined()
    }

    /// The new text rebuilt from a diff (equal and inserted runs).
    public static func newText(_ segments: [Segment]) -> String {
        segments.map { if case .delete = $0 { return "" } else { return $0.text } }.joined()
    }

    /// Splits text into maximal runs of whitespace and of non-whitespace.
    static func tokenizeWords(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start = text.startIndex
        var current: Bool? = nil
        for index in text.indices {
            let isSpace = text[index].isWhitespace
            if let current, current != isSpace {
                tokens.append(text[start..<index])
                start = index
            }
            current = isSpace
        }
        if start < text.endIndex { tokens.append(text[start...]) }
        return tokens
    }

    /// Splits text into lines, each keeping its trailing newline. Works on UTF-8 bytes: faster
    /// than walking Characters, and "\r\n" (one Character) still ends a line.
    static func tokenizeLines(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex, index = start
        while index != utf8.endIndex {
            let next = utf8.index(after: index)
            // A line feed always ends a grapheme cluster, so `next` is a Character boundary.
            if utf8[index] == 0x0A {
                tokens.append(text[start..<next])
                start = next
            }
            index = next
        }
        if start != utf8.endIndex { tokens.append(text[start...]) }
        return tokens
    }

    static func segments(_ a: [Substring], _ b: [Substring]) -> [Segment] {
        // Runs are gathered as token lists and joined once: appending to a growing String per
        // token would copy long unchanged stretches over and over.
        var runs: [(kind: Int, tokens: [Substring])] = []
        func push(_ kind: Int, _ token: Substring) {
            if let last = runs.last, last.kind == kind {
                runs[runs.count - 1].tokens.append(token)
            } else {
                runs.append((kind, [token]))
            }
        }
        let matches = LongestCommonSubsequence.matches(a, b)
        var i = 0, j = 0
        for (mi, mj) in matches + [(a.count, b.count)] {
            // Deletions before insertions inside a changed stretch reads naturally: "[-old-]{+new+}".
            while i < mi { push(1, a[i]); i += 1 }
            while j < mj { push(2, b[j]); j += 1 }
            if mi < a.count { push(0, a[mi]); i += 1; j += 1 }
        }
        return runs.map { run in
            let text = run.tokens.joined()
            return run.kind == 0 ? .equal(text) : run.kind == 1 ? .delete(text) : .insert(text)
        }
    }
}
