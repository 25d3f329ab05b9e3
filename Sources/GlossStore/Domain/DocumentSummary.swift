import GlossCore

/// A document with what `gloss docs` shows about it.
public struct DocumentSummary: Sendable, Codable {
    /// The document ID.
    public var document: Document
    /// Live annotations on it.
    public var annotations: Int
    /// Length of its current text, in scalars.
    public var length: Int
}
