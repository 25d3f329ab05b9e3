import Foundation

/// Printing helpers shared by commands: JSON for scripts, plain lines for people.
enum Output {
    /// Prints `value` as pretty, key-sorted JSON on standard output.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// Writes `bytes` to standard output (one write of prepared UTF-8, no String built first).
    /// Errors are ignored, as `print` ignores them.
    static func write(_ bytes: [UInt8]) {
        try? FileHandle.standardOutput.write(contentsOf: forStandardOutput(bytes))
    }

    /// Writes a line to standard error (progress and notices, kept out of piped output).
    static func note(_ line: String) {
        FileHandle.standardError.write(Data(forStandardError(line + "\n").utf8))
    }

    /// True when standard output is a terminal.
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// True when standard error is a terminal.
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// True when colour may be used on standard output (a terminal, and NO_COLOR unset).
    static var useColor: Bool {
        stdoutIsTerminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }
}
