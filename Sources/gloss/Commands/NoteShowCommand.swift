import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct NoteShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a note with its citations (quote, document title, publisher, date).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The note (ID or unique prefix).") var note: String
    @Flag(help: "Print the note as JSON.") var json = false

    func run() throws {
        let store = try storeOptions.openToRead()
        let note = try store.note(self.note)
        if json { return try Output.json(note) }
        print("# \(note.title)  (\(note.id))")
        if !note.tags.isEmpty { print("Tags: " + note.tags.map { "#\($0)" }.joined(separator: " ")) }
        print("")
        print(note.body)
        if note.citations.isEmpty { return }
        print("\nCitations:")
        let live = Set(try store.annotations().map(\.id))
        for (i, c) in note.citations.enumerated() {
            let gone = live.contains(c.annotation) ? "" : " (annotation deleted; quote kept in the note)"
            print("[\(i + 1)] “\(AnnotationLine.oneLine(c.quote))”")
            print("    \(c.sourceLine)  [\(c.annotation)]\(gone)")
        }
    }
}
