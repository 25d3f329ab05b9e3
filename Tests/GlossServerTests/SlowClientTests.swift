import Foundation
import GlossServer
import GlossTestSupport
import Testing

/// The server on a real loopback socket against slow, stuck and oversized clients: stuck
/// connections are dropped after the idle timeout, hundreds of them do not starve an honest
/// client, and a body declared over the limit gets 413 before it is sent. (The connection cap
/// and the request deadline have suites of their own.)
// Timing-sensitive: in the full, parallel suite on 2 cores, blocking tests starve the
// cooperative thread pool and these measure the machine, not the server. `.ci/run` runs them in
// a step of their own (GLOSS_TIMING_TESTS=1).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GLOSS_TIMING_TESTS"] == "1"))
struct SlowClientTests {
    /// A live server (see `LiveServer`) with a 1 s idle timeout and a 64 KB body limit.
    static func withLiveServer(maxConnections: Int = 1_000, _ test: @Sendable @escaping (Int) async throws -> Void) async throws {
        let configuration = SyncServerConfiguration(maxBodyBytes: 64 * 1024, idleTimeout: .seconds(1), maxConnections: maxConnections)
        try await LiveServer.run(configuration, test)
    }

    @Test func hundredsOfStuckConnectionsAreDroppedAndDoNotStarveAnHonestClient() async throws {
        try await Self.withLiveServer { port in
            // Slowloris: request heads that never end.
            var stuck: [LoopbackSocket] = []
            defer { for socket in stuck { socket.close() } }
            for _ in 0..<300 {
                guard let socket = LoopbackSocket(port: port) else { continue }
                socket.send("POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\nX-Slow: ")
                stuck.append(socket)
            }
            #expect(stuck.count == 300)
            // On a connection of its own, opened after the stuck ones. (A kept-alive connection
            // opened before them would itself be dropped by the 1 s idle timeout.)
            #expect(await LiveServer.honestInfo(port: port) == "HTTP/1.1 200 OK")
            // Every stuck connection is closed by the server after its idle timeout (1 s).
            let closed = stuck.filter { $0.receiveAll().closed }.count
            #expect(closed == stuck.count, "\(closed) of \(stuck.count) stuck connections were dropped")
        }
    }

    @Test func bodyDeclaredOverTheLimitIsRefusedBeforeItIsSent() async throws {
        try await Self.withLiveServer { port in
            let socket = try #require(LoopbackSocket(port: port))
            defer { socket.close() }
            socket.send(
                "POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
                    + String(repeating: " ", count: 1024))
            // Only 1 KB of the declared 100 MB was sent: the answer must not wait for the rest.
            let answer = socket.receiveAll().text
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
            #expect(answer.contains("larger than this server accepts"))
        }
    }
}
