import GlossCore

/// What revising a document did.
public struct ReviseResult: Sendable {
    /// The document after the revision.
    public var document: Document
    /// False when the text was identical to the current revision (nothing written).
    public var changed: Bool
    /// The annotations' anchors on the new revision.
    public var anchors: [AnchoredAnnotation]
}
