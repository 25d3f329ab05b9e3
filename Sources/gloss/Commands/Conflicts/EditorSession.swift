import Foundation
import GlossCore
import GlossStore

/// Runs the person's editor on a temporary file holding a conflict's versions and reads back
/// the value they saved.
enum EditorSession {
    /// The edited value. Throws, leaving the store untouched, when no editor is set, the editor
    /// fails, the file comes back unchanged, or conflict markers remain.
    static func edit(_ conflict: Conflict, store: ReplicaStore, formatter: ConflictFormatter) throws -> String {
        guard conflict.kind == .field else {
            throw GlossError(.conflict, "conflict \(conflict.id) is a delete/edit conflict: resolve it with --keep or --delete")
        }
        let environment = ProcessInfo.processInfo.environment
        guard let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap({ $0 }).first(where: { !$0.isEmpty })
            ?? (isatty(STDIN_FILENO) == 1 ? "vi" : nil)
        else {
            throw GlossError(.invalidInput, "--edit needs an editor: set VISUAL or EDITOR (nothing was changed)")
        }
        let ancestor = try store.ancestor(of: conflict)
        let original = ConflictEditorFile.render(conflict, labels: formatter.editorLabels(conflict), ancestor: ancestor)
        let file = try PrivateTemporaryFile.write(original, prefix: "gloss-conflict-\(conflict.id)", suffix: "txt")
        defer { try? FileManager.default.removeItem(at: file) }
        // Through the shell, so EDITOR may carry arguments ("code --wait", "sed -i ..."); the
        // file name is passed as $1, never spliced into the command.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "gloss-editor", file.path]
        do {
            try process.run()
        } catch {
            throw GlossError(.io, "cannot start the editor \(editor.debugDescription): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GlossError(.invalidInput, "the editor (\(editor)) exited with status \(process.terminationStatus); conflict \(conflict.id) was not resolved and nothing was changed")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw GlossError(.invalidInput, "the edited file \(file.path) is gone; conflict \(conflict.id) was not resolved")
        }
        return try ConflictEditorFile.value(saved: String(decoding: data, as: UTF8.self), original: original, conflict: conflict)
    }
}
