import ArgumentParser
import Foundation
import GlossCore

/// The `gloss` command: an offline-first store of documents, annotations and notes that syncs.
@main
struct Gloss: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Annotate documents and write notes offline; sync with your team later.",
        discussion: """
            A store (.gloss/ in the current folder or a parent, like git) holds documents, \
            annotations and notes, each versioned with vector clocks. Replicas sync over HTTP \
            (`gloss serve`, `gloss sync`); concurrent edits are kept as conflicts until resolved.
            """,
        version: "0.1.0",
        // Every command sets its commandName: a name derived from the type's name costs runtime
        // type lookups over the whole binary at every start, whichever command runs.
        subcommands: [
            InitCommand.self,
            StatusCommand.self,
            ImportCommand.self,
            DocsCommand.self,
            ShowCommand.self,
            AnnotateCommand.self,
            EditCommand.self,
            TagCommand.self,
            RmCommand.self,
            NoteCommand.self,
            SearchCommand.self,
            ExportCommand.self,
            OrphansCommand.self,
            CheckCommand.self,
            ConflictsCommand.self,
            ResolveCommand.self,
            LogCommand.self,
            ServeCommand.self,
            RemoteCommand.self,
            SyncCommand.self,
            BundleCommand.self,
            RekeyCommand.self,
        ]
    )

    /// Runs the command, turning Gloss errors into a message on standard error and an exit code.
    static func main() async {
        do {
            try ArgumentEncoding.check()
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as GlossError {
            FileHandle.standardError.write(Data(Output.forStandardError("gloss: error: \(error.message)\n").utf8))
            Foundation.exit(ExitStatus.code(for: error))
        } catch {
            exit(withError: error)
        }
    }
}
