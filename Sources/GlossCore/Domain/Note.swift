/// A typed view of a note record: Markdown text citing annotations.
public struct Note: Sendable, Equatable, Codable {
    /// The record ID.
    public var id: String
    /// The title.
    public var title: String
    /// Markdown text.
    public var body: String
    /// Tags, sorted.
    public var tags: [String]
    /// Citations in the order they were added.
    public var citations: [Citation]
    /// Creation time (ms since 1970).
    public var created: Int64?
    /// Time of the latest visible write (ms since 1970).
    public var modified: Int64?

    /// The view of `record`, nil if it is not a live note.
    public init?(_ record: Record) {
        guard record.kind == .note, !record.isDeleted else { return nil }
        id = record.id
        title = record.string(FieldName.title) ?? "(untitled)"
        body = record.string(FieldName.body) ?? ""
        tags = record.elements(FieldName.tags)
        citations = record.elements(DomainField.citations).compactMap(Citation.init(element:))
            .sorted { ($0.order, $0.annotation) < ($1.order, $1.annotation) }
        created = record.int(DomainField.created)
        modified = record.timeRange?.last
    }
}
