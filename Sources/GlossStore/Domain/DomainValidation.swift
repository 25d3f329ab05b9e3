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

    /// Tags are labels, not text: a bound keeps lists and exports readable.
    static let maxTagLength = 100
}
