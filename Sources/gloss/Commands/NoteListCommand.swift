import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct NoteListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List notes.")

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print the list as JSON.") var json = false

    func run() throws {
        let notes = try storeOptions.openToRead().notes()
        if json { return try Output.json(notes) }
        if notes.isEmpty { return print("No notes yet: write one with `gloss note add --title T --body TEXT --cite ANN`.") }
        for note in notes {
            let tags = note.tags.isEmpty ? "" : "  " + note.tags.map { "#\($0)" }.joined(separator: " ")
            print("\(note.id)  \(note.title)  (\(note.citations.count) citation\(note.citations.count == 1 ? "" : "s"))\(tags)")
        }
    }
}
