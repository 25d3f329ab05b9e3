import Foundation

/// Finds a quote typed by a person in a revision: all its occurrences, or the closest passage
/// when it is absent (for the error message).
public enum QuoteLocator {
    /// One place where a quote occurs, with some context for a person to choose.
    public struct Occurrence: Sendable, Equatable {
        /// Scalar offsets.
        public var position: TextPositionSelector
        /// About 30 scalars before and after, on one line.
        public var context: String
    }

    /// Every occurrence of `quote` (NFC-normalised) in `text`.
    public static func occurrences(of quote: String, in text: ScalarText) -> [Occurrence] {
        let needle = ScalarText(quote).scalars
        return ScalarText.occurrences(of: needle, in: text.scalars).map { start in
            let end = start + needle.count
            return Occurrence(position: TextPositionSelector(start: start, end: end), context: context(text, start, end))
        }
    }

    /// The passage of `text` most like `quote`, widened to whole words, with its similarity.
    public static func closestPassage(to quote: String, in text: ScalarText) -> (passage: String, position: TextPositionSelector, similarity: Double)? {
        let needle = ScalarText(quote).scalars
        guard !needle.isEmpty, !text.scalars.isEmpty,
            let match = TextSimilarity.bestMatch(of: needle, in: text.scalars, window: 0..<text.count),
            match.end > match.start
        else { return nil }
        var start = match.start, end = match.end
        func isWordScalar(_ v: UInt32) -> Bool {
            guard let u = Unicode.Scalar(v) else { return false }
            return u.properties.isAlphabetic || u.properties.numericType != nil
        }
        while start > 0 && isWordScalar(text.scalars[start - 1]) && isWordScalar(text.scalars[start]) { start -= 1 }
        while end < text.count && isWordScalar(text.scalars[end]) && isWordScalar(text.scalars[end - 1]) { end += 1 }
        let similarity = TextSimilarity.similarity(needle[...], text.scalars[start..<end])
        return (text.slice(start, end), TextPositionSelector(start: start, end: end), similarity)
    }

    /// `text[start..<end]` with up to 30 scalars each side, newlines flattened, the passage in «».
    public static func context(_ text: ScalarText, _ start: Int, _ end: Int, width: Int = 30) -> String {
        let before = text.slice(start - width, start), passage = text.slice(start, end), after = text.slice(end, end + width)
        let flat = { (s: String) in s.replacingOccurrences(of: "\n", with: " ") }
        return "…" + flat(before) + "«" + flat(passage) + "»" + flat(after) + "…"
    }
}
