import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss serve` and `gloss sync` as real processes on loopback, as analysts would run them.
/// Test data is written with the library (the note-taking commands live on another branch).
@Suite(.serialized) struct SyncEndToEndTests {
    static let token = "team-token-123"

    /// Creates a store for replica `name` under `dir` and returns its file.
    static func makeStore(_ dir: TemporaryDirectory, _ name: String) throws -> URL {
        try TestStores.makeFile(in: dir, name: name)
    }

    /// Opens the store, runs `body`, closes it.
    static func with<T>(_ file: URL, _ body: (ReplicaStore) throws -> T) throws -> T {
        try TestStores.with(file, body)
    }

    static func note(_ file: URL, _ id: String, _ edit: @escaping (inout RecordEdit) -> Void) throws {
        try with(file) { store in _ = try store.write { w in try w.update(id, kind: .note) { edit(&$0) } } }
    }

    struct Summary: Decodable {
        let pulled: Int
        let pushed: Int
        let newConflicts: Int
    }

    /// Runs `gloss sync URL --json` on `store`; returns the summary (expecting success).
    static func sync(_ store: URL, _ url: String, token: String? = token, extra: [String] = []) throws -> Summary {
        var args = ["sync", url, "--json", "--store", store.path] + extra
        if let token { args += ["--token", token] }
        let result = try GlossBinary.run(args, cwd: store.deletingLastPathComponent())
        guard result.status == 0 else {
            throw ServeProcessError(message: "gloss sync failed (\(result.status)): \(result.stderr)")
        }
        return try #require(try JSONDecoder().decode([Summary].self, from: Data(result.stdout.utf8)).first)
    }

    static func conflictsCount(_ store: URL) throws -> Int {
        let result = try GlossBinary.run(["status", "--json", "--store", store.path], cwd: store.deletingLastPathComponent())
        struct Status: Decodable { let conflicts: Int }
        return try JSONDecoder().decode(Status.self, from: Data(result.stdout.utf8)).conflicts
    }

    @Test func threeServedReplicasSyncThroughAHubAndAgree() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-hub")
        defer { dir.remove() }
        let a = try Self.makeStore(dir, "a"), hub = try Self.makeStore(dir, "hub"), b = try Self.makeStore(dir, "b")
        try Self.note(a, "n1") { $0.set("title", .string("Troop numbers")); $0.set("body", .string("3,000-6,000")) }
        let servers = try [a, hub, b].map { try ServeProcess(store: $0, token: Self.token) }
        defer { for server in servers { server.stop() } }
        let hubURL = servers[1].url

        #expect(try Self.sync(a, hubURL).pushed == 1)
        #expect(try Self.sync(b, hubURL).pulled == 1)
        // `gloss sync` indexed what it pulled for search (the next search has nothing to catch up).
        #expect(try Self.with(b) { try $0.updateSearchIndex() } == 0)
        // Concurrent edits: the same field on A and B, and different fields of n2.
        try Self.note(a, "n1") { $0.set("title", .string("Troop numbers (US estimate)")) }
        try Self.note(b, "n1") { $0.set("title", .string("Troop numbers (Lavrov)")) }
        try Self.note(a, "n2") { $0.set("title", .string("Drawdown")) }
        try Self.note(b, "n2") { $0.set("body", .string("1,140 withdrawn")) }

        _ = try Self.sync(a, hubURL)
        let fromB = try Self.sync(b, hubURL)
        #expect(fromB.newConflicts == 1)
        _ = try Self.sync(a, hubURL)

        for store in [a, hub, b] {
            #expect(try Self.conflictsCount(store) == 1)
            let (conflicted, n1, n2) = try Self.with(store) { (try $0.conflictedRecordIDs(), try $0.record("n1"), try $0.record("n2")) }
            #expect(conflicted == ["n1"])
            let titles = Set(n1?.fields["title"]?.siblings.compactMap(\.value.string) ?? [])
            #expect(titles == ["Troop numbers (US estimate)", "Troop numbers (Lavrov)"])
            #expect(n2?.string("title") == "Drawdown" && n2?.string("body") == "1,140 withdrawn" && n2?.isConflicted == false)
        }
        let hashes = try [a, hub, b].map { try Self.with($0) { try $0.stateHash() } }
        #expect(Set(hashes).count == 1)

        // A second sync moves nothing either way.
        for store in [a, b] {
            let again = try Self.sync(store, hubURL)
            #expect(again.pulled == 0 && again.pushed == 0)
        }
        // The human summary names the conflicts command.
        try Self.note(a, "n4") { $0.set("title", .string("grade B2")) }
        try Self.note(b, "n3") { $0.set("title", .string("x")) }
        try Self.note(b, "n4") { $0.set("title", .string("grade C3")) }
        _ = try Self.sync(a, hubURL)
        let human = try GlossBinary.run(["sync", hubURL, "--token", Self.token, "--store", b.path], cwd: dir.url)
        #expect(human.status == 0)
        #expect(human.stdout.contains("pulled 1, pushed 2, 1 record newly in conflict (see them with `gloss conflicts`)"), "\(human.stdout)")
    }

    @Test func wrongOrMissingTokenIsAClearErrorAndChangesNothing() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-token")
        defer { dir.remove() }
        let hub = try Self.makeStore(dir, "hub"), a = try Self.makeStore(dir, "a")
        try Self.note(hub, "n1") { $0.set("title", .string("secret")) }
        let server = try ServeProcess(store: hub, token: Self.token)
        defer { server.stop() }
        let before = try Self.with(a) { try $0.stateHash() }
        let wrong = try GlossBinary.run(["sync", server.url, "--token", "nope", "--store", a.path], cwd: dir.url)
        #expect(wrong.status == 77)
        #expect(wrong.stderr.contains("refused the token (403)"))
        let missing = try GlossBinary.run(["sync", server.url, "--store", a.path], cwd: dir.url)
        #expect(missing.status == 77)
        #expect(missing.stderr.contains("(401)") && missing.stderr.contains("--token"))
        #expect(try Self.with(a) { try $0.stateHash() } == before)
        #expect(!server.standardError.contains(Self.token))
    }

    @Test func unreachablePeerIsReportedAfterRetries() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-down")
        defer { dir.remove() }
        let a = try Self.makeStore(dir, "a")
        let port = try ServeProcess.freePort()
        let result = try GlossBinary.run(["sync", "http://127.0.0.1:\(port)", "--store", a.path], cwd: dir.url)
        #expect(result.status == 69)
        #expect(result.stderr.contains("failed after 5 attempts") && result.stderr.contains("run the sync again"))
    }

    /// A hub holding `count` notes, made in one transaction.
    static func bigHub(_ dir: TemporaryDirectory, count: Int) throws -> URL {
        let hub = try makeStore(dir, "hub")
        try with(hub) { store in
            _ = try store.write { w in
                for i in 0..<count { try w.update("note-\(i)", kind: .note) { $0.set("title", .string("Note number \(i)")) } }
            }
        }
        return hub
    }

    /// Waits until `client` has stored a pull cursor from `hub` (some batches applied), up to 60 s.
    static func waitForFirstBatches(client: URL, hubID: ReplicaID, process: BackgroundGloss) throws -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.process.isRunning {
            if FileManager.default.fileExists(atPath: client.path),
               let pulled = try? with(client, { try $0.cursors(for: hubID).pull }), pulled > 0
            {
                return true
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    @Test func clientKilledMidSyncConvergesOnRerunWithoutDuplicateHistory() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-kill")
        defer { dir.remove() }
        let count = 20_000
        let hub = try Self.bigHub(dir, count: count)
        let client = try Self.makeStore(dir, "client")
        let hubID = try Self.with(hub) { $0.replicaID }
        let server = try ServeProcess(store: hub, token: Self.token)
        defer { server.stop() }
        let running = try BackgroundGloss(
            ["sync", server.url, "--token", Self.token, "--store", client.path, "--batch-records", "500"], cwd: dir.url)
        let sawProgress = try Self.waitForFirstBatches(client: client, hubID: hubID, process: running)
        running.kill()
        #expect(sawProgress)
        let partial = try Self.with(client) { try $0.historyCount() }
        #expect(partial < count, "the kill came too late to interrupt the sync")
        let rerun = try Self.sync(client, server.url)
        #expect(rerun.pulled == count - partial)
        let hubHash = try Self.with(hub) { try $0.stateHash() }
        let (history, clientHash) = try Self.with(client) { (try $0.historyCount(), try $0.stateHash()) }
        #expect(history == count)
        #expect(clientHash == hubHash)
        let again = try Self.sync(client, server.url)
        #expect(again.pulled == 0 && again.pushed == 0)
    }

    @Test func serverRestartedMidSyncConvergesWithoutDuplicateHistory() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-restart")
        defer { dir.remove() }
        let count = 20_000
        let hub = try Self.bigHub(dir, count: count)
        let client = try Self.makeStore(dir, "client")
        try Self.note(client, "mine") { $0.set("title", .string("written on the client")) }
        let hubID = try Self.with(hub) { $0.replicaID }
        let port = try ServeProcess.freePort()
        var server = try ServeProcess(store: hub, token: Self.token, port: port)
        let running = try BackgroundGloss(
            ["sync", server.url, "--token", Self.token, "--store", client.path, "--batch-records", "500"], cwd: dir.url)
        let sawProgress = try Self.waitForFirstBatches(client: client, hubID: hubID, process: running)
        server.crash()
        server = try ServeProcess(store: hub, token: Self.token, port: port)
        defer { server.stop() }
        // The client retries and finishes, or gives up clearly; either way a re-run converges.
        let status = running.wait()
        #expect(sawProgress)
        #expect(status == 0 || status == 69)
        _ = try Self.sync(client, server.url)
        let hubHash = try Self.with(hub) { try $0.stateHash() }
        let (history, clientHash) = try Self.with(client) { (try $0.historyCount(), try $0.stateHash()) }
        #expect(history == count + 1)
        #expect(clientHash == hubHash)
        #expect(try Self.with(hub) { try $0.historyCount() } == count + 1)
        let again = try Self.sync(client, server.url)
        #expect(again.pulled == 0 && again.pushed == 0)
    }

    @Test func bundleCarriesChangesBetweenStoresWithNoServer() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-bundle")
        defer { dir.remove() }
        let a = try Self.makeStore(dir, "a"), b = try Self.makeStore(dir, "b")
        try Self.note(a, "n1") { $0.set("title", .string("from A")); $0.add("syria", to: "tags") }
        try Self.note(b, "n2") { $0.set("title", .string("from B")) }
        let file = dir.path("a-to-b.gloss-bundle").path
        let created = try GlossBinary.run(["bundle", "create", file, "--store", a.path], cwd: dir.url)
        #expect(created.status == 0 && created.stdout.contains("Wrote 1 records"), "\(created.stderr)")
        // A damaged copy is refused and changes nothing.
        let damaged = dir.path("damaged.gloss-bundle")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        try bytes.prefix(bytes.count - 8).write(to: damaged)
        let before = try Self.with(b) { try $0.stateHash() }
        let refused = try GlossBinary.run(["bundle", "apply", damaged.path, "--store", b.path], cwd: dir.url)
        #expect(refused.status == 65 && refused.stderr.contains("Nothing was applied"))
        #expect(try Self.with(b) { try $0.stateHash() } == before)

        let applied = try GlossBinary.run(["bundle", "apply", file, "--store", b.path], cwd: dir.url)
        #expect(applied.status == 0 && applied.stdout.contains("1 records, 1 changed"), "\(applied.stderr)")
        // Applying indexed what it brought for search (the next search has nothing to catch up).
        #expect(try Self.with(b) { try $0.updateSearchIndex() } == 0)
        let back = dir.path("b-to-a.gloss-bundle").path
        #expect(try GlossBinary.run(["bundle", "create", back, "--store", b.path], cwd: dir.url).status == 0)
        #expect(try GlossBinary.run(["bundle", "apply", back, "--store", a.path], cwd: dir.url).status == 0)
        #expect(try Self.with(a) { try $0.stateHash() } == Self.with(b) { try $0.stateHash() })
        let (tags, bHistory) = try Self.with(b) { (try $0.record("n1")?.elements("tags"), try $0.historyCount()) }
        #expect(tags == ["syria"])
        #expect(bHistory == 2)
        let twice = try GlossBinary.run(["bundle", "apply", file, "--store", b.path], cwd: dir.url)
        #expect(twice.stdout.contains("0 changed"))
    }

    @Test func copiedStoreIsRefusedWithRekeyAdviceAndAfterRekeyNothingIsLost() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-copy")
        defer { dir.remove() }
        let hub = try Self.makeStore(dir, "hub"), laptop = try Self.makeStore(dir, "laptop")
        try Self.note(laptop, "n1") { $0.set("title", .string("before the copy")) }
        let server = try ServeProcess(store: hub, token: Self.token)
        defer { server.stop() }
        _ = try Self.sync(laptop, server.url)
        // Restore a backup onto a second machine: a byte copy of the store folder.
        let copyFolder = dir.path("restored/.gloss")
        try FileManager.default.createDirectory(at: copyFolder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: laptop.deletingLastPathComponent(), to: copyFolder)
        let copy = copyFolder.appendingPathComponent("gloss.sqlite")
        try Self.note(laptop, "n1") { $0.set("title", .string("laptop edit")) }
        try Self.note(laptop, "n1") { $0.set("title", .string("laptop edit 2")) }
        try Self.note(copy, "n1") { $0.set("body", .string("written on the restored copy")) }
        try Self.note(copy, "c1") { $0.set("title", .string("only on the copy")) }
        _ = try Self.sync(laptop, server.url)

        let before = try Self.with(copy) { try $0.stateHash() }
        let refused = try GlossBinary.run(["sync", server.url, "--token", Self.token, "--store", copy.path], cwd: dir.url)
        #expect(refused.status == 75)
        #expect(refused.stderr.contains("gloss rekey"), "\(refused.stderr)")
        #expect(try Self.with(copy) { try $0.stateHash() } == before)
        let status = try GlossBinary.run(["status", "--store", copy.path], cwd: dir.url)
        #expect(status.stdout.contains("gloss rekey"))

        let rekey = try GlossBinary.run(["rekey", "--store", copy.path], cwd: dir.url)
        #expect(rekey.status == 0 && rekey.stdout.contains("Replica ID changed"))
        _ = try Self.sync(copy, server.url)
        _ = try Self.sync(laptop, server.url)
        _ = try Self.sync(copy, server.url)
        let (n1, c1) = try Self.with(hub) { (try $0.record("n1"), try $0.record("c1")) }
        #expect(n1?.string("title") == "laptop edit 2")
        #expect(n1?.string("body") == "written on the restored copy")
        #expect(c1?.string("title") == "only on the copy")
        let hashes = try [hub, laptop, copy].map { try Self.with($0) { try $0.stateHash() } }
        #expect(Set(hashes).count == 1)
    }

    /// `gloss rekey` run on a store that `gloss serve` is serving: the server, which opened the
    /// store under the old ID, merges nothing more (it would write under the old ID from the
    /// counters rekey gave up, and then ask for another rekey); the client is told to restart
    /// the server, and after a restart everything syncs.
    @Test func rekeyBesideARunningServerIsRefusedUntilTheServerRestarts() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-rekey-served")
        defer { dir.remove() }
        let hub = try Self.makeStore(dir, "hub"), a = try Self.makeStore(dir, "a")
        try Self.note(a, "n1") { $0.set("title", .string("first")) }
        let server = try ServeProcess(store: hub, token: Self.token)
        defer { server.stop() }
        _ = try Self.sync(a, server.url)
        let rekey = try GlossBinary.run(["rekey", "--store", hub.path], cwd: dir.url)
        #expect(rekey.status == 0, "\(rekey.stderr)")
        try Self.note(a, "n1") { $0.set("title", .string("second")) }
        let hubBefore = try Self.with(hub) { try $0.stateHash() }
        let refused = try GlossBinary.run(["sync", server.url, "--token", Self.token, "--store", a.path], cwd: dir.url)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("restart `gloss serve`"), "\(refused.stderr)")
        #expect(try Self.with(hub) { try $0.stateHash() } == hubBefore)
        #expect(try Self.with(hub) { try $0.status().rekeyRequired } == false)
        #expect(try Self.with(a) { try $0.status().rekeyRequired } == false)
        #expect(server.stop() == 0)
        let restarted = try ServeProcess(store: hub, token: Self.token)
        defer { restarted.stop() }
        _ = try Self.sync(a, restarted.url)
        #expect(try Self.with(hub) { try $0.record("n1")?.string("title") } == "second")
    }

    /// A served store whose copy (a restored backup, say) synced with a client first: the
    /// client's next sync with the served store is refused with a clear error, the served store
    /// (not the client) is told to rekey, and after `gloss rekey` there and a restart the copy's
    /// writes reach it. (Accepted, the client left them out as the server's own: lost for it.)
    @Test func aServedStoreWhoseCopySyncedWithTheClientIsToldToRekey() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-served-twin")
        defer { dir.remove() }
        let hub = try Self.makeStore(dir, "hub"), a = try Self.makeStore(dir, "a")
        let hubCopy = try Self.makeStore(dir, "hub-copy")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: hub.path + suffix) {
            try? FileManager.default.removeItem(atPath: hubCopy.path + suffix)
            try FileManager.default.copyItem(atPath: hub.path + suffix, toPath: hubCopy.path + suffix)
        }
        try Self.note(hubCopy, "c1") { $0.set("title", .string("from the copy")) }
        let copyServer = try ServeProcess(store: hubCopy, token: Self.token)
        _ = try Self.sync(a, copyServer.url)
        #expect(copyServer.stop() == 0)
        let server = try ServeProcess(store: hub, token: Self.token)
        defer { server.stop() }
        let hubBefore = try Self.with(hub) { try $0.stateHash() }
        let refused = try GlossBinary.run(["sync", server.url, "--token", Self.token, "--store", a.path], cwd: dir.url)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("Run `gloss rekey` on the server's store"), "\(refused.stderr)")
        #expect(try Self.with(hub) { try $0.stateHash() } == hubBefore)
        #expect(try Self.with(hub) { try $0.status().rekeyRequired })
        #expect(try Self.with(a) { try $0.status().rekeyRequired } == false)
        #expect(server.stop() == 0)
        let status = try GlossBinary.run(["status", "--store", hub.path], cwd: dir.url)
        #expect(status.stdout.contains("run `gloss rekey`"), "\(status.stdout)")
        #expect(status.stdout.contains("has synced with another store that has this store's replica ID"), "\(status.stdout)")
        let rekey = try GlossBinary.run(["rekey", "--store", hub.path], cwd: dir.url)
        #expect(rekey.status == 0, "\(rekey.stderr)")
        let restarted = try ServeProcess(store: hub, token: Self.token)
        defer { restarted.stop() }
        _ = try Self.sync(a, restarted.url)
        #expect(try Self.with(hub) { try $0.record("c1")?.string("title") } == "from the copy")
    }

    @Test func serverStopsCleanlyOnSIGTERMAndNeverLogsTheToken() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-sigterm")
        defer { dir.remove() }
        let hub = try Self.makeStore(dir, "hub"), a = try Self.makeStore(dir, "a")
        try Self.note(a, "n1") { $0.set("title", .string("pushed before shutdown")) }
        let server = try ServeProcess(store: hub, token: Self.token)
        #expect(server.port > 0 && server.port != 8080)
        _ = try Self.sync(a, server.url)
        #expect(server.stop() == 0)
        #expect(!server.standardError.contains(Self.token))
        #expect(try Self.with(hub) { try $0.record("n1")?.string("title") } == "pushed before shutdown")
    }

    @Test func helpExplainsSyncAndRekey() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-help")
        defer { dir.remove() }
        let sync = try GlossBinary.run(["sync", "--help"], cwd: dir.url)
        #expect(sync.stdout.contains("every remote") && sync.stdout.contains("--token"))
        let rekey = try GlossBinary.run(["rekey", "--help"], cwd: dir.url)
        #expect(rekey.stdout.contains("new replica ID") && rekey.stdout.contains("copy"))
        let serve = try GlossBinary.run(["serve", "--help"], cwd: dir.url)
        #expect(serve.stdout.contains("127.0.0.1") && serve.stdout.contains("--token-file"))
    }
}
