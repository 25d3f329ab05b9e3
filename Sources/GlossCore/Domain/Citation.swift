import Foundation

/// A note's citation of an annotation, with its own copy of the quote and of the source, so the
/// note stays readable when the annotation is deleted or orphaned. Stored as one element of the
/// note's `citations` set, encoded as canonical (key-sorted) JSON.
public struct Citation: Sendable, Equatable, Codable, Hashable {
    /// The annotation cited (it may no longer exist).
    public var annotation: String
    /// Its position in the note's list of citations.
    public var order: Int
    /// The TextQuoteSelector.
    public var quote: String
    /// The document ID.
    public var document: String
    /// The title.
    public var title: String
    /// The publishing organisation.
    public var publisher: String?
    /// The author(s), when the document names them (absent from citations made before it was kept).
    public var author: String?
    /// Where the source came from, when the document has it (absent from citations made before it
    /// was kept).
    public var url: String?
    /// Publication date (YYYY, YYYY-MM or YYYY-MM-DD).
    public var published: String?
    /// Access date (YYYY-MM-DD).
    public var accessed: String?
    /// Source grade A–F (Admiralty code).
    public var grade: String?

    /// A citation with the given parts.
    public init(
        annotation: String, order: Int, quote: String, document: String, title: String, publisher: String?,
        author: String? = nil, url: String? = nil, published: String?, accessed: String?, grade: String?
    ) {
        self.annotation = annotation
        self.order = order
        self.quote = quote
        self.document = document
        self.title = title
        self.publisher = publisher
        self.author = author
        self.url = url
        self.published = published
        self.accessed = accessed
        self.grade = grade
    }

    /// The set element for this citation (a part that is nil is left out, so a citation without
    /// author or URL encodes as it did before they were kept).
    public var element: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Decodes a set element (nil when it is not a citation).
    public init?(element: String) {
        guard let value = try? JSONDecoder().decode(Citation.self, from: Data(element.utf8)) else { return nil }
        self = value
    }

    /// "Publisher, Title, published D, accessed D, source grade G" (the parts that exist).
    public var sourceLine: String {
        var parts: [String] = []
        if let publisher { parts.append(publisher) }
        parts.append(title)
        if let published { parts.append("published \(published)") }
        if let accessed { parts.append("accessed \(accessed)") }
        if let grade { parts.append("source grade \(grade)") }
        return parts.joined(separator: ", ")
    }
}
