/// How an annotation was found on a revision. Only `exact` and `mapped` are trusted without a
/// look; `fuzzy` needs review; `orphan` could not be placed (a wrong anchor is worse).
public enum AnchorStatus: String, Sendable, Codable, CaseIterable {
    /// The annotation's own revision: the stored position.
    case exact
    /// Found through a diff of the revisions, or by the unchanged quote in its context.
    case mapped
    /// Found by approximate match: likely right, but a person should check.
    case fuzzy
    /// Not found with enough confidence.
    case orphan

    /// True when a person should look at it (`gloss orphans`, `gloss check`).
    public var needsAttention: Bool { self == .fuzzy || self == .orphan }
}
