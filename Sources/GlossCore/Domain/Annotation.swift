/// A typed view of an annotation record: a passage of a document revision, with what the
/// analyst said about it.
public struct Annotation: Sendable, Equatable, Codable {
    /// The record ID.
    public var id: String
    /// The document ID.
    public var document: String
    /// The revision the annotation was made on.
    public var revision: String
    /// The TextQuoteSelector.
    public var quote: TextQuoteSelector
    /// The TextPositionSelector.
    public var position: TextPositionSelector
    /// Why it was made.
    public var motivation: Motivation
    /// The analyst's comment.
    public var comment: String?
    /// The assessed claim, its source and credibility (1–6).
    public var claim: String?
    /// Who made the claim.
    public var saidBy: String?
    /// The claim's credibility 1–6.
    public var credibility: Int64?
    /// Tags, sorted.
    public var tags: [String]
    /// Creation time (ms since 1970).
    public var created: Int64?
    /// Time of the latest visible write (ms since 1970).
    public var modified: Int64?

    /// An annotation view with the given parts (for caches of views already validated).
    public init(
        id: String, document: String, revision: String, quote: TextQuoteSelector, position: TextPositionSelector,
        motivation: Motivation, comment: String?, claim: String?, saidBy: String?, credibility: Int64?, tags: [String],
        created: Int64?, modified: Int64?
    ) {
        self.id = id
        self.document = document
        self.revision = revision
        self.quote = quote
        self.position = position
        self.motivation = motivation
        self.comment = comment
        self.claim = claim
        self.saidBy = saidBy
        self.credibility = credibility
        self.tags = tags
        self.created = created
        self.modified = modified
    }

    /// The view of `record`, nil if it is not a live, well-formed annotation. Its position is
    /// `clamped`.
    public init?(_ record: Record) {
        guard record.kind == .annotation, !record.isDeleted,
            let document = record.string(FieldName.document), let revision = record.string(DomainField.revision),
            let exact = record.string(FieldName.exact),
            let start = record.int(DomainField.start), let end = record.int(DomainField.end)
        else { return nil }
        id = record.id
        self.document = document
        self.revision = revision
        quote = TextQuoteSelector(
            exact: exact, prefix: record.string(DomainField.prefix) ?? "", suffix: record.string(DomainField.suffix) ?? "")
        // Clamped: only a faulty or hostile peer writes a position outside the text's range, and
        // the views, exports and re-anchoring all rely on 0 ≤ start ≤ end.
        position = TextPositionSelector(start: Int(start), end: Int(end)).clamped
        motivation = record.string(DomainField.motivation).flatMap(Motivation.init(rawValue:)) ?? .highlighting
        comment = record.string(FieldName.comment)
        claim = record.string(FieldName.claim)
        saidBy = record.string(DomainField.saidBy)
        // Outside 1-6 only from a faulty or newer peer: shown as none, listed by `gloss check`.
        credibility = record.int(DomainField.credibility).flatMap { Credibility.range.contains($0) ? $0 : nil }
        tags = record.elements(FieldName.tags)
        created = record.int(DomainField.created)
        modified = record.timeRange?.last
    }

    /// What re-anchoring needs.
    public var target: AnchorTarget { AnchorTarget(revision: revision, quote: quote, position: position) }
}
