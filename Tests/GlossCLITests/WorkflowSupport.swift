import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// A store in a temporary folder driven through the built `gloss` binary (GLOSS_STORE set).
struct WorkflowStore {
    let dir: TemporaryDirectory
    var storePath: URL { dir.path("store") }

    init(_ name: String = "workflow") throws {
        dir = try TemporaryDirectory(prefix: "gloss-\(name)")
        try FileManager.default.createDirectory(at: storePath, withIntermediateDirectories: true)
        let result = try GlossBinary.run(["init", "--store", storePath.path, "--name", "analyst"], cwd: dir.url)
        guard result.status == 0 else { throw GlossError(.io, "init failed: \(result.stderr)") }
    }

    @discardableResult
    func gloss(_ args: [String], stdin: String? = nil) throws -> GlossBinary.Result {
        try GlossBinary.run(args, cwd: dir.url, environment: ["GLOSS_STORE": storePath.path], stdin: stdin)
    }

    /// Runs a command that must succeed, returning its standard output.
    func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try gloss(args)
        #expect(result.status == 0, "gloss \(args.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs a command that must succeed and print JSON.
    func json(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
        let out = try ok(args + ["--json"], sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(out.utf8))
    }

    /// The store's state hash (every record state), read directly.
    func stateHash() throws -> String {
        let store = try ReplicaStore.open(at: storePath.appendingPathComponent("gloss.sqlite"))
        defer { try? store.close() }
        return try store.stateHash()
    }

    /// Imports a seed by number ("001") with source options, returning the new document's ID.
    func importSeed(_ number: String, _ options: [String] = []) throws -> String {
        let file = try Seeds.path(number)
        let out = try ok(["import", file.path] + options + ["--json"])
        let list = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: String]]
        return try #require(list?.first?["document"])
    }

    /// Annotates and returns the annotation's ID.
    func annotate(_ doc: String, _ args: [String]) throws -> String {
        let object = try json(["annotate", doc] + args) as? [String: Any]
        return try #require(object?["id"] as? String)
    }

    /// Runs a command that must fail without changing the store; returns its standard error.
    func fails(_ args: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let before = try stateHash()
        let result = try gloss(args, stdin: stdin)
        #expect(result.status != 0, "gloss \(args.joined(separator: " ")) should have failed", sourceLocation: sourceLocation)
        #expect(try stateHash() == before, "gloss \(args.joined(separator: " ")) changed the store", sourceLocation: sourceLocation)
        return result.stderr
    }

    func remove() { dir.remove() }
}

/// The seed documents of the repository.
enum Seeds {
    static func path(_ number: String) throws -> URL {
        let folder = GlossBinary.packageRoot.appendingPathComponent("seeds")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(number + "_") })
        return folder.appendingPathComponent(name)
    }
}

/// The W3C Web Annotation test suite's MUST assertions (`/work/shared/tools/w3c-validate`).
enum W3CValidator {
    /// Whether `file` passes every MUST assertion; nil when the validator is not installed.
    static func passes(_ file: URL) throws -> Bool? {
        let validator = URL(fileURLWithPath: "/work/shared/tools/w3c-validate")
        guard FileManager.default.isExecutableFile(atPath: validator.path) else { return nil }
        let process = Process()
        process.executableURL = validator
        process.arguments = [file.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
