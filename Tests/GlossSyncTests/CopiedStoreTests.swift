import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// A store and its copy (a restored backup, a folder copied to another machine) with peers in
/// between: the cases `CopiedStorePropertyTests` found, each replayed step by step.
@Suite struct CopiedStoreTests {
    /// A store, closed, its copy, and both open again.
    static func storeAndCopy(_ dir: TemporaryDirectory, write: (ReplicaStore) throws -> Void = { _ in }) throws -> (ReplicaStore, ReplicaStore) {
        let original = try ReplicaStore.create(at: dir.path("original.sqlite"), name: "original")
        try write(original)
        try original.close()
        let copyURL = dir.path("copy.sqlite")
        try RekeyTests.copy(original, to: copyURL)
        return (try ReplicaStore.open(at: original.fileURL), try ReplicaStore.open(at: copyURL))
    }

    /// A client that synced with the copy of a server, then with the server itself: the client
    /// presents the epoch it agreed with the copy, which the server never agreed. The server used
    /// to accept it (it had no epoch for the client), and the client then left out of its pushes
    /// the copy's writes, taking them for the server's own: the server never got them. Now the
    /// server refuses (`conflict`, changing nothing) and awaits a rekey, the client is not told
    /// to rekey, and once the server has a new ID the next sync brings the copy's writes.
    @Test func aServerWhoseCopySyncedWithTheClientRefusesItAndAwaitsARekey() async throws {
        let dir = try TemporaryDirectory(prefix: "gloss-twin-server")
        defer { dir.remove() }
        let (server, copy) = try Self.storeAndCopy(dir)
        let (client, d1) = try TestStores.make(name: "client")
        defer { d1.remove() }
        _ = try copy.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("from the copy")) } }
        _ = try await RekeyTests.sync(client, copy)
        #expect(try client.record("n1")?.string("title") == "from the copy")
        let before = try server.stateHash()
        await #expect { _ = try await RekeyTests.sync(client, server) } throws: { error in
            (error as? GlossError)?.code == .conflict && "\(error)".contains("Run `gloss rekey` on the server's store")
        }
        #expect(try server.status().rekeyRequired)
        #expect(try !client.status().rekeyRequired)
        #expect(try server.stateHash() == before)
        let rekeyed = try RekeyTests.reopenedAfterRekey(server)
        _ = try await RekeyTests.sync(client, rekeyed)
        #expect(try rekeyed.record("n1")?.string("title") == "from the copy")
        #expect(try rekeyed.stateHash() == client.stateHash())
        try rekeyed.close()
        try copy.close()
    }

    /// A client's pull cursor for a hub, moved by the hub's copy, whose feed numbers its own
    /// records: after the client was told to rekey (the hub saw its epoch from the copy), its
    /// next sync with the hub started from that cursor and skipped the hub's records for good.
    /// A rekey now starts every peer's cursors from the beginning.
    @Test func aRekeyStartsEveryPeerFromTheBeginning() async throws {
        let dir = try TemporaryDirectory(prefix: "gloss-twin-cursor")
        defer { dir.remove() }
        let (client, d1) = try TestStores.make(name: "client")
        defer { d1.remove() }
        let first = try ReplicaStore.create(at: dir.path("hub.sqlite"), name: "hub")
        try SyncEngineTests.notes(first, 1...2, prefix: "hub")
        _ = try await RekeyTests.sync(client, first)
        try first.close()
        try RekeyTests.copy(first, to: dir.path("hub-copy.sqlite"))
        let hub = try ReplicaStore.open(at: first.fileURL), hubCopy = try ReplicaStore.open(at: dir.path("hub-copy.sqlite"))
        // The copy's feed runs ahead of the hub's: five records there, one here.
        try SyncEngineTests.notes(hubCopy, 1...5, prefix: "copy")
        try SyncEngineTests.notes(hub, 1...1, prefix: "later")
        _ = try await RekeyTests.sync(client, hubCopy)
        await #expect { _ = try await RekeyTests.sync(client, hub) } throws: { ($0 as? GlossError)?.code == .counterReuse }
        let rekeyed = try RekeyTests.reopenedAfterRekey(client)
        // The pull brings what the hub wrote since; the push then offers everything, the hub's
        // copy's records too, and the hub, finding writes under its own ID that it never made,
        // refuses them and awaits a rekey (before, they were left out as the hub's own).
        await #expect { _ = try await RekeyTests.sync(rekeyed, hub) } throws: { ($0 as? GlossError)?.code == .counterReuse }
        #expect(try rekeyed.record("later-1")?.string("title") == "later 1")
        #expect(try hub.status().rekeyRequired)
        let newHub = try RekeyTests.reopenedAfterRekey(hub)
        _ = try await RekeyTests.sync(rekeyed, newHub)
        #expect(try newHub.record("copy-5")?.string("title") == "copy 5")
        #expect(try newHub.stateHash() == rekeyed.stateHash())
        try rekeyed.close()
        try newHub.close()
        try hubCopy.close()
    }

    /// A hub that took a new ID forgot its epochs, so a store's copy, syncing with it for the
    /// first time under the store's ID, is accepted. The hub's memory of which peer sent each
    /// state was kept, and it left out of its answers to the copy what the store had sent, as
    /// if the copy had it: the copy never got it, and every later sync was quiet. A rekey now
    /// forgets that memory with the epochs, and the copy, sent the store's write, is caught.
    @Test func aRekeyForgetsWhichPeerSentEachState() async throws {
        let dir = try TemporaryDirectory(prefix: "gloss-twin-source")
        defer { dir.remove() }
        let (hubStore, d1) = try TestStores.make(name: "hub")
        defer { d1.remove() }
        let (store, copy) = try Self.storeAndCopy(dir)
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("from the store")) } }
        _ = try await RekeyTests.sync(store, hubStore)
        let hub = try RekeyTests.reopenedAfterRekey(hubStore)
        // The copy is sent the store's write, made under its own ID: it refuses it and awaits a
        // rekey (before, the write was left out, and every later sync was quiet).
        await #expect { _ = try await RekeyTests.sync(copy, hub) } throws: { ($0 as? GlossError)?.code == .counterReuse }
        #expect(try copy.status().rekeyRequired)
        let rekeyedCopy = try RekeyTests.reopenedAfterRekey(copy)
        _ = try await RekeyTests.sync(rekeyedCopy, hub)
        #expect(try rekeyedCopy.record("n1")?.string("title") == "from the store")
        try hub.close()
        try store.close()
        try rekeyedCopy.close()
    }
}
