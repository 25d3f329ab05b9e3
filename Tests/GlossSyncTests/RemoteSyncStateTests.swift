import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// `syncState(with:)` tells an analyst when a remote last synced and what the next sync would
/// send: that count is what the sync then pushes.
@Suite struct RemoteSyncStateTests {
    static func remote(_ peer: ReplicaStore?) -> Remote {
        Remote(name: "hub", url: "http://127.0.0.1:9", peerID: peer?.replicaID.rawValue)
    }

    @Test func theCountToSendIsWhatTheNextSyncPushes() async throws {
        let (a, d1) = try TestStores.make(name: "a")
        let (hub, d2) = try TestStores.make(name: "hub")
        let (c, d3) = try TestStores.make(name: "c")
        defer { d1.remove(); d2.remove(); d3.remove() }
        try SyncEngineTests.notes(a, 1...3, prefix: "a")
        try SyncEngineTests.notes(hub, 1...2, prefix: "hub")

        // Never synced (the remote's replica is not known yet): everything here would go.
        #expect(try a.syncState(with: Self.remote(nil)) == RemoteSyncState(lastSync: nil, toSend: 3))
        #expect(try a.syncState(with: Self.remote(hub)) == RemoteSyncState(lastSync: nil, toSend: 3))
        let first = try await SyncEngineTests.sync(a, hub)
        #expect(first.pushed == 3 && first.pulled == 2)

        // In step: the two records pulled from the hub are not sent back.
        let synced = try a.syncState(with: Self.remote(hub))
        #expect(synced.toSend == 0 && synced.lastSync != nil)

        // A local write and a record relayed from another peer are both to send.
        try SyncEngineTests.notes(a, 4...4, prefix: "a")
        try SyncEngineTests.notes(c, 1...1, prefix: "c")
        _ = try await SyncEngineTests.sync(a, c)
        #expect(try a.syncState(with: Self.remote(hub)).toSend == 2)
        // ...and a record the hub sent that is changed here again is to send too.
        _ = try a.write { w in try w.update("hub-1", kind: .note) { $0.set("body", .string("edited on a")) } }
        #expect(try a.syncState(with: Self.remote(hub)).toSend == 3)

        let second = try await SyncEngineTests.sync(a, hub)
        #expect(second.pushed == 3)
        #expect(try a.syncState(with: Self.remote(hub)).toSend == 0)

        // A sync cut off after its pull: what came from the hub is not to send back.
        try SyncEngineTests.notes(hub, 3...4, prefix: "hub")
        let page = try hub.changes(since: 0, limit: 100, excluding: a.replicaID)
        try a.apply(try page.states.map(Record.decode), from: hub.replicaID)
        #expect(try a.record("hub-4") != nil)
        #expect(try a.syncState(with: Self.remote(hub)).toSend == 0)
        let third = try await SyncEngineTests.sync(a, hub)
        #expect(third.pushed == 0)
    }

    /// The hub over a connection that is gone once the pull reaches `cut` (nothing more can be
    /// fetched), or, with `pushes: false`, when the sync starts pushing: the sync stops
    /// part-way, as when it is killed.
    struct CutOffTransport: SyncTransport {
        let inner: InProcessTransport
        var cut: Int64 = .max
        var pushes = true
        var peerDescription: String { inner.peerDescription }
        func info() async throws -> InfoResponse { try await inner.info() }
        func session(_ request: SessionRequest) async throws { try await inner.session(request) }
        func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
            guard since < cut else { throw GlossError(.transport, "connection lost") }
            return try await inner.changes(since: since, limit: limit, peer: peer)
        }
        func push(_ body: Data) async throws -> PushResponse {
            guard pushes else { throw GlossError(.transport, "connection lost") }
            return try await inner.push(body)
        }
    }

    static func syncCutOff(_ store: ReplicaStore, _ transport: CutOffTransport, batch: Int) async {
        let engine = SyncEngine(store: store, transport: transport, options: SyncOptions(batchRecords: batch, retry: .immediate(attempts: 1)))
        await #expect(throws: GlossError.self) { _ = try await engine.run() }
    }

    @Test func aFirstSyncCutShortIsPartlySyncedNotNeverSynced() async throws {
        let (fresh, d1) = try TestStores.make(name: "fresh")
        let (hub, d2) = try TestStores.make(name: "hub")
        let (other, d3) = try TestStores.make(name: "other")
        defer { d1.remove(); d2.remove(); d3.remove() }
        try SyncEngineTests.notes(hub, 1...5, prefix: "hub")

        // A new analyst's first sync stops after two pages of two records.
        await Self.syncCutOff(fresh, CutOffTransport(inner: InProcessTransport(store: hub, maxBatchRecords: 2), cut: 4), batch: 2)
        let partial = try fresh.syncState(with: Self.remote(hub))
        #expect(partial.partlySynced && partial.received == 4 && partial.lastSync != nil && partial.toSend == 0, "\(partial)")

        // Resumed to its end: synced, though this replica had nothing to send.
        _ = try await SyncEngineTests.sync(fresh, hub, batch: 2)
        let done = try fresh.syncState(with: Self.remote(hub))
        #expect(!done.partlySynced && done.received == 0 && done.lastSync != nil && done.toSend == 0, "\(done)")

        // A replica with work of its own whose first sync pulled everything, then stopped
        // before the hub acknowledged anything: partly synced, its work still to send.
        try SyncEngineTests.notes(other, 1...2, prefix: "other")
        await Self.syncCutOff(other, CutOffTransport(inner: InProcessTransport(store: hub, maxBatchRecords: 10), pushes: false), batch: 10)
        let unsent = try other.syncState(with: Self.remote(hub))
        #expect(unsent.partlySynced && unsent.received == 5 && unsent.toSend == 2, "\(unsent)")
        _ = try await SyncEngineTests.sync(other, hub)
        #expect(try !other.syncState(with: Self.remote(hub)).partlySynced)
    }
}
