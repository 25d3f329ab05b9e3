import Foundation

/// A typed view of a document record: its source and its current revision.
public struct Document: Sendable, Equatable, Codable {
    /// The record ID.
    public var id: String
    /// The title.
    public var title: String
    /// The publishing organisation.
    public var publisher: String?
    /// The author(s).
    public var author: String?
    /// Where the source came from.
    public var url: String?
    /// Publication date (YYYY, YYYY-MM or YYYY-MM-DD).
    public var published: String?
    /// Access date (YYYY-MM-DD).
    public var accessed: String?
    /// Language code.
    public var language: String?
    /// Source grade A–F (Admiralty code).
    public var grade: String?
    /// Why that grade.
    public var gradeNote: String?
    /// The current revision's ID.
    public var head: String?
    /// Creation time (ms since 1970).
    public var created: Int64?
    /// Time of the latest visible write (ms since 1970).
    public var modified: Int64?

    /// The view of `record`, nil if it is not a live document.
    public init?(_ record: Record) {
        guard record.kind == .document, !record.isDeleted else { return nil }
        id = record.id
        title = record.string(FieldName.title) ?? "(untitled)"
        publisher = record.string(DomainField.publisher)
        author = record.string(DomainField.author)
        url = record.string(DomainField.url)
        published = record.string(DomainField.published)
        accessed = record.string(DomainField.accessed)
        language = record.string(DomainField.language)
        grade = record.string(DomainField.grade)
        gradeNote = record.string(DomainField.gradeNote)
        head = record.string(DomainField.head)
        created = record.int(DomainField.created)
        modified = record.timeRange?.last
    }
}

