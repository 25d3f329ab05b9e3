import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// Conflicts made and cleared through real `gloss serve` / `gloss sync` processes on loopback:
/// two analysts sync through a hub, both see the same conflicts, one resolves, and after syncing
/// the conflicts are gone on every replica.
@Suite(.serialized) struct ConflictSyncEndToEndTests {
    static let token = "conflict-team-token"

    static func store(_ dir: TemporaryDirectory, _ name: String) throws -> URL {
        try TestStores.makeFile(in: dir, name: name)
    }

    static func with<T>(_ file: URL, _ body: (ReplicaStore) throws -> T) throws -> T {
        try TestStores.with(file, body)
    }

    static func gloss(_ file: URL, _ args: [String], environment: [String: String] = [:]) throws -> GlossBinary.Result {
        try GlossBinary.run(args + ["--store", file.path], cwd: file.deletingLastPathComponent(), environment: environment, timeout: 60)
    }

    static func sync(_ file: URL, _ url: String) throws {
        let result = try gloss(file, ["sync", url, "--token", token])
        #expect(result.status == 0, "gloss sync failed: \(result.stderr)")
    }

    static func conflicts(_ file: URL) throws -> [[String: Any]] {
        let result = try gloss(file, ["conflicts", "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func conflictsSeenOnBothSidesOfAHubAreClearedEverywhereByOneResolution() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-conflicts")
        defer { dir.remove() }
        let a = try Self.store(dir, "alice"), hub = try Self.store(dir, "hub"), b = try Self.store(dir, "bob")
        let server = try ServeProcess(store: hub, token: Self.token)
        defer { server.stop() }
        try Self.with(a) { store in
            try store.write { w in
                try w.update("n1", kind: .note) { $0.set("title", .string("Drawdown")); $0.set("body", .string("Forces leave.\nBases stay.\nSources: RFE/RL.")) }
                try w.update("a1", kind: .annotation) { $0.set("exact", .string("begin drawdown")); $0.set("credibility", .int(3)); $0.add("syria", to: "tags") }
            }
        }
        try Self.sync(a, server.url)
        try Self.sync(b, server.url)
        // Apart: both edit the note body (different lines), the annotation's tags and grade.
        try Self.with(a) { store in
            try store.write { w in
                try w.update("n1", kind: .note) { $0.set("body", .string("Forces begin to leave.\nBases stay.\nSources: RFE/RL.")) }
                try w.update("a1", kind: .annotation) { $0.add("drawdown", to: "tags"); $0.set("credibility", .int(2)) }
            }
        }
        try Self.with(b) { store in
            try store.write { w in
                try w.update("n1", kind: .note) { $0.set("body", .string("Forces leave.\nBases stay.\nSources: RFE/RL, VICE.")) }
                try w.update("a1", kind: .annotation) { $0.add("bases", to: "tags"); $0.set("credibility", .int(4)) }
            }
        }
        try Self.sync(a, server.url)
        try Self.sync(b, server.url)
        try Self.sync(a, server.url)
        let lists = try [a, hub, b].map(Self.conflicts)
        let ids = lists.map { list in list.compactMap { $0["id"] as? String }.sorted() }
        #expect(ids[0].count == 2)
        #expect(ids[0] == ids[1] && ids[1] == ids[2])
        #expect(Set(lists[2].compactMap { $0["field"] as? String }) == ["body", "credibility"])
        #expect(try Self.with(a) { try $0.record("a1")?.elements("tags") } == ["bases", "drawdown", "syria"])

        let body = try #require(lists[2].first { $0["field"] as? String == "body" }?["id"] as? String)
        let grade = try #require(lists[2].first { $0["field"] as? String == "credibility" }?["id"] as? String)
        let merge = try Self.gloss(b, ["resolve", body, "--merge"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let pick = try Self.gloss(b, ["resolve", grade, "--theirs"])
        #expect(pick.status == 0, "\(pick.stderr)")
        try Self.sync(b, server.url)
        try Self.sync(a, server.url)
        for store in [a, hub, b] {
            #expect(try Self.conflicts(store).isEmpty)
            let (note, annotation) = try Self.with(store) { (try $0.record("n1"), try $0.record("a1")) }
            #expect(note?.string("body") == "Forces begin to leave.\nBases stay.\nSources: RFE/RL, VICE.")
            #expect(annotation?.int("credibility") == 2)
        }
        let status = try Self.gloss(a, ["status"])
        #expect(status.stdout.contains("Conflicts none"))
    }
}
