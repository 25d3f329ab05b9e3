import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every case of the CLI hostile-input corpus (Fixtures/hostile/cli, made by
/// scripts/gen-hostile-cli-corpus.py) run through the BUILT `gloss`: a non-zero exit with the
/// manifest's status, an error message containing the manifest's words, and the store exactly as
/// it was (state hash, change-feed position and history size).
@Suite struct CLIHostileInputTests {
    struct Case: Decodable {
        let name: String
        let args: [String]
        let status: Int32
        let stderr: String
        let why: String
        let stdin: String?
    }

    static let folder = GlossBinary.packageRoot.appendingPathComponent("Fixtures/hostile/cli")

    static func manifest() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    @Test func corpusHasOverAHundredCasesOfEveryKind() throws {
        let names = try Self.manifest().map(\.name)
        #expect(names.count >= 100)
        for kind in ["import-binary-", "import-utf8-overlong", "import-utf8-surrogate", "import-utf8-truncated", "import-utf16", "import-utf32",
                     "import-empty", "import-blank-", "import-huge", "import-dev-zero", "import-fifo", "annotate-at-syntax-", "annotate-at-range-",
                     "annotate-at-start-inside", "annotate-occurrence-", "annotate-credibility-", "annotate-motivation-", "annotate-tag-long",
                     "annotate-doc-long", "import-grade-", "rm-", "tag-", "note-", "bundle-", "serve--"] {
            #expect(names.contains { $0.hasPrefix(kind) }, "no \(kind)… case")
        }
    }

    @Test func everyHostileInputGetsItsErrorAndChangesNothing() throws {
        let s = try WorkflowStore("cli-hostile")
        defer { s.remove() }
        let files = Self.folder.appendingPathComponent("files")
        // A store with something in it to damage: two documents, an annotation, a note.
        let doc = try s.importSeed("001")
        let graphemes = try #require(
            (try s.json(["import", files.appendingPathComponent("base-graphemes.txt").path]) as? [[String: String]])?.first?["document"])
        let ann = try s.annotate(graphemes, ["--quote", "Intake"])
        let note = try #require((try s.json(["note", "add", "--title", "Intake", "--body", "b", "--cite", ann]) as? [String: Any])?["id"] as? String)
        let shown = try #require(try s.json(["show", doc]) as? [String: Any])
        let revision = try #require((shown["document"] as? [String: Any])?["head"] as? String)
        // What must not be committed or cannot be: a file 1 byte over the limit, a pipe, a dangling link.
        let scratch = s.dir.path("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let huge = scratch.appendingPathComponent("huge.txt")
        try Data(repeating: 0x61, count: ImportedText.maxBytes + 1).write(to: huge)
        let fifo = scratch.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: scratch.appendingPathComponent("dangling-link").path, withDestinationPath: scratch.appendingPathComponent("nothing").path)
        let placeholders = [
            "{files}": files.path, "{tmp}": scratch.path, "{doc}": doc, "{gdoc}": graphemes, "{ann}": ann, "{note}": note,
            "{rev}": revision, "{huge}": huge.path, "{fifo}": fifo.path, "{store}": s.storePath.path,
        ]

        let file = s.storePath.appendingPathComponent("gloss.sqlite")
        func snapshot() throws -> [String] {
            let store = try ReplicaStore.open(at: file)
            defer { try? store.close() }
            return [try store.stateHash(), "seq \(try store.currentSeq())", "history \(try store.historyCount())"]
        }
        let before = try snapshot()
        let cases = try Self.manifest()
        var failures: [String] = []
        for item in cases {
            let args = item.args.map { arg in placeholders.reduce(arg) { $0.replacingOccurrences(of: $1.key, with: $1.value) } }
            let input = try item.stdin.map { try Data(contentsOf: files.appendingPathComponent($0)) }
            // Bounded: a case that wrongly started a server or blocked on input fails, not hangs.
            let result = try GlossBinary.run(args, cwd: s.dir.url, environment: ["GLOSS_STORE": s.storePath.path], input: input ?? Data(), timeout: 30)
            let after = try snapshot()
            if result.status != item.status || !result.stderr.contains(item.stderr) || after != before {
                failures.append(
                    "\(item.name) (\(item.why)): expected exit \(item.status) with \(item.stderr.debugDescription), got \(result.status): "
                        + "\(result.stderr.prefix(240).debugDescription)\(after != before ? "; THE STORE CHANGED" : "")")
            }
            #expect(result.status != 0, "\(item.name) exited 0")
        }
        print("CLI hostile corpus: \(cases.count) cases, \(failures.count) mismatches")
        for failure in failures.prefix(40) { Issue.record("\(failure)") }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases were not refused as expected")
        #expect(try snapshot() == before)
        #expect(try StoreInvariants.violations(at: file).isEmpty)
    }
}
