import GlossCore

/// What to annotate and what to say about it.
public struct AnnotationRequest: Sendable {
    /// How the passage is chosen.
    public enum Selection: Sendable {
        /// By its text; `occurrence` (1-based) picks one when it occurs several times.
        case quote(String, occurrence: Int?)
        /// By scalar offsets in the current NFC text.
        case range(start: Int, end: Int)
    }

    /// The document ID.
    public var document: String
    /// How the passage is chosen.
    public var selection: Selection
    /// Default: assessing with a claim, commenting with a comment, else highlighting.
    public var motivation: Motivation?
    /// The analyst's comment.
    public var comment: String?
    /// The assessed claim.
    public var claim: String?
    /// Who made the claim.
    public var saidBy: String?
    /// The claim's credibility 1–6.
    public var credibility: Int64?
    /// Tags, sorted.
    public var tags: [String]

    /// A request with the given parts.
    public init(
        document: String, selection: Selection, motivation: Motivation? = nil, comment: String? = nil,
        claim: String? = nil, saidBy: String? = nil, credibility: Int64? = nil, tags: [String] = []
    ) {
        self.document = document
        self.selection = selection
        self.motivation = motivation
        self.comment = comment
        self.claim = claim
        self.saidBy = saidBy
        self.credibility = credibility
        self.tags = tags
    }
}
