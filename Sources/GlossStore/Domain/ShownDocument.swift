import GlossCore

/// What `gloss show` prints: a document, its current text and its anchored annotations, all
/// read from one snapshot of the store.
public struct ShownDocument: Sendable {
    /// The document.
    public var document: Document
    /// Its current (head) text.
    public var text: ScalarText
    /// Its live annotations anchored on that text, in text order, orphans last.
    public var annotations: [AnchoredAnnotation]
}
