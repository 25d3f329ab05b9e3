/// A source's reliability on the Admiralty scale, A (completely reliable) to F (cannot be judged).
public enum SourceGrade: String, Sendable, Codable, CaseIterable {
    /// A completely reliable … F reliability cannot be judged (see `meaning`).
    case A, B, C, D, E, F

    /// Parses "a".."f" or "A".."F".
    public init?(parsing text: String) {
        self.init(rawValue: text.uppercased())
    }

    /// What the grade means.
    public var meaning: String {
        switch self {
        case .A: return "completely reliable"
        case .B: return "usually reliable"
        case .C: return "fairly reliable"
        case .D: return "not usually reliable"
        case .E: return "unreliable"
        case .F: return "reliability cannot be judged"
        }
    }
}

/// A claim's credibility on the Admiralty scale, 1 (confirmed) to 6 (cannot be judged).
public enum Credibility {
    /// The valid values.
    public static let range: ClosedRange<Int64> = 1...6

    /// What a value means.
    public static func meaning(_ value: Int64) -> String {
        switch value {
        case 1: return "confirmed"
        case 2: return "probably true"
        case 3: return "possibly true"
        case 4: return "doubtful"
        case 5: return "improbable"
        default: return "truth cannot be judged"
        }
    }
}
