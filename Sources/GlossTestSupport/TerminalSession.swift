import Foundation

/// Runs the built `gloss` on a pseudo-terminal (python3's pty module), as a person at a keyboard
/// would: standard output and standard error are the terminal, so `gloss` behaves as it does
/// for people (colour unless NO_COLOR, prompts, escaped control characters).
public enum TerminalSession {
    /// What the terminal showed (standard output and standard error together) and the exit status.
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
    }

    /// Answers each prompt (output ending in "? ") with the next of `answers`; kills the child
    /// after 60 s.
    static let driver = """
        import os, pty, select, sys, time
        argv, answers = sys.argv[1:-1], [a for a in sys.argv[-1].split("|") if a]
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(argv[0], argv)
        out, sent, answered_at, deadline = b"", 0, -1, time.time() + 60
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if fd in ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                out += data
            if sent < len(answers) and out.endswith(b"? ") and len(out) > answered_at:
                os.write(fd, answers[sent].encode() + b"\\n")
                sent, answered_at = sent + 1, len(out)
        else:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        sys.stdout.buffer.write(out)
        sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
        """

    /// Runs `gloss arguments…` on a terminal in `cwd`. `environment` entries are added to
    /// `GlossBinary.baseEnvironment` (which sets NO_COLOR; pass `"NO_COLOR": ""` for colour).
    public static func run(
        _ arguments: [String], cwd: URL, answers: [String] = [], environment: [String: String] = [:]
    ) throws -> Result {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-pty-\(UUID().uuidString.prefix(8)).py")
        try Data(driver.utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, GlossBinary.url.path] + arguments + [answers.joined(separator: "|")]
        process.currentDirectoryURL = cwd
        process.environment = GlossBinary.baseEnvironment.merging(["TERM": "dumb"]) { $1 }.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
