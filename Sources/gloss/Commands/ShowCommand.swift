import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a document's text with its annotated passages marked, then the annotations.",
        discussion: "Passages are underlined in colour on a terminal (unless NO_COLOR is set), else marked ⟦like this⟧[n].")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The document (ID or unique prefix).") var document: String
    @Flag(help: "Print the document and its anchored annotations as JSON.") var json = false

    func run() throws {
        // Read only when every annotation's view and anchor is current (the usual case: no
        // write transaction, no checkpoint at exit); else the store is opened for writing and
        // refreshes them. A read-only store refreshes them in its private copy.
        let file = try storeOptions.storeFile()
        let shown = ReadOnlyStore.isReadOnly(file)
            ? try ReplicaStore.openReadOnly(at: file).shownDocument(document)
            : try ReplicaStore.openForReading(at: file)?.currentShownDocument(document) ?? StoreOptions.open(file).shownDocument(document)
        if json {
            struct Shown: Encodable { var document: Document; var text: String; var annotations: [AnchoredAnnotation] }
            return try Output.json(Shown(document: shown.document, text: shown.text.string, annotations: shown.annotations))
        }
        var bytes = DocumentRendering.bytes(shown.document, text: shown.text, anchored: shown.annotations, color: Output.useColor)
        bytes.append(UInt8(ascii: "\n"))
        Output.write(bytes)
        // Kept until the process exits, which is about to happen: freeing every string of
        // thousands of annotations one by one here was ~3% of `gloss show`.
        Self.keptUntilExit = shown
    }

    /// The last document shown (see `run`).
    nonisolated(unsafe) private static var keptUntilExit: ShownDocument?
}
