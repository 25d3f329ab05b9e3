import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// The sync engine between real store files over the in-process transport.
@Suite struct SyncEngineTests {
    static func sync(_ a: ReplicaStore, _ b: ReplicaStore, batch: Int = 3) async throws -> SyncSummary {
        try await SyncEngine(
            store: a, transport: InProcessTransport(store: b, maxBatchRecords: batch),
            options: SyncOptions(batchRecords: batch, retry: .immediate(attempts: 1))
        ).run()
    }

    static func notes(_ store: ReplicaStore, _ range: ClosedRange<Int>, prefix: String) throws {
        _ = try store.write { w in
            for i in range { try w.update("\(prefix)-\(i)", kind: .note) { $0.set("title", .string("\(prefix) \(i)")) } }
        }
    }

    @Test func secondSyncMovesNothingEitherWay() async throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        try Self.notes(a, 1...10, prefix: "a")
        try Self.notes(b, 1...7, prefix: "b")
        let first = try await Self.sync(a, b)
        #expect(first.pulled == 7 && first.pushed == 10)
        #expect(try a.stateHash() == b.stateHash())
        let second = try await Self.sync(a, b)
        #expect(second.pulled == 0 && second.pushed == 0)
        // And the other direction moves nothing either.
        let reverse = try await Self.sync(b, a)
        #expect(reverse.pulled == 0 && reverse.pushed == 0)
    }

    @Test func hubRelaysWithoutEchoAndConcurrentEditsConflictEverywhere() async throws {
        let (hub, d0) = try TestStores.make(name: "hub")
        let (a, d1) = try TestStores.make(name: "a")
        let (b, d2) = try TestStores.make(name: "b")
        defer { d0.remove(); d1.remove(); d2.remove() }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("base")); $0.set("body", .string("b0")) } }
        _ = try await Self.sync(a, hub)
        _ = try await Self.sync(b, hub)
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("from A")) } }
        _ = try b.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("from B")) } }
        _ = try a.write { w in try w.update("n2", kind: .note) { $0.set("title", .string("x")) } }
        _ = try b.write { w in try w.update("n2", kind: .note) { $0.set("body", .string("y")) } }
        _ = try await Self.sync(a, hub)
        let bSummary = try await Self.sync(b, hub)
        #expect(bSummary.newConflicts == 1)
        _ = try await Self.sync(a, hub)
        for store in [hub, a, b] {
            #expect(try store.conflictedRecordIDs() == ["n1"])
            let n1 = try #require(try store.record("n1"))
            #expect(Set(n1.fields["title"]!.siblings.map(\.value)) == [.string("from A"), .string("from B")])
            let n2 = try #require(try store.record("n2"))
            #expect(n2.string("title") == "x" && n2.string("body") == "y" && !n2.isConflicted)
        }
        #expect(try a.stateHash() == hub.stateHash() && b.stateHash() == hub.stateHash())
        for store in [a, b] {
            let again = try await Self.sync(store, hub)
            #expect(again.pulled == 0 && again.pushed == 0)
        }
    }

    @Test func protocolMismatchIsAClearErrorAndTouchesNothing() async throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        try Self.notes(b, 1...3, prefix: "b")
        try Self.notes(a, 1...2, prefix: "a")
        let before = try a.stateHash()
        for (proto, schema, text) in [(2, SyncProtocol.schemaVersion, "sync protocol 2"), (1, 99, "schema 99")] {
            let transport = HandshakeOverride(inner: InProcessTransport(store: b), protocolVersion: proto, schema: schema)
            await #expect {
                _ = try await SyncEngine(store: a, transport: transport, options: SyncOptions(retry: .immediate(attempts: 1))).run()
            } throws: { error in
                let error = error as? GlossError
                return error?.code == .versionMismatch && error!.message.contains(text) && error!.message.contains("Nothing was changed")
            }
        }
        #expect(try a.stateHash() == before)
        let cursors = try a.cursors(for: b.replicaID)
        #expect(cursors.pull == 0 && cursors.push == 0)
        #expect(try b.record("a-1") == nil)
    }

    @Test func transportFailuresAreRetriedThenReportedClearly() async throws {
        let (a, dirA) = try TestStores.make(name: "a")
        defer { dirA.remove() }
        let failing = AlwaysFailing()
        await #expect {
            _ = try await SyncEngine(store: a, transport: failing, options: SyncOptions(retry: .immediate(attempts: 4))).run()
        } throws: { error in
            let error = error as? GlossError
            return error?.code == .transport && error!.message.contains("after 4 attempts") && error!.message.contains("run the sync again")
        }
        #expect(failing.calls.value == 4)
    }

    @Test func interruptedPullResumesWithoutRepeatingABatch() async throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        try Self.notes(b, 1...10, prefix: "b")
        // The connection dies after two pages: those two are stored with their cursor.
        let dying = DiesAfter(inner: InProcessTransport(store: b, maxBatchRecords: 3), pages: 2)
        await #expect(throws: GlossError.self) {
            _ = try await SyncEngine(store: a, transport: dying, options: SyncOptions(batchRecords: 3, retry: .immediate(attempts: 1))).run()
        }
        #expect(try a.cursors(for: b.replicaID).pull == 6)
        #expect(try a.historyCount() == 6)
        let resumed = try await Self.sync(a, b)
        #expect(resumed.pulled == 4)
        #expect(try a.historyCount() == 10)
        #expect(try a.stateHash() == b.stateHash())
    }

    @Test func copiedStoreIsRefusedUntilRekeyedThenNothingIsLost() async throws {
        let (hub, d0) = try TestStores.make(name: "hub")
        let (original, d1) = try TestStores.make(name: "laptop")
        defer { d0.remove(); d1.remove() }
        _ = try original.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("v1")) } }
        _ = try await Self.sync(original, hub)
        // Copy the store file (a restored backup).
        try original.close()
        let copyURL = d1.path("copy.sqlite")
        try RekeyTests.copy(original, to: copyURL)
        let a = try ReplicaStore.open(at: original.fileURL)
        var copy = try ReplicaStore.open(at: copyURL)
        #expect(copy.replicaID == a.replicaID)
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("A first")) } }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("A second")) } }
        _ = try copy.write { w in try w.update("n1", kind: .note) { $0.set("body", .string("copy body")) } }
        _ = try copy.write { w in try w.update("c1", kind: .note) { $0.set("title", .string("only on the copy")) } }
        _ = try await Self.sync(a, hub)
        let copyBefore = try copy.stateHash()
        await #expect {
            _ = try await Self.sync(copy, hub)
        } throws: { error in
            let error = error as? GlossError
            return error?.code == .counterReuse && error!.message.contains("gloss rekey")
        }
        #expect(try copy.stateHash() == copyBefore)
        #expect(try copy.status().rekeyRequired)
        #expect(throws: GlossError.self) { _ = try copy.write { w in try w.update("c2", kind: .note) { $0.set("title", .string("x")) } } }
        // Rekey, reopen, sync: everything both wrote survives.
        let newID = try copy.rekey()
        try copy.close()
        copy = try ReplicaStore.open(at: copyURL)
        #expect(copy.replicaID == newID && newID != a.replicaID)
        #expect(try !copy.status().rekeyRequired)
        try await SyncTesting.syncAllUntilQuiet([hub, a, copy])
        #expect(try a.stateHash() == copy.stateHash() && hub.stateHash() == a.stateHash())
        let n1 = try #require(try hub.record("n1"))
        #expect(n1.string("title") == "A second")
        #expect(n1.string("body") == "copy body")
        #expect(try hub.record("c1")?.string("title") == "only on the copy")
        try a.close()
        try copy.close()
    }
}

/// Passes calls through but reports another protocol or schema at the handshake.
struct HandshakeOverride: SyncTransport {
    let inner: InProcessTransport
    let protocolVersion: Int
    let schema: Int
    var peerDescription: String { "test peer" }
    func info() async throws -> InfoResponse {
        var info = try await inner.info()
        info.protocolVersion = protocolVersion
        info.schema = schema
        return info
    }
    func session(_ request: SessionRequest) async throws { try await inner.session(request) }
    func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        try await inner.changes(since: since, limit: limit, peer: peer)
    }
    func push(_ body: Data) async throws -> PushResponse { try await inner.push(body) }
}

/// A counter shared with a transport.
final class CallCount: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() -> Int { lock.withLock { count += 1; return count } }
}

/// A peer that is never reachable.
struct AlwaysFailing: SyncTransport {
    let calls = CallCount()
    var peerDescription: String { "unreachable peer" }
    func info() async throws -> InfoResponse {
        _ = calls.increment()
        throw GlossError(.transport, "connection refused")
    }
    func session(_ request: SessionRequest) async throws { throw GlossError(.transport, "x") }
    func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage { throw GlossError(.transport, "x") }
    func push(_ body: Data) async throws -> PushResponse { throw GlossError(.transport, "x") }
}

/// A connection that dies (for good) after serving `pages` pages.
struct DiesAfter: SyncTransport {
    let inner: InProcessTransport
    let pages: Int
    let served = CallCount()
    var peerDescription: String { "dying peer" }
    func info() async throws -> InfoResponse { try await inner.info() }
    func session(_ request: SessionRequest) async throws { try await inner.session(request) }
    func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        guard served.increment() <= pages else { throw GlossError(.transport, "connection reset") }
        return try await inner.changes(since: since, limit: limit, peer: peer)
    }
    func push(_ body: Data) async throws -> PushResponse { throw GlossError(.transport, "connection reset") }
}
