/// The W3C TextPositionSelector: start and end offsets, in Unicode scalars of the NFC text.
public struct TextPositionSelector: Sendable, Equatable, Hashable, Codable {
    /// The first scalar of the passage.
    public var start: Int
    /// One past the last scalar.
    public var end: Int

    /// A selector for `start..<end`.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The number of scalars selected.
    public var length: Int { end - start }

    /// The largest offset kept: no text Gloss stores comes near it, and offsets up to it leave
    /// room for arithmetic on them without overflow.
    public static let maxOffset = Int(Int32.max)

    /// This selector with `0 ≤ start ≤ end ≤ maxOffset`. Gloss writes only such selectors, but a
    /// faulty or hostile peer may send any integers; clamped, they still name a (possibly empty)
    /// passage, and re-anchoring finds the quote by its text or leaves it orphaned.
    public var clamped: TextPositionSelector {
        let start = min(max(start, 0), Self.maxOffset)
        return TextPositionSelector(start: start, end: min(max(end, start), Self.maxOffset))
    }
}
