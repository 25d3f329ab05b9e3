import GlossCore

/// An annotation and where it sits on its document's current revision.
public struct AnchoredAnnotation: Sendable, Codable {
    /// The annotation.
    public var annotation: Annotation
    /// The revision anchored on (the document's head).
    public var revision: String
    /// Where, and how sure.
    public var anchor: Anchor
}
