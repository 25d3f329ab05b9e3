import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Write, edit, show and list notes that cite annotations.",
        subcommands: [NoteAddCommand.self, NoteEditCommand.self, NoteShowCommand.self, NoteListCommand.self])
}

/// Where a note's body comes from: --body, --file, or $EDITOR.
struct NoteBodyOptions: ParsableArguments {
    @Option(help: "The note's Markdown text.") var body: String?
    @Option(help: ArgumentHelp("Read the text from a file (- for standard input).", valueName: "file")) var file: String?

    func text(editing initial: String?, required: Bool) throws -> String? {
        if body != nil && file != nil { throw GlossError(.invalidInput, "give --body or --file, not both") }
        if let body { return body }
        if let file {
            let data = try FileInput.data(file)
            guard let text = String(data: data, encoding: .utf8) else { throw GlossError(.invalidInput, "\(file) is not UTF-8 text") }
            return text
        }
        guard required || initial != nil else { return nil }
        return try Editor.edit(initial ?? "")
    }
}

/// Runs $EDITOR (or $VISUAL) on a temporary file.
enum Editor {
    static func edit(_ initial: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        guard let editor = env["VISUAL"] ?? env["EDITOR"], !editor.isEmpty, Output.stdoutIsTerminal || env["GLOSS_EDITOR_ANYWAY"] != nil else {
            throw GlossError(.invalidInput, "give the note's text with --body TEXT or --file FILE (or set EDITOR and run in a terminal)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-note-\(UUID().uuidString).md")
        try Data(initial.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "sh", file.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GlossError(.invalidInput, "the editor failed; the note was not saved") }
        return String(decoding: try Data(contentsOf: file), as: UTF8.self)
    }
}

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

struct NoteShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a note with its citations (quote, document title, publisher, date).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The note (ID or unique prefix).") var note: String
    @Flag(help: "Print the note as JSON.") var json = false

    func run() throws {
        let store = try storeOptions.open()
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

struct NoteListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List notes.")

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print the list as JSON.") var json = false

    func run() throws {
        let notes = try storeOptions.open().notes()
        if json { return try Output.json(notes) }
        if notes.isEmpty { return print("No notes yet: write one with `gloss note add --title T --body TEXT --cite ANN`.") }
        for note in notes {
            let tags = note.tags.isEmpty ? "" : "  " + note.tags.map { "#\($0)" }.joined(separator: " ")
            print("\(note.id)  \(note.title)  (\(note.citations.count) citation\(note.citations.count == 1 ? "" : "s"))\(tags)")
        }
    }
}
