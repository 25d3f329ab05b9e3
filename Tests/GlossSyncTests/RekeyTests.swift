import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// `gloss rekey` (a new replica ID for a copied or restored store, or taken by hand): what it
/// keeps, what it re-stamps, and that the store and its peers go on syncing afterwards.
@Suite struct RekeyTests {
    static func sync(_ a: ReplicaStore, _ b: ReplicaStore) async throws -> SyncSummary {
        try await SyncEngineTests.sync(a, b, batch: 50)
    }

    static func reopenedAfterRekey(_ store: ReplicaStore) throws -> ReplicaStore {
        let new = try store.rekey()
        try store.close()
        let reopened = try ReplicaStore.open(at: store.fileURL)
        #expect(reopened.replicaID == new)
        return reopened
    }

    /// Copies a closed store's files, as a backup tool copying the folder would.
    static func copy(_ store: ReplicaStore, to url: URL) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: store.fileURL.path + suffix) {
            try FileManager.default.copyItem(atPath: store.fileURL.path + suffix, toPath: url.path + suffix)
        }
    }

    /// A hub that took a new ID (restored from a backup, say) still syncs with every client.
    /// The epochs it had agreed with them under its old ID used to refuse each client's first
    /// session: "another store with replica ID … has synced with this server", on every client.
    /// Clients keep cursors per peer ID, so each re-exchanges everything with it once (merging
    /// changes nothing); that is also what keeps it safe: a hub restored from a backup has a
    /// feed that went back, and cursors carried over from its old ID would skip records.
    @Test func aRekeyedHubStillSyncsWithItsClients() async throws {
        let (hubStore, d0) = try TestStores.make(name: "hub")
        let (a, d1) = try TestStores.make(name: "a")
        let (b, d2) = try TestStores.make(name: "b")
        defer { d0.remove(); d1.remove(); d2.remove() }
        try SyncEngineTests.notes(a, 1...3, prefix: "a")
        try SyncEngineTests.notes(b, 1...2, prefix: "b")
        _ = try await Self.sync(a, hubStore)
        _ = try await Self.sync(b, hubStore)
        _ = try await Self.sync(a, hubStore)
        let hub = try Self.reopenedAfterRekey(hubStore)
        try SyncEngineTests.notes(a, 4...5, prefix: "a")
        let summary = try await Self.sync(a, hub)
        #expect(summary.pushed == 7)
        #expect(try hub.record("a-5")?.string("title") == "a 5")
        _ = try await Self.sync(b, hub)
        #expect(try a.stateHash() == hub.stateHash() && b.stateHash() == hub.stateHash())
        let again = try await Self.sync(a, hub)
        #expect(again.pushed == 0 && again.pulled == 0)
        try hub.close()
    }

    /// Writes a peer already has keep their dots: a later edit made here supersedes them, with
    /// no conflict. (Every write since the last state received from a peer used to be re-stamped,
    /// so this store's own v3 conflicted with its v2 at the hub, and v2 was shown.)
    @Test func writesAPeerAcknowledgedAreNotRestamped() async throws {
        let (hub, d0) = try TestStores.make(name: "hub")
        let (aStore, d1) = try TestStores.make(name: "a")
        defer { d0.remove(); d1.remove() }
        for title in ["v1", "v2"] {
            _ = try aStore.write { w in try w.update("n1", kind: .note) { $0.set("title", .string(title)) } }
            _ = try await Self.sync(aStore, hub)
        }
        _ = try aStore.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("v3")) } }
        let a = try Self.reopenedAfterRekey(aStore)
        _ = try await Self.sync(a, hub)
        for store in [a, hub] {
            let n1 = try #require(try store.record("n1"))
            #expect(n1.string("title") == "v3" && !n1.isConflicted)
        }
        #expect(try a.stateHash() == hub.stateHash())
        try a.close()
    }

    /// A copy that made no writes of its own, rekeyed after the original removed a tag and
    /// cleared a field it had synced: the removal stands everywhere. (Re-stamping the copy's
    /// old dots brought the tag and the value back, with no conflict.)
    @Test func aRekeyedCopyDoesNotBringBackWhatTheOriginalRemoved() async throws {
        let (hub, d0) = try TestStores.make(name: "hub")
        let (original, d1) = try TestStores.make(name: "alice")
        defer { d0.remove(); d1.remove() }
        _ = try original.write { w in
            try w.update("n1", kind: .note) { e in
                e.set("title", .string("Troops"))
                e.set("body", .string("US estimate"))
                e.add("troops", to: "tags")
            }
        }
        _ = try await Self.sync(original, hub)
        try original.close()
        let copyURL = d1.path("copy.sqlite")
        try Self.copy(original, to: copyURL)
        let alice = try ReplicaStore.open(at: original.fileURL)
        _ = try alice.write { w in
            try w.update("n1", kind: .note) { e in
                e.remove("troops", from: "tags")
                e.clear("body")
            }
        }
        _ = try await Self.sync(alice, hub)
        let copyStore = try ReplicaStore.open(at: copyURL)
        await #expect(throws: GlossError.self) { _ = try await Self.sync(copyStore, hub) }
        let copy = try Self.reopenedAfterRekey(copyStore)
        try await SyncTesting.syncAllUntilQuiet([hub, alice, copy])
        for store in [hub, alice, copy] {
            let n1 = try #require(try store.record("n1"))
            #expect(n1.elements("tags").isEmpty && n1.string("body") == nil && !n1.isConflicted)
        }
        try alice.close()
        try copy.close()
    }

    /// A process that opened the store before another process rekeyed it (`gloss serve`
    /// beside `gloss rekey`) writes nothing under the old ID: local writes and merges are
    /// refused with a clear error, and the refusal does not ask for another rekey.
    @Test func aStoreRekeyedByAnotherProcessRefusesWritesFromTheOldOne() throws {
        let (stale, dir) = try TestStores.make(name: "served")
        let (peer, d1) = try TestStores.make(name: "peer")
        defer { dir.remove(); d1.remove() }
        try SyncEngineTests.notes(peer, 1...2, prefix: "p")
        let other = try ReplicaStore.open(at: stale.fileURL)
        let new = try other.rekey()
        let before = try other.stateHash()
        func isStaleIdentity(_ error: any Error) -> Bool {
            (error as? GlossError)?.code == .conflict && "\(error)".contains("changed to \(new.short)")
        }
        #expect { _ = try stale.write { w in try w.update("x", kind: .note) { $0.set("title", .string("x")) } } } throws: { isStaleIdentity($0) }
        #expect { _ = try stale.apply(try peer.records(kind: .note), from: peer.replicaID) } throws: { isStaleIdentity($0) }
        #expect(try other.stateHash() == before)
        #expect(try !other.status().rekeyRequired)
        try other.close()
    }
}
