import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss serve`'s limits, through the built binary: bad values are refused before anything
/// listens, and a small --max-body turns a big push away with 413 and changes nothing.
@Suite struct ServeLimitsEndToEndTests {
    static let token = "limits-token"

    @Test func badLimitValuesAreRefusedWithAClearMessage() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-serve-limits")
        defer { dir.remove() }
        let store = dir.path("hub.sqlite")
        try ReplicaStore.create(at: store, name: "hub").close()
        let refusals: [([String], String)] = [
            (["--max-connections", "0"], "--max-connections must be a positive number of connections, not 0"),
            (["--max-connections=-3"], "--max-connections must be a positive number of connections, not -3"),
            (["--idle-timeout", "0"], "--idle-timeout must be a number of seconds above 0"),
            (["--idle-timeout=-2.5"], "--idle-timeout must be a number of seconds above 0"),
            (["--request-timeout", "0"], "--request-timeout must be a number of seconds above 0"),
            (["--request-timeout", "1e12"], "--request-timeout must be a number of seconds above 0 and at most 86400"),
            (["--max-body", "0"], "--max-body must be at least 1024"),
        ]
        for (args, message) in refusals {
            // Bounded: if a bad value were accepted, the server would run until the timeout.
            let result = try GlossBinary.run(["serve", "--store", store.path, "--port", "0"] + args, cwd: dir.url, timeout: 30)
            #expect(result.status == 64, "gloss serve \(args.joined(separator: " ")) exited \(result.status)")
            #expect(result.stderr.contains(message), "gloss serve \(args.joined(separator: " ")): \(result.stderr)")
            #expect(!result.stdout.contains("listening on"))
        }
        let help = try GlossBinary.run(["serve", "--help"], cwd: dir.url)
        for flag in ["--max-connections <count>", "--idle-timeout <seconds>", "--request-timeout <seconds>", "--max-body <bytes>"] {
            #expect(help.stdout.contains(flag), "serve --help does not describe \(flag)")
        }
    }

    @Test func servingWithoutATokenWarnsWithThePortActuallyBound() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-serve-notoken")
        defer { dir.remove() }
        let store = dir.path("hub.sqlite")
        try ReplicaStore.create(at: store, name: "hub").close()
        let server = try ServeProcess(store: store, token: nil)
        defer { server.stop() }
        // Started with --port 0: the warning must name the port a client can actually reach. It
        // is written before the "listening on" line, but on another pipe: wait for it (bounded).
        let deadline = Date().addingTimeInterval(10)
        while !server.standardError.contains("warning") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(server.standardError.contains("anyone who can reach 127.0.0.1:\(server.port) can read and write this store"), "\(server.standardError)")
        #expect(!server.standardError.contains("127.0.0.1:0 "), "\(server.standardError)")
        #expect(server.stop() == 0)
    }

    @Test func aSmallMaxBodyGets413OnABigPushAndChangesNothing() throws {
        let dir = try TemporaryDirectory(prefix: "gloss-serve-maxbody")
        defer { dir.remove() }
        let hub = dir.path("hub.sqlite")
        try ReplicaStore.create(at: hub, name: "hub").close()
        let server = try ServeProcess(store: hub, token: Self.token, arguments: ["--max-body", "2048", "--max-connections", "4"])
        defer { server.stop() }
        let before = try Self.snapshot(hub)

        // A raw push of 64 KB: 413 before the body is read, with the limit in the message.
        let socket = try #require(LoopbackSocket(port: server.port, receiveTimeout: 30))
        defer { socket.close() }
        let body = String(repeating: " ", count: 64 * 1024)
        socket.send("POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(Self.token)\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        socket.send(body)
        let answer = socket.receiveAll().text
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
        #expect(answer.contains("larger than this server accepts (2048 bytes)"), "\(answer.prefix(400))")

        // `gloss sync` pushing 200 notes in one batch: a clear failure, nothing half-applied.
        let client = dir.path("client.sqlite")
        let store = try ReplicaStore.create(at: client, name: "client")
        _ = try store.write { w in
            for i in 0..<200 {
                try w.update("note-\(i)", kind: .note) { e in
                    e.set("title", .string("Note \(i)"))
                    e.set("body", .string(String(repeating: "1,140 troops withdrawn. ", count: 10)))
                }
            }
        }
        try store.close()
        let sync = try GlossBinary.run(["sync", server.url, "--token", Self.token, "--store", client.path, "--batch-records", "200"], cwd: dir.url, timeout: 60)
        #expect(sync.status != 0, "the push over the limit succeeded: \(sync.stdout)")
        #expect(sync.stderr.contains("larger than this server accepts"), "\(sync.stderr)")
        #expect(server.stop() == 0)
        #expect(try Self.snapshot(hub) == before, "the refused push changed the server's store")
        #expect(try StoreInvariants.violations(at: hub).isEmpty)
    }

    /// The state hash, change-feed position and history size of the store at `file`.
    static func snapshot(_ file: URL) throws -> [String] {
        let store = try ReplicaStore.open(at: file)
        defer { try? store.close() }
        return [try store.stateHash(), "\(try store.currentSeq())", "\(try store.historyCount())"]
    }
}
