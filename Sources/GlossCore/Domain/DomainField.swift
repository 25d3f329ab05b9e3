/// Field and set names of the domain records beyond the shared `FieldName`s.
public enum DomainField {
    /// Document: the publishing organisation.
    public static let publisher = "publisher"
    /// Document: the author(s).
    public static let author = "author"
    /// Document: where it came from.
    public static let url = "url"
    /// Document: publication date (ISO 8601 date).
    public static let published = "published"
    /// Document: the date it was read/retrieved (ISO 8601 date).
    public static let accessed = "accessed"
    /// Document: language code.
    public static let language = "language"
    /// Document: source grade A–F.
    public static let grade = "grade"
    /// Document: why that grade.
    public static let gradeNote = "gradeNote"
    /// Document: its current revision's ID.
    public static let head = "head"
    /// Revision: the full SHA-256 of its NFC text.
    public static let sha256 = "sha256"
    /// Revision: the revision it replaced.
    public static let previous = "previous"
    /// Annotation: the revision it was made on.
    public static let revision = "revision"
    /// Annotation: TextQuoteSelector prefix.
    public static let prefix = "prefix"
    /// Annotation: TextQuoteSelector suffix.
    public static let suffix = "suffix"
    /// Annotation: TextPositionSelector start.
    public static let start = "start"
    /// Annotation: TextPositionSelector end.
    public static let end = "end"
    /// Annotation: why it was made.
    public static let motivation = "motivation"
    /// Annotation: who made the assessed claim.
    public static let saidBy = "saidBy"
    /// Annotation: the claim's credibility 1–6.
    public static let credibility = "credibility"
    /// Note: the set of citations (canonical JSON strings).
    public static let citations = "citations"
    /// Any: creation time (ms since 1970).
    public static let created = "created"
}
