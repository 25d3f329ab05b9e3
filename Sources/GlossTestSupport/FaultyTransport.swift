import Foundation
import GlossCore
import GlossSync

/// Wraps a transport and, driven by a seeded generator, loses requests, loses answers,
/// duplicates pushes, delays pushes so they arrive after later ones, and replays stale pages of
/// changes: what a bad network and a retrying client can do to batches.
public final class FaultyTransport: SyncTransport, @unchecked Sendable {  // all state behind `lock`
    private let inner: any SyncTransport
    private let lock = NSLock()
    private var random: SeededRandom
    private var delayedPushes: [Data] = []
    private var oldPages: [ChangesPage] = []
    /// Probability of each fault per call.
    public let faultRate: Double
    /// Faults injected so far (for tests to check that faults did happen).
    public private(set) var faults = 0

    public var peerDescription: String { inner.peerDescription + " (faulty)" }

    /// A faulty wrapper around `inner`, deterministic for a given `seed`.
    public init(_ inner: any SyncTransport, seed: UInt64, faultRate: Double = 0.2) {
        self.inner = inner
        self.random = SeededRandom(seed: seed)
        self.faultRate = faultRate
    }

    private func roll() -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard random.chance(faultRate) else { return 0 }
        faults += 1
        return Int.random(in: 1...4, using: &random)
    }

    private static func lost(_ what: String) -> GlossError { GlossError(.transport, "injected fault: \(what)") }

    public func info() async throws -> InfoResponse {
        if roll() == 1 { throw Self.lost("handshake lost") }
        return try await inner.info()
    }

    public func session(_ request: SessionRequest) async throws {
        switch roll() {
        case 1: throw Self.lost("session request lost")
        case 2:
            try await inner.session(request)
            throw Self.lost("session answer lost")
        default: try await inner.session(request)
        }
    }

    public func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        switch roll() {
        case 1: throw Self.lost("request lost")
        case 2:
            _ = try await inner.changes(since: since, limit: limit, peer: peer)
            throw Self.lost("answer lost")
        case 3:
            // A stale page from earlier (reordered delivery): its claims were true when it was made.
            let stale: ChangesPage? = {
                lock.lock()
                defer { lock.unlock() }
                return oldPages.isEmpty ? nil : random.pick(oldPages)
            }()
            if let stale { return stale }
        default: break
        }
        let page = try await inner.changes(since: since, limit: limit, peer: peer)
        lock.withLock {
            oldPages.append(page)
            if oldPages.count > 8 { oldPages.removeFirst() }
        }
        return page
    }

    public func push(_ body: Data) async throws -> PushResponse {
        let fault = roll()
        // Deliver an earlier delayed push first, out of order.
        let late: Data? = {
            lock.lock()
            defer { lock.unlock() }
            guard !delayedPushes.isEmpty, random.chance(0.5) else { return nil }
            return delayedPushes.removeFirst()
        }()
        if let late { _ = try? await inner.push(late) }
        switch fault {
        case 1: throw Self.lost("push lost")
        case 2:
            _ = try await inner.push(body)
            throw Self.lost("push answer lost")
        case 3:
            _ = try await inner.push(body)
            return try await inner.push(body)  // duplicated
        case 4:
            lock.withLock { delayedPushes.append(body) }
            throw Self.lost("push delayed")
        default:
            return try await inner.push(body)
        }
    }

    /// Delivers every push still held back (so a test can end with nothing in flight).
    public func flush() async {
        let pending: [Data] = {
            lock.lock()
            defer { lock.unlock() }
            let all = delayedPushes
            delayedPushes = []
            return all
        }()
        for body in pending { _ = try? await inner.push(body) }
    }
}
