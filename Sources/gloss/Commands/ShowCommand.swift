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
        let store = try storeOptions.open()
        let document = try store.document(self.document)
        let text = try store.headText(of: document)
        let anchored = try store.anchoredAnnotations(document: document.id)
        if json {
            struct Shown: Encodable { var document: Document; var text: String; var annotations: [AnchoredAnnotation] }
            return try Output.json(Shown(document: document, text: text.string, annotations: anchored))
        }
        print(DocumentRendering.render(document, text: text, anchored: anchored, color: Output.useColor))
    }
}

