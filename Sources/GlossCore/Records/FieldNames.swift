/// Field and set names shared by every layer, so the store can index and query records without
/// knowing the domain types built on them.
public enum FieldName {
    /// A document's or a note's title.
    public static let title = "title"
    /// The document a revision or an annotation belongs to.
    public static let document = "document"
    /// A revision's full NFC text.
    public static let text = "text"
    /// A note's Markdown body.
    public static let body = "body"
    /// An annotation's quoted passage (TextQuoteSelector `exact`).
    public static let exact = "exact"
    /// An annotation's comment.
    public static let comment = "comment"
    /// An annotation's assessed claim.
    public static let claim = "claim"
    /// The set of tags of an annotation or a note.
    public static let tags = "tags"
}
