/// A typed view of an annotation record: a passage of a document revision, with what the
/// analyst said about it.
public struct Annotation: Sendable, Equatable, Codable {
    public var id: String
    public var document: String
    public var revision: String
    public var quote: TextQuoteSelector
    public var position: TextPositionSelector
    public var motivation: Motivation
    public var comment: String?
    /// The assessed claim, its source and credibility (1–6).
    public var claim: String?
    public var saidBy: String?
    public var credibility: Int64?
    public var tags: [String]
    public var created: Int64?
    public var modified: Int64?

    /// The view of `record`, nil if it is not a live, well-formed annotation.
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
        position = TextPositionSelector(start: Int(start), end: Int(end))
        motivation = record.string(DomainField.motivation).flatMap(Motivation.init(rawValue:)) ?? .highlighting
        comment = record.string(FieldName.comment)
        claim = record.string(FieldName.claim)
        saidBy = record.string(DomainField.saidBy)
        credibility = record.int(DomainField.credibility)
        tags = record.elements(FieldName.tags)
        created = record.int(DomainField.created)
        modified = record.timeRange?.last
    }

    /// What re-anchoring needs.
    public var target: AnchorTarget { AnchorTarget(revision: revision, quote: quote, position: position) }
}
