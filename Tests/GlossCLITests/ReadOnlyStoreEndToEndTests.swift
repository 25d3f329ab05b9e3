import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// A store whose files and folder the analyst cannot write (a colleague's store copied from a
/// read-only share, or after `chmod -R a-w`): every reading command works on it, every
/// writing command says the store is read-only and changes nothing.
@Suite(.enabled(if: ReadOnlyFolder.unavailable == nil, "\(ReadOnlyFolder.unavailable ?? "")"))
struct ReadOnlyStoreEndToEndTests {
    /// A store written through gloss: a document, an annotation, a note citing it (no search
    /// since, so its search index is behind, as in a store an analyst just wrote to).
    static func colleaguesStore() throws -> (store: WorkflowStore, doc: String, annotation: String, note: String) {
        let s = try WorkflowStore("read-only")
        let doc = try s.importSeed("001", ["--publisher", "RFE/RL"])
        let annotation = try s.annotate(doc, ["--quote", "Hmeimim military base", "--occurrence", "1", "--tag", "bases"])
        let note = try #require((try s.json(["note", "add", "--title", "Bases", "--body", "Latakia airfield", "--cite", annotation]) as? [String: Any])?["id"] as? String)
        return (s, doc, annotation, note)
    }

    /// Runs reading commands (each must succeed and print what it should) and writing commands
    /// (each must be refused as read-only) on the store in `folder`, then checks that no file
    /// in it changed.
    static func expectReadableOnly(
        _ folder: ReadOnlyFolder, cwd: URL, doc: String, annotation: String, note: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try files(folder.url)
        let store = ["--store", folder.url.path]
        let reads: [([String], String)] = [
            (["show", doc], "Hmeimim military base"),
            (["search", "Latakia"], note),
            (["search", "Hmeimim", "--kind", "annotation"], annotation),
            (["status"], "(read-only)"),
            (["log", annotation], "analyst"),
            (["export", "--format", "markdown"], "Bases"),
            (["docs"], doc),
            (["note", "show", note], "Latakia airfield"),
            (["orphans"], "No orphans"),
            (["conflicts"], "No open conflicts"),
            (["remote", "list"], "no remotes"),
        ]
        for (args, expected) in reads {
            let result = try folder.run(args + store, cwd: cwd)
            let command = "gloss \(args.joined(separator: " "))"
            #expect(result.status == 0, "\(command): \(result.stderr)", sourceLocation: sourceLocation)
            #expect((result.stdout + result.stderr).contains(expected), "\(command): \(result.stdout.prefix(500))", sourceLocation: sourceLocation)
        }
        // A file `nobody` can read (the package may sit in a folder only root can enter, as a
        // clone into `mktemp -d` does): the refusal must be the store's, not the file's.
        let seed = cwd.appendingPathComponent("seed-002.txt")
        if !FileManager.default.fileExists(atPath: seed.path) { try FileManager.default.copyItem(at: try Seeds.path("002"), to: seed) }
        let writes: [[String]] = [
            ["annotate", doc, "--quote", "Hmeimim military base", "--occurrence", "2"],
            ["note", "add", "--title", "Lost?", "--body", "b"],
            ["tag", annotation, "+lost"],
            ["rm", note],
            ["remote", "add", "hub", "http://127.0.0.1:9"],
            ["import", seed.path],
            ["rekey"],
        ]
        for args in writes {
            let result = try folder.run(args + store, cwd: cwd)
            let command = "gloss \(args.joined(separator: " "))"
            #expect(result.status == 77, "\(command): \(result.status) \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
            #expect(
                result.stderr.contains("the store at \(folder.url.path)/gloss.sqlite is read-only") && result.stderr.contains("nothing was changed"),
                "\(command): \(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(try files(folder.url) == before, "the read-only store's folder changed", sourceLocation: sourceLocation)
    }

    /// The names and bytes of every file in `folder`.
    static func files(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    /// A store gloss closed cleanly is its file alone: SQLite can read it (WAL mode) only by
    /// making a `-shm` file beside it, which a read-only folder does not allow.
    @Test func aStoreCopiedFromAReadOnlyShare() throws {
        let (s, doc, annotation, note) = try Self.colleaguesStore()
        defer { s.remove() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.storePath.path) == ["gloss.sqlite"])
        let folder = try ReadOnlyFolder(s.storePath)
        defer { folder.undo() }
        try Self.expectReadableOnly(folder, cwd: s.dir.url, doc: doc, annotation: annotation, note: note)
    }

    /// A store copied while a process had it open: its latest changes are in its write-ahead
    /// log, beside its `-shm` file. They are read too.
    @Test func aStoreCopiedWhileInUse() throws {
        let (s, doc, annotation, note) = try Self.colleaguesStore()
        defer { s.remove() }
        let open = try ReplicaStore.open(at: s.storePath.appendingPathComponent("gloss.sqlite"))
        _ = try open.addNote(title: "Written last", body: "still in the log", cite: [], tags: [])
        let copy = s.dir.path("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: s.storePath.path) {
            try FileManager.default.copyItem(at: s.storePath.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        try open.close()
        #expect(try Data(contentsOf: copy.appendingPathComponent("gloss.sqlite-wal")).count > 0)
        let folder = try ReadOnlyFolder(copy)
        defer { folder.undo() }
        let search = try folder.run(["search", "log", "--store", copy.path], cwd: s.dir.url)
        #expect(search.status == 0 && search.stdout.contains("Written last"), "\(search.stdout) \(search.stderr)")
        try Self.expectReadableOnly(folder, cwd: s.dir.url, doc: doc, annotation: annotation, note: note)
    }
}
