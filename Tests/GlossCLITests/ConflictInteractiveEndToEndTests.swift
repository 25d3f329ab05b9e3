import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss resolve` with no ID, driven through a pseudo-terminal like a person at a keyboard.
@Suite struct ConflictInteractiveEndToEndTests {
    /// Runs `gloss resolve --store PATH` on a terminal; answers each prompt with the next of
    /// `answers`, and returns everything the terminal showed.
    static func interactive(
        _ lab: ConflictLab, _ name: String, answers: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, stdout: String) {
        let result = try TerminalSession.run(
            ["resolve", "--store", lab.path(name)], cwd: lab.dir.url, answers: answers, environment: environment)
        return (result.status, result.output)
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
