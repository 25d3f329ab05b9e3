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

