import Foundation
import GRDB
import GlossCore
import GlossServer
import GlossSync
import GlossTestSupport
import Testing

/// Store work waits off Swift's cooperative pool: pushes waiting for the store's write lock
/// (held here by another connection, as a `gloss` command writing on the hub's machine would)
/// all succeed once it is released, and the server answers other requests meanwhile. With the
/// store work run inline in the handlers, 3 of 4 such pushes were answered 500 (the info
/// request was still answered in that run; the cause of the 500s was not analysed).
// A live server whose handlers need the cooperative thread pool: run alone, like
// ConnectionCapTests (`.ci/run`'s GLOSS_TIMING_TESTS=1 step). No timing assertions: the check is
// an order of events (the info answer arrives while the lock is still held).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GLOSS_TIMING_TESTS"] == "1"))
struct BlockingWorkTests {
    @Test func pushesWaitingForTheWriteLockDoNotStallOtherRequests() async throws {
        let file = LockedBox<URL?>(nil)
        try await LiveServer.run(SyncServerConfiguration(), storeFile: { file.value = $0 }) { port in
            let url = try #require(file.value)
            // The lock is held by a transaction on a thread of its own, until `release` is signalled.
            let locker = try DatabaseQueue(path: url.path)
            let (locked, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
            Thread {
                try? locker.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    release.wait()
                    try db.execute(sql: "COMMIT")
                }
            }.start()
            await LiveServer.offPool { locked.wait() }
            let released = LockedBox(false)
            // More pushes than the cooperative pool has threads, each waiting for the lock.
            let pushes = ProcessInfo.processInfo.activeProcessorCount + 2
            let answers = Task {
                await withTaskGroup(of: String.self) { group in
                    for i in 0..<pushes {
                        group.addTask { await Self.push(port: port, note: i) }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            try await Task.sleep(for: .seconds(1))
            let info = await LiveServer.honestInfo(port: port)
            let answeredWhileLocked = !released.value
            released.value = true
            release.signal()
            #expect(info == "HTTP/1.1 200 OK")
            #expect(answeredWhileLocked, "/v1/info waited for the pushes that waited for the write lock")
            let statuses = await answers.value
            #expect(statuses.allSatisfy { $0 == "HTTP/1.1 200 OK" }, "\(statuses)")
        }
    }

    /// Pushes one new note over a raw socket; returns the status line.
    static func push(port: Int, note: Int) async -> String {
        var state = Record(id: "n-push-\(note)", kind: .note)
        state.edit(by: ReplicaID.random(), at: 1) { $0.set("title", .string("pushed \(note)")) }
        let body = PushRequest.body(from: ReplicaID.random(), name: "pusher", states: [state.canonicalData()])
        return await LiveServer.offPool {
            guard let socket = LoopbackSocket(port: port, receiveTimeout: 60) else { return "no connection" }
            defer { socket.close() }
            _ = socket.send(
                "POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                    + String(decoding: body, as: UTF8.self))
            return socket.receiveAll().text.split(separator: "\r\n").first.map(String.init) ?? "no answer"
        }
    }
}

/// A value shared between a test and the closures it hands out.
final class LockedBox<Value: Sendable>: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
