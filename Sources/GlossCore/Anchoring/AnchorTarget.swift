/// What an annotation points at: a passage of one revision, by quote and by position.
public struct AnchorTarget: Sendable, Equatable {
    /// The revision the annotation was made on.
    public var revision: String
    /// The quoted passage with its context.
    public var quote: TextQuoteSelector
    /// The passage's offsets in that revision.
    public var position: TextPositionSelector

    /// A target with the given parts.
    public init(revision: String, quote: TextQuoteSelector, position: TextPositionSelector) {
        self.revision = revision
        self.quote = quote
        self.position = position
    }
}
