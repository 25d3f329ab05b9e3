import Foundation
import GlossCore

/// Checks of values people type, shared by the domain writes.
enum DomainValidation {
    static func credibility(_ value: Int64?, allowZero: Bool = false) throws {
        guard let value else { return }
        if allowZero && value == 0 { return }
        guard Credibility.range.contains(value) else {
            throw GlossError(.invalidInput, "credibility must be 1 to 6 (1 confirmed … 6 cannot be judged), not \(value)")
        }
    }

    static func tag(_ tag: String) throws -> String {
        let trimmed = tag.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0.isWhitespace }),
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw GlossError(.invalidInput, "a tag must be one word without spaces, not \(tag.debugDescription)")
        }
        guard trimmed.count <= maxTagLength else {
            throw GlossError(.invalidInput, "a tag may be at most \(maxTagLength) characters, not \(trimmed.count) (\(trimmed.prefix(20).debugDescription)…)")
        }
        return trimmed
    }

    /// Checks a value typed for a field of a record of `kind` (a conflict resolved with
    /// `--value` or `--edit`) as the command that writes that field checks it.
    static func typedValue(_ value: FieldValue, field: String, kind: RecordKind) throws {
        switch (kind, field) {
        case (.annotation, DomainField.credibility):
            try credibility(value.int ?? 0)
        case (.annotation, DomainField.motivation):
            guard let text = value.string, Motivation(rawValue: text) != nil else {
                throw GlossError(
                    .invalidInput, "a motivation must be one of \(Motivation.allCases.map(\.rawValue).joined(separator: ", ")), not \(value)")
            }
        case (.document, DomainField.grade):
            guard let text = value.string, SourceGrade(rawValue: text) != nil else {
                throw GlossError(.invalidInput, "a grade must be one of A, B, C, D, E, F (Admiralty source reliability), not \(value)")
            }
        case (.document, DomainField.published), (.document, DomainField.accessed):
            guard let text = value.string, DocumentSource.isISODate(text) else {
                throw GlossError(.invalidInput, "\(field) must be a date like 2016-03-15 (or 2016-03, 2016), not \(value)")
            }
        case (.note, FieldName.title), (.document, FieldName.title):
            guard let text = value.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw GlossError(.invalidInput, "a title must not be empty")
            }
        default:
            return
        }
    }

    /// Tags are labels, not text: a bound keeps lists and exports readable.
    static let maxTagLength = 100
}
