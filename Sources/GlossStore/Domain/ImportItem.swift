import GlossCore

/// One text to import, with its source fields.
public struct ImportItem: Sendable {
    /// Where it came from (for messages).
    public var name: String
    /// The NFC text (see `ImportedText.decode`).
    public var text: String
    /// Source fields; a missing title defaults to the first heading or line, `accessed` to today.
    public var source: DocumentSource

    /// An item with the given parts.
    public init(name: String, text: String, source: DocumentSource) {
        self.name = name
        self.text = text
        self.source = source
    }
}
