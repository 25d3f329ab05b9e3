/// Why an annotation was made (the W3C Web Annotation motivations Gloss uses).
public enum Motivation: String, Sendable, Codable, CaseIterable {
    /// The W3C motivation names, as exported.
    case highlighting, commenting, tagging, assessing, questioning, linking
}
