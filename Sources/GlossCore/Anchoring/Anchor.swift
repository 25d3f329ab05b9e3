/// Where an annotation sits on one revision, and how sure we are.
public struct Anchor: Sendable, Equatable, Codable {
    /// The position found, nil for an orphan.
    public var position: TextPositionSelector?
    /// How it was found.
    public var status: AnchorStatus
    /// Confidence in 0...1 (1 for exact and diff-mapped anchors).
    public var score: Double

    /// An anchor with the given parts.
    public init(position: TextPositionSelector?, status: AnchorStatus, score: Double) {
        self.position = position
        self.status = status
        self.score = score
    }

    /// The anchor of an annotation that could not be placed.
    public static let orphan = Anchor(position: nil, status: .orphan, score: 0)
}
