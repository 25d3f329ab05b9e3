import Foundation
import GlossCore

/// Every line `gloss` prints for people goes through this `print`, which shadows the standard
/// library's in this module: on a terminal, control characters in the printed text (stored text
/// may have come from any peer) are shown, not obeyed (`TerminalText`). Piped or redirected
/// output is written as stored, so nothing is lost to scripts.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator) + terminator
    Swift.print(Output.forStandardOutput(text), terminator: "")
}

extension Output {
    private static let stdoutTerminal = isatty(STDOUT_FILENO) == 1
    private static let stderrTerminal = isatty(STDERR_FILENO) == 1

    /// `text` as it should reach standard output: control characters escaped on a terminal.
    static func forStandardOutput(_ text: String) -> String {
        stdoutTerminal ? TerminalText.escapingControls(text) : text
    }

    /// `bytes` (UTF-8) as they should reach standard output: control characters escaped on a terminal.
    static func forStandardOutput(_ bytes: [UInt8]) -> [UInt8] {
        stdoutTerminal ? TerminalText.escapingControls(bytes) : bytes
    }

    /// `text` as it should reach standard error: control characters escaped on a terminal.
    static func forStandardError(_ text: String) -> String {
        stderrTerminal ? TerminalText.escapingControls(text) : text
    }
}
