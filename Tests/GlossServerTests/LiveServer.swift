import Foundation
import GlossServer
import GlossTestSupport
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A sync server on 127.0.0.1 (port 0) over a fresh store, run exactly as `gloss serve` runs it
/// (not through HummingbirdTesting, whose test application rebuilds the server configuration
/// and listens on "localhost"), stopped when `test` returns.
enum LiveServer {
    static let token = "live-token"

    static func run(
        _ configuration: SyncServerConfiguration, limiter: ConnectionLimiter? = nil, storeFile: ((URL) -> Void)? = nil,
        _ test: @Sendable @escaping (Int) async throws -> Void
    ) async throws {
        let (store, dir) = try TestStores.make(name: "server")
        defer { dir.remove() }
        storeFile?(store.fileURL)
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.token = token
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let bound = NIOLockedValueBox(0)
        let app = SyncServer.makeApplication(store: store, configuration: configuration, logger: logger, limiter: limiter) { port in
            bound.withLockedValue { $0 = port }
        }
        // Stopped by a graceful shutdown, never by cancelling its task: cancelling drops the
        // connections NIO has accepted but not yet handed to the server loop, and a dropped
        // connection traps, a precondition ("Deinited NIOAsyncWriter without calling finish()",
        // apple/swift-nio#3481); that crashed the whole test process in CI.
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        let server = Task { try await group.run() }
        let stop: @Sendable () async -> Void = {
            await group.triggerGracefulShutdown()
            // Bounded: a connection a test left mid-request would otherwise hold the shutdown
            // until its deadline; cancel only then.
            let cancelLater = Task {
                try await Task.sleep(for: .seconds(30))
                server.cancel()
            }
            _ = try? await server.value
            cancelLater.cancel()
        }
        // Generous: the end-to-end tests block the few cooperative threads while their `gloss`
        // processes run, and a full parallel run once kept a server from starting for 30 s, and
        // once under load 8 for 90 s. `scripts/test.sh` runs this module's tests alone for that.
        guard await eventually(within: 90, { bound.withLockedValue { $0 } != 0 }) else {
            await stop()
            throw ServeProcessError(message: "the live server did not start")
        }
        do {
            try await test(bound.withLockedValue { $0 })
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// An honest request for /v1/info on a new connection; the status line or what went wrong.
    static func honestInfo(port: Int) async -> String {
        await offPool {
            guard let socket = LoopbackSocket(port: port, receiveTimeout: 20) else { return "no connection" }
            defer { socket.close() }
            socket.send("GET /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
            let answer = socket.receiveAll()
            return answer.text.split(separator: "\r\n").first.map(String.init) ?? (answer.closed ? "closed without an answer" : "no answer")
        }
    }

    /// Runs blocking socket work on a thread of its own, so waiting on a socket never holds one
    /// of the few threads Swift concurrency (and so the server's handlers) runs on.
    static func offPool<T: Sendable>(_ work: @Sendable @escaping () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    /// Waits (up to `seconds`) until `condition` holds; true if it did.
    static func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
