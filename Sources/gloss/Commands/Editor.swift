import Foundation
import GlossCore

/// Runs $EDITOR (or $VISUAL) on a temporary file.
enum Editor {
    static func edit(_ initial: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        guard let editor = env["VISUAL"] ?? env["EDITOR"], !editor.isEmpty else {
            throw GlossError(.invalidInput, "give the note's text with --body TEXT or --file FILE, or set EDITOR to write it in your editor")
        }
        let file = try PrivateTemporaryFile.write(initial, prefix: "gloss-note", suffix: "md")
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
