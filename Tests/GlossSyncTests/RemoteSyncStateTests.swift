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
}
