/// A typed view of a revision record: one immutable text of a document.
public struct Revision: Sendable, Equatable {
    /// The record ID.
    public var id: String
    /// The document ID.
    public var document: String
    /// The NFC text.
    public var text: String
    /// SHA-256 (hex) of the NFC text.
    public var sha256: String
    /// The revision this one replaced.
    public var previous: String?
    /// Creation time (ms since 1970).
    public var created: Int64?

    /// The view of `record`, nil if it is not a live revision.
    public init?(_ record: Record) {
        guard record.kind == .revision, !record.isDeleted, let document = record.string(FieldName.document),
            let text = record.string(FieldName.text)
        else { return nil }
        id = record.id
        self.document = document
        self.text = text
        sha256 = record.string(DomainField.sha256) ?? SHA256.hex(text)
        previous = record.string(DomainField.previous)
        created = record.int(DomainField.created)
    }
}
