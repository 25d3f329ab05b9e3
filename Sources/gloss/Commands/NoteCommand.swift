import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Write, edit, show and list notes that cite annotations.",
        subcommands: [NoteAddCommand.self, NoteEditCommand.self, NoteShowCommand.self, NoteListCommand.self])
}
