import GlossCore

/// Changes to an annotation's body: nil leaves a field alone, an empty string clears it.
public struct AnnotationChanges: Sendable {
    /// Why it was made.
    public var motivation: Motivation?
    /// The analyst's comment.
    public var comment: String?
    /// The assessed claim.
    public var claim: String?
    /// Who made the claim.
    public var saidBy: String?
    /// 0 clears it.
    public var credibility: Int64?

    /// Changes with the given parts.
    public init(motivation: Motivation? = nil, comment: String? = nil, claim: String? = nil, saidBy: String? = nil, credibility: Int64? = nil) {
        self.motivation = motivation
        self.comment = comment
        self.claim = claim
        self.saidBy = saidBy
        self.credibility = credibility
    }

    /// True when nothing would change.
    public var isEmpty: Bool { motivation == nil && comment == nil && claim == nil && saidBy == nil && credibility == nil }
}
