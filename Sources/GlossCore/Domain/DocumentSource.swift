import Foundation

/// The source fields of a document, as given on import or edit (nil: not given).
public struct DocumentSource: Sendable, Equatable {
    /// The title.
    public var title: String?
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
    public var grade: SourceGrade?
    /// Why that grade.
    public var gradeNote: String?

    /// A source with the given fields.
    public init(
        title: String? = nil, publisher: String? = nil, author: String? = nil, url: String? = nil,
        published: String? = nil, accessed: String? = nil, language: String? = nil, grade: SourceGrade? = nil,
        gradeNote: String? = nil
    ) {
        self.title = title
        self.publisher = publisher
        self.author = author
        self.url = url
        self.published = published
        self.accessed = accessed
        self.language = language
        self.grade = grade
        self.gradeNote = gradeNote
    }

    /// Writes the given fields into `edit` (fields not given are left alone).
    public func write(to edit: inout RecordEdit) {
        let pairs: [(String, String?)] = [
            (FieldName.title, title), (DomainField.publisher, publisher), (DomainField.author, author),
            (DomainField.url, url), (DomainField.published, published), (DomainField.accessed, accessed),
            (DomainField.language, language), (DomainField.grade, grade?.rawValue), (DomainField.gradeNote, gradeNote),
        ]
        for (field, value) in pairs { if let value { edit.set(field, .string(value)) } }
    }

    /// Checks dates (YYYY, YYYY-MM or YYYY-MM-DD) and that given fields are not blank.
    public func validate() throws {
        for (name, date) in [("published", published), ("accessed", accessed)] {
            if let date, !DocumentSource.isISODate(date) {
                throw GlossError(.invalidInput, "--\(name) must be a date like 2016-03-15 (or 2016-03, 2016), not \(date.debugDescription)")
            }
        }
        if let title, title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw GlossError(.invalidInput, "--title must not be empty")
        }
    }

    /// True for YYYY, YYYY-MM and YYYY-MM-DD with plausible month and day.
    public static func isISODate(_ text: String) -> Bool {
        // ASCII digits only, checked byte by byte: Int() alone would take "+123" as a year, and
        // comparing Characters would take "1" followed by a combining accent for a digit.
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        func number(_ part: Substring.UTF8View.SubSequence, digits: Int) -> Int? {
            guard part.count == digits, part.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard (1...3).contains(parts.count), let year = number(parts[0], digits: 4) else { return false }
        guard parts.count >= 2 else { return true }
        guard let month = number(parts[1], digits: 2), (1...12).contains(month) else { return false }
        guard parts.count == 3 else { return true }
        // A day that exists in that month (2024-02-30 does not; 2024-02-29 does).
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard let day = number(parts[2], digits: 2), (1...days).contains(day) else { return false }
        return true
    }
}
