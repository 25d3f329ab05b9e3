import Foundation
import GlossTestSupport
import Testing

/// Text written by someone else (a synced comment, title or note) must not drive the analyst's
/// terminal: on a terminal, `gloss` shows control characters instead of sending them; in a pipe
/// it writes the text as stored.
@Suite struct TerminalSafetyEndToEndTests {
    static let hostile = "see \u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[8mhidden\rover"
    /// How a terminal shows it (listings print a comment on one line, so the carriage return is
    /// already a space there; `TerminalTextTests` covers it alone).
    static let shown = "see ^[]0;pwned^G^[[2J^[[8mhidden"
    static let raw = "see \u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[8mhidden"

    @Test func showLogSearchAndNotesEscapeControlCharactersOnATerminal() throws {
        let store = try WorkflowStore("terminal")
        defer { store.remove() }
        let doc = try store.importSeed("001")
        let annotation = try store.annotate(doc, ["--quote", "between 3,000 and 6,000", "--comment", Self.hostile])
        _ = try store.ok(["note", "add", "--title", "Troops \u{1B}[2J", "--body", Self.hostile, "--cite", annotation])
        let env = ["GLOSS_STORE": store.storePath.path]

        for (arguments, colour) in [(["show", doc], false), (["show", doc], true), (["note", "list"], false)] {
            let result = try TerminalSession.run(arguments, cwd: store.dir.url, environment: colour ? env.merging(["NO_COLOR": ""]) { $1 } : env)
            #expect(result.status == 0, "\(arguments): \(result.output)")
            #expect(!result.output.contains("\u{1B}]0;") && !result.output.contains("\u{1B}[2J") && !result.output.contains("\u{1B}[8m"),
                    "\(arguments) sent an escape sequence from stored text to the terminal")
            if arguments[0] == "show" {
                #expect(result.output.contains(Self.shown), "\(arguments): \(result.output)")
            }
            if colour {
                // Gloss's own colour codes still reach the terminal (and are not shown escaped).
                #expect(result.output.contains("\u{1B}[4;33m"), "no colour in \(arguments)")
                #expect(!result.output.contains("^[[4;33m") && !result.output.contains("^[[0m"))
            }
        }
        let search = try TerminalSession.run(["search", "pwned"], cwd: store.dir.url, environment: env)
        #expect(search.status == 0 && !search.output.contains("\u{1B}]0;"), "\(search.output)")
        let error = try TerminalSession.run(["show", "d-\u{1B}]0;x\u{07}"], cwd: store.dir.url, environment: env)
        #expect(error.status != 0 && !error.output.contains("\u{1B}]0;x"), "\(error.output)")
    }

    @Test func pipedOutputKeepsTheTextAsStored() throws {
        let store = try WorkflowStore("terminal-pipe")
        defer { store.remove() }
        let doc = try store.importSeed("001")
        _ = try store.annotate(doc, ["--quote", "between 3,000 and 6,000", "--comment", Self.hostile])
        #expect(try store.ok(["show", doc]).contains(Self.raw))
        #expect(try store.ok(["export", "--format", "markdown"]).contains(Self.raw))
    }
}
