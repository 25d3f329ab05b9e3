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
}
