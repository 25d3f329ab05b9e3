import GlossCore

/// A search query with its filters.
public struct SearchQuery: Sendable {
    /// Words to find (all of them); a part in double quotes is a phrase.
    public var text: String
    /// Only this kind of result (document, annotation, note).
    public var kind: RecordKind?
    /// Only annotations and notes with this tag.
    public var tag: String?
    /// Only things of this document (its text, its annotations, notes citing it).
    public var document: String?
    /// At most this many results.
    public var limit: Int

    /// A query with the given parts.
    public init(text: String, kind: RecordKind? = nil, tag: String? = nil, document: String? = nil, limit: Int = 50) {
        self.text = text
        self.kind = kind
        self.tag = tag
        self.document = document
        self.limit = limit
    }
}
