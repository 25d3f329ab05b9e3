import Foundation
import GlossServer
import GlossTestSupport
import Testing

/// The connection cap on a real loopback socket: connections beyond it are refused at once
/// (503 and closed, never queued), places come back as connections close, and stuck connections
/// dropped by the idle timeout let an honest client in again.
// Live sockets and a server whose handlers need the cooperative thread pool: run alone, like
// SlowClientTests (`.ci/run`'s GLOSS_TIMING_TESTS=1 step). No timing assertions: bounds are
// generous waits that prove something happened.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GLOSS_TIMING_TESTS"] == "1"))
struct ConnectionCapTests {
    @Test func aConnectionBeyondTheCapIsClosedAtOnceAndPlacesComeBackWhenConnectionsClose() async throws {
        let limiter = ConnectionLimiter(maximum: 5)
        let configuration = SyncServerConfiguration(idleTimeout: .seconds(120), requestTimeout: .seconds(120), maxConnections: 5)
        try await LiveServer.run(configuration, limiter: limiter) { port in
            // Five connections that send nothing (and are far from any timeout) fill the cap.
            let idle = (0..<5).compactMap { _ in LoopbackSocket(port: port) }
            defer { for socket in idle { socket.close() } }
            #expect(idle.count == 5)
            #expect(await LiveServer.eventually(within: 30) { limiter.open == 5 }, "the server counted \(limiter.open) open connections")

            // One more is answered 503 and closed without sending anything.
            let extra = try #require(LoopbackSocket(port: port, receiveTimeout: 30))
            defer { extra.close() }
            let refusal = await LiveServer.offPool { extra.receiveAll() }
            #expect(refusal.closed, "the connection beyond the cap was left open")
            #expect(refusal.text.hasPrefix("HTTP/1.1 503"), "\(refusal.text.prefix(200))")
            #expect(refusal.text.contains("maximum of 5 connections"))
            #expect(await LiveServer.honestInfo(port: port).hasPrefix("HTTP/1.1 503"))
            #expect(limiter.open == 5)

            // The client closes its idle connections: their places come back and requests are served.
            for socket in idle { socket.close() }
            #expect(await LiveServer.eventually(within: 30) { limiter.open == 0 }, "\(limiter.open) places still taken")
            #expect(await LiveServer.honestInfo(port: port) == "HTTP/1.1 200 OK")
            #expect(await LiveServer.eventually(within: 30) { limiter.open == 0 })
        }
    }

    @Test func stuckConnectionsDroppedByTheIdleTimeoutLetAnHonestClientIn() async throws {
        let limiter = ConnectionLimiter(maximum: 20)
        let configuration = SyncServerConfiguration(idleTimeout: .seconds(1), maxConnections: 20)
        try await LiveServer.run(configuration, limiter: limiter) { port in
            // 60 stuck connections (half a request head each) against a cap of 20.
            let stuck = (0..<60).compactMap { _ in LoopbackSocket(port: port, receiveTimeout: 30) }
            defer { for socket in stuck { socket.close() } }
            for socket in stuck { socket.send("GET /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n") }
            #expect(stuck.count == 60)
            // The server never holds more than the cap, drops every stuck connection (20 by
            // the idle timeout, the rest refused at once), and an honest client retrying gets in.
            let answers = await Self.retryUntilServed(port: port, limiter: limiter)
            print("connection cap: honest client answers while 60 stuck connections were dropped: \(answers)")
            #expect(answers["HTTP/1.1 200 OK"] == 1, "the honest client was never served: \(answers)")
            let dropped = await LiveServer.offPool { stuck.filter { $0.receiveAll().closed }.count }
            #expect(dropped == stuck.count, "\(dropped) of \(stuck.count) stuck connections were closed by the server")
        }
    }

    /// Asks for /v1/info every 0.2 s until served (or 60 s pass), checking the cap each time;
    /// returns how often each status line came back.
    static func retryUntilServed(port: Int, limiter: ConnectionLimiter) async -> [String: Int] {
        var answers: [String: Int] = [:]
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let status = await LiveServer.honestInfo(port: port)
            answers[status, default: 0] += 1
            #expect(limiter.open <= limiter.maximum)
            if status == "HTTP/1.1 200 OK" { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return answers
    }
}
