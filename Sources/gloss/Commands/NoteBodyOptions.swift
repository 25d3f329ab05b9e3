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
            // The same rules as for imported documents, except that an empty body is allowed.
            if data.contains(0) { throw GlossError(.invalidInput, "\(file) looks binary (it contains NUL bytes); a note body must be UTF-8 text") }
            guard let text = String(validating: data, as: UTF8.self) else { throw GlossError(.invalidInput, "\(file) is not UTF-8 text") }
            return text
        }
        guard required || initial != nil else { return nil }
        return try Editor.edit(initial ?? "")
    }
}
