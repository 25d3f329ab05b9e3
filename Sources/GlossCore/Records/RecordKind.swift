/// The kinds of syncable records.
public enum RecordKind: String, Codable, Sendable, CaseIterable {
    /// A source document: title, publisher, dates, grade, and `head`, its current revision.
    case document
    /// An immutable text of a document, named by the SHA-256 of its NFC text.
    case revision
    /// A W3C-style annotation on a document revision.
    case annotation
    /// An analyst's note, in Markdown, citing annotations.
    case note
}
