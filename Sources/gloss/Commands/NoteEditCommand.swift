import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct NoteEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a note's title or text, add or remove citations (with no option: $EDITOR).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The note (ID or unique prefix).") var note: String
    @Option(help: "New title.") var title: String?
    @OptionGroup var bodyOptions: NoteBodyOptions
    @Option(help: ArgumentHelp("Cite another annotation (repeatable).", valueName: "ann")) var cite: [String] = []
    @Option(help: ArgumentHelp("Remove the citation of an annotation (repeatable).", valueName: "ann")) var uncite: [String] = []
    @Flag(help: "Print the note as JSON.") var json = false

    func run() throws {
        let store = try storeOptions.open()
        let current = try store.note(note)
        let nothingElse = title == nil && cite.isEmpty && uncite.isEmpty
        let body = try bodyOptions.text(editing: nothingElse ? current.body : nil, required: false)
        let edited = try store.editNote(current.id, title: title, body: body, cite: cite, uncite: uncite)
        if json { return try Output.json(edited) }
        print("Edited note \(edited.id)  \(edited.title)")
    }
}
