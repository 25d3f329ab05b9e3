/// Whether a quote began and ended on word boundaries where it was made, so that a passage
/// found for it elsewhere can be required to as well: a quote of the whole word "Russia" must
/// not be placed on the first six letters of "Russian".
struct WordEdges {
    /// The quote's first scalar continued a word of its prefix.
    let cutAtStart: Bool
    /// The quote's last scalar continued into a word of its suffix.
    let cutAtEnd: Bool
    let first: UInt32?
    let last: UInt32?

    init(exact: [UInt32], prefix: [UInt32], suffix: [UInt32]) {
        first = exact.first
        last = exact.last
        cutAtStart = Self.joins(prefix.last, first)
        cutAtEnd = Self.joins(last, suffix.first)
    }

    /// True when `start..<end` of `text` cuts no word at an edge where the quote cut none.
    func kept(at start: Int, _ end: Int, in text: [UInt32]) -> Bool {
        if !cutAtStart, start > 0, Self.joins(text[start - 1], first) { return false }
        if !cutAtEnd, end < text.count, Self.joins(last, text[end]) { return false }
        return true
    }

    /// Two scalars side by side are inside one word: both letters or digits.
    static func joins(_ a: UInt32?, _ b: UInt32?) -> Bool {
        guard let a, let b else { return false }
        return isWordScalar(a) && isWordScalar(b)
    }

    static func isWordScalar(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
