import GlossCore

/// One search result.
public struct SearchHit: Sendable, Codable {
    /// The document, annotation or note found.
    public var id: String
    /// What was found.
    public var kind: RecordKind
    /// Its title (a document's or note's title; an annotation's document title).
    public var title: String
    /// The matching text with matches in «».
    public var snippet: String
    /// FTS5 bm25 rank (lower is better).
    public var rank: Double
}
