import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct NoteAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Write a note citing annotations.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The note's title.") var title: String
    @OptionGroup var bodyOptions: NoteBodyOptions
    @Option(help: ArgumentHelp("An annotation to cite (repeatable).", valueName: "ann")) var cite: [String] = []
    @Option(help: "A tag (repeatable).") var tag: [String] = []
    @Flag(help: "Print the note as JSON.") var json = false

    func run() throws {
        let store = try storeOptions.open()
        for name in cite { _ = try store.annotation(name) }  // fail before opening an editor
        let body = try bodyOptions.text(editing: nil, required: true) ?? ""
        let note = try store.addNote(title: title, body: body, cite: cite, tags: tag)
        if json { return try Output.json(note) }
        print("Wrote note \(note.id)  \(note.title)  (\(note.citations.count) citation\(note.citations.count == 1 ? "" : "s"))")
    }
}
