/// The W3C TextQuoteSelector: the quoted passage with some context on each side.
public struct TextQuoteSelector: Sendable, Equatable, Codable {
    /// The passage itself.
    public var exact: String
    /// Up to `contextLength` scalars before it.
    public var prefix: String
    /// Up to `contextLength` scalars after it.
    public var suffix: String

    /// How much context a selector keeps on each side (the W3C examples use about 32).
    public static let contextLength = 32

    /// A selector with the given parts.
    public init(exact: String, prefix: String, suffix: String) {
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
    }

    /// The selector for the scalars `start..<end` of `text`.
    public init(text: ScalarText, start: Int, end: Int) {
        exact = text.slice(start, end)
        prefix = text.slice(start - TextQuoteSelector.contextLength, start)
        suffix = text.slice(end, end + TextQuoteSelector.contextLength)
    }
}
