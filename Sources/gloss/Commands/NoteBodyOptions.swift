import ArgumentParser
import Foundation
import GlossCore

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
