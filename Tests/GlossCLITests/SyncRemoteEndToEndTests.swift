import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss remote` and `gloss sync` with no argument (every remote).
@Suite(.serialized) struct SyncRemoteEndToEndTests {
    @Test func remotesAreSavedListedUsedAndRemoved() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-remote")
        defer { dir.remove() }
        let hub = try SyncEndToEndTests.makeStore(dir, "hub"), a = try SyncEndToEndTests.makeStore(dir, "a")
        try SyncEndToEndTests.note(hub, "n1") { $0.set("title", .string("on the hub")) }
        let server = try ServeProcess(store: hub, token: SyncEndToEndTests.token)
        defer { server.stop() }
        let none = try GlossBinary.run(["sync", "--store", a.path], cwd: dir.url)
        #expect(none.status != 0 && none.stderr.contains("gloss remote add"))
        let bad = try GlossBinary.run(["remote", "add", "hub", "ftp://x", "--store", a.path], cwd: dir.url)
        #expect(bad.status != 0 && bad.stderr.contains("not an http"))
        let add = try GlossBinary.run(
            ["remote", "add", "hub", server.url, "--token", SyncEndToEndTests.token, "--store", a.path], cwd: dir.url)
        #expect(add.status == 0)
        let list = try GlossBinary.run(["remote", "list", "--json", "--store", a.path], cwd: dir.url)
        #expect(list.stdout.contains("\"name\" : \"hub\"") && list.stdout.contains("\"hasToken\" : true"))
        #expect(!list.stdout.contains(SyncEndToEndTests.token))
        try SyncEndToEndTests.note(a, "a1") { $0.set("title", .string("written offline on a")) }
        let before = try GlossBinary.run(["remote", "list", "--store", a.path], cwd: dir.url)
        #expect(before.stdout.contains("hub\t\(server.url)\t(token)\tnever synced, 1 record to send"), "\(before.stdout)")
        let sync = try GlossBinary.run(["sync", "--store", a.path], cwd: dir.url)
        #expect(sync.status == 0 && sync.stdout.contains("Synced with hub (hub): pulled 1, pushed 1"), "\(sync.stderr)")
        let after = try GlossBinary.run(["remote", "list", "--store", a.path], cwd: dir.url)
        #expect(after.stdout.contains("\tlast synced 20") && after.stdout.contains(" UTC, 0 records to send"), "\(after.stdout)")
        let afterJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(GlossBinary.run(["remote", "list", "--json", "--store", a.path], cwd: dir.url).stdout.utf8))
                as? [[String: Any]])
        #expect(afterJSON.first?["toSend"] as? Int == 0 && (afterJSON.first?["lastSync"] as? String)?.hasPrefix("20") == true)
        try SyncEndToEndTests.note(a, "a2") { $0.set("title", .string("written after the sync")) }
        let status = try GlossBinary.run(["status", "--store", a.path], cwd: dir.url)
        #expect(status.stdout.contains("Remote    hub: last synced 20") && status.stdout.contains(" UTC, 1 record to send"), "\(status.stdout)")
        let statusJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(GlossBinary.run(["status", "--json", "--store", a.path], cwd: dir.url).stdout.utf8))
                as? [String: Any])
        #expect(statusJSON["conflicts"] as? Int == 0 && statusJSON["replicaID"] is String)
        let statusRemotes = try #require(statusJSON["remotes"] as? [[String: Any]])
        #expect(statusRemotes.count == 1 && statusRemotes.first?["name"] as? String == "hub")
        #expect(statusRemotes.first?["toSend"] as? Int == 1 && (statusRemotes.first?["lastSync"] as? String)?.hasPrefix("20") == true)
        let unknown = try GlossBinary.run(["sync", "nowhere", "--store", a.path], cwd: dir.url)
        #expect(unknown.status == 66 && unknown.stderr.contains("no remote named \"nowhere\""))
        #expect(try GlossBinary.run(["remote", "remove", "hub", "--store", a.path], cwd: dir.url).status == 0)
        let gone = try GlossBinary.run(["remote", "remove", "hub", "--store", a.path], cwd: dir.url)
        #expect(gone.status == 66)
    }

    /// `gloss sync URL` with the URL of a saved remote (with or without a trailing slash) sends
    /// that remote's token and syncs as `gloss sync NAME` does.
    /// A peer that stops answering: `--timeout` bounds each attempt, so an analyst on a bad
    /// line gives up in seconds, not 5 attempts of 60 s; the error says what happened.
    @Test func aStalledPeerGivesUpAfterTheTimeoutGiven() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-stall")
        defer { dir.remove() }
        let hub = try SyncEndToEndTests.makeStore(dir, "hub"), a = try SyncEndToEndTests.makeStore(dir, "a")
        let server = try ServeProcess(store: hub, token: SyncEndToEndTests.token)
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        proxy.setStandingFault(.stall)
        let started = Date()
        let sync = try GlossBinary.run(["sync", proxy.url, "--timeout", "1", "--token", SyncEndToEndTests.token, "--store", a.path], cwd: dir.url)
        let took = Date().timeIntervalSince(started)
        #expect(sync.status == 69, "\(sync.stderr)")
        #expect(sync.stderr.contains("no answer within 1 s"), "\(sync.stderr)")
        #expect(took < 30, "gave up after \(took) s")
        let bad = try GlossBinary.run(["sync", proxy.url, "--timeout", "0", "--store", a.path], cwd: dir.url)
        #expect(bad.status == 64 && bad.stderr.contains("--timeout must be"), "\(bad.stderr)")
    }

    @Test func aRemotesURLSyncsWithThatRemotesToken() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-remote-url")
        defer { dir.remove() }
        let hub = try SyncEndToEndTests.makeStore(dir, "hub"), a = try SyncEndToEndTests.makeStore(dir, "a")
        try SyncEndToEndTests.note(hub, "n1") { $0.set("title", .string("on the hub")) }
        let server = try ServeProcess(store: hub, token: SyncEndToEndTests.token)
        defer { server.stop() }
        let add = try GlossBinary.run(
            ["remote", "add", "hub", server.url, "--token", SyncEndToEndTests.token, "--store", a.path], cwd: dir.url)
        #expect(add.status == 0)
        try SyncEndToEndTests.note(a, "a1") { $0.set("title", .string("written offline on a")) }
        let first = try GlossBinary.run(["sync", server.url + "/", "--store", a.path], cwd: dir.url)
        #expect(first.status == 0 && first.stdout.contains("Synced with hub (hub): pulled 1, pushed 1"), "\(first.stderr)")
        // The saved remote learned its peer and shares the cursors: nothing left to send.
        let list = try GlossBinary.run(["remote", "list", "--store", a.path], cwd: dir.url)
        #expect(list.stdout.contains("\tlast synced 20") && list.stdout.contains(" UTC, 0 records to send"), "\(list.stdout)")
        let second = try GlossBinary.run(["sync", server.url, "--store", a.path], cwd: dir.url)
        #expect(second.status == 0 && second.stdout.contains("Synced with hub (hub): pulled 0, pushed 0"), "\(second.stderr)")
        let byName = try GlossBinary.run(["sync", "hub", "--store", a.path], cwd: dir.url)
        #expect(byName.status == 0 && byName.stdout.contains("pulled 0, pushed 0"), "\(byName.stderr)")
    }

    /// A first sync that stopped part-way (here the connection is lost for good after two of
    /// three pages; a killed `gloss sync` leaves the same store) is listed as what it is:
    /// partly synced, with what it received and when, not "never synced".
    @Test func aFirstSyncCutShortIsListedAsPartlySynced() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-e2e-partly")
        defer { dir.remove() }
        let hub = try SyncEndToEndTests.makeStore(dir, "hub"), a = try SyncEndToEndTests.makeStore(dir, "a")
        for i in 1...5 { try SyncEndToEndTests.note(hub, "n\(i)") { $0.set("title", .string("note \(i) on the hub")) } }
        let server = try ServeProcess(store: hub, token: SyncEndToEndTests.token)
        defer { server.stop() }
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.stop() }
        let add = try GlossBinary.run(["remote", "add", "hub", proxy.url, "--token", SyncEndToEndTests.token, "--store", a.path], cwd: dir.url)
        #expect(add.status == 0, "\(add.stderr)")

        // Pages of two records: the third page's request never gets through.
        proxy.onlyRequests(startingWith: "GET /v1/changes?since=4")
        proxy.setStandingFault(.reset)
        let cut = try GlossBinary.run(["sync", "--batch-records", "2", "--store", a.path], cwd: dir.url)
        #expect(cut.status == 69, "\(cut.stdout) \(cut.stderr)")

        let list = try GlossBinary.run(["remote", "list", "--store", a.path], cwd: dir.url)
        #expect(
            list.stdout.contains("hub\t\(proxy.url)\t(token)\tpartly synced: 4 records received, the last at 20"),
            "\(list.stdout)")
        #expect(list.stdout.contains("the sync did not finish (run `gloss sync` to finish it), 0 records to send"), "\(list.stdout)")
        #expect(!list.stdout.contains("never synced"), "\(list.stdout)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(GlossBinary.run(["remote", "list", "--json", "--store", a.path], cwd: dir.url).stdout.utf8))
                as? [[String: Any]])
        #expect(json.first?["partlySynced"] as? Bool == true && (json.first?["lastSync"] as? String)?.hasPrefix("20") == true, "\(json)")
        let status = try GlossBinary.run(["status", "--store", a.path], cwd: dir.url)
        #expect(status.stdout.contains("Remote    hub: partly synced: 4 records received"), "\(status.stdout)")

        // Resumed to its end: synced.
        proxy.heal()
        let resumed = try GlossBinary.run(["sync", "--batch-records", "2", "--store", a.path], cwd: dir.url)
        #expect(resumed.status == 0 && resumed.stdout.contains("pulled 1, pushed 0"), "\(resumed.stdout) \(resumed.stderr)")
        let after = try GlossBinary.run(["remote", "list", "--store", a.path], cwd: dir.url)
        #expect(after.stdout.contains("\tlast synced 20") && after.stdout.contains(" UTC, 0 records to send"), "\(after.stdout)")
    }
}

