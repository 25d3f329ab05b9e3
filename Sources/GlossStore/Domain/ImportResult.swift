import GlossCore

/// What importing one item did.
public enum ImportResult: Sendable {
    /// A new document.
    case imported(Document, name: String)
    /// The same text is already the current text of this document: nothing written.
    case alreadyPresent(Document, name: String)
}
