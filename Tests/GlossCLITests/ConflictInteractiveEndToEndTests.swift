import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss resolve` with no ID, driven through a pseudo-terminal like a person at a keyboard.
@Suite struct ConflictInteractiveEndToEndTests {
    /// Runs `gloss resolve --store PATH` in a pty (python3's pty module); answers each prompt
    /// (a line ending in "? ") with the next of `answers`, and prints everything the terminal showed.
    static let driver = """
        import os, pty, select, sys, time
        argv, answers = sys.argv[1:-1], sys.argv[-1].split("|")
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
        sys.stdout.write(out.decode("utf-8", "replace"))
        sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
        """

    static func interactive(
        _ lab: ConflictLab, _ name: String, answers: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, stdout: String) {
        let script = lab.dir.path("pty_driver.py")
        try Data(driver.utf8).write(to: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, GlossBinary.url.path, "resolve", "--store", lab.path(name), answers.joined(separator: "|")]
        process.environment = GlossBinary.baseEnvironment.merging(["TERM": "dumb"]) { $1 }.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Two notes whose bodies alice and bob both edited apart.
    static func twoConflicts() throws -> ConflictLab {
        let lab = try ConflictLab(["alice", "bob"])
        try lab.write("alice") { w in
            try w.update("n1", kind: .note) { $0.set("title", .string("First")); $0.set("body", .string("one")) }
            try w.update("n2", kind: .note) { $0.set("title", .string("Second")); $0.set("body", .string("two")) }
        }
        try lab.exchange("alice", "bob")
        try lab.write("alice") { w in
            try w.update("n1", kind: .note) { $0.set("body", .string("one by alice")) }
            try w.update("n2", kind: .note) { $0.set("body", .string("two by alice")) }
        }
        try lab.write("bob") { w in
            try w.update("n1", kind: .note) { $0.set("body", .string("one by bob")) }
            try w.update("n2", kind: .note) { $0.set("body", .string("two by bob")) }
        }
        try lab.exchange("alice", "bob")
        return lab
    }

    @Test func walkingThroughShowsResolvesSkipsAndSummarises() throws {
        let lab = try Self.twoConflicts()
        defer { lab.remove() }
        let result = try Self.interactive(lab, "bob", answers: ["show", "frobnicate", "theirs", "skip"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Conflict 1 of 2"))
        #expect(result.stdout.contains("Common ancestor (from local history"))
        #expect(result.stdout.contains("Unknown answer \"frobnicate\""))
        #expect(result.stdout.contains("Resolved 1, skipped 1; 1 conflict still open."))
        #expect(try lab.record("bob", "n1")?.string("body") == "one by alice")
        #expect(try lab.conflicts("bob").count == 1)
        // A refused answer keeps the prompt open; pick then settles the second conflict.
        let second = try Self.interactive(lab, "bob", answers: ["keep", "pick alice"])
        #expect(second.status == 0, "\(second.stdout)")
        #expect(second.stdout.contains("Not resolved: --keep fits only delete/edit conflicts"))
        #expect(second.stdout.contains("Resolved 1, skipped 0; 0 conflicts still open."))
        #expect(try lab.record("bob", "n2")?.string("body") == "two by alice")
        try lab.exchange("alice", "bob")
        #expect(try lab.conflicts("alice").isEmpty)
    }

    @Test func quitLeavesTheRestOpen() throws {
        let lab = try Self.twoConflicts()
        defer { lab.remove() }
        let hash = try lab.stateHash("bob")
        let result = try Self.interactive(lab, "bob", answers: ["q"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Resolved 0, skipped 0; 2 conflicts still open."))
        #expect(try lab.stateHash("bob") == hash)
    }

    @Test func aRefusedMergeLeavesThePromptAndTheEditorSettlesIt() throws {
        let lab = try Self.twoConflicts()
        defer { lab.remove() }
        let editor = try lab.editorScript("editor.sh", "printf 'one, combined by the lead\\n' > \"$1\"")
        let result = try Self.interactive(lab, "bob", answers: ["merge", "edit", "quit"], environment: ["EDITOR": editor])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Not resolved: cannot merge conflict"))
        #expect(result.stdout.contains("Resolved 1, skipped 0; 1 conflict still open."))
        #expect(try lab.record("bob", "n1")?.string("body") == "one, combined by the lead")
        #expect(try lab.record("bob", "n2")?.isConflicted == true)
    }
}
