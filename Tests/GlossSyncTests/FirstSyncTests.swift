import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// The first-sync fast path (new records inserted without being looked up first, received
/// canonical bytes stored as they are) must leave exactly what the general merge path leaves.
@Suite struct FirstSyncTests {
    static func sync(_ a: ReplicaStore, _ transport: some SyncTransport, batch: Int = 4) async throws -> SyncSummary {
        try await SyncEngine(store: a, transport: transport, options: SyncOptions(batchRecords: batch, retry: .immediate(attempts: 1))).run()
    }

    static func notes(_ store: ReplicaStore, _ range: Range<Int>, prefix: String, word: String) throws {
        _ = try store.write { w in
            for i in range {
                try w.update("\(prefix)-\(i)", kind: .note) { e in
                    e.set("title", .string("\(prefix) \(i)"))
                    e.set("body", .string("\(word) number \(i)"))
                    e.add("syria", to: "tags")
                }
            }
        }
    }

    @Test func firstSyncIntoAReplicaHoldingSomeRecordsAlreadyConverges() async throws {
        let (hub, d0) = try TestStores.make(name: "hub")
        let (client, d1) = try TestStores.make(name: "client")
        defer { d0.remove(); d1.remove() }
        try Self.notes(hub, 0..<30, prefix: "h", word: "withdrawn")
        try Self.notes(client, 0..<3, prefix: "c", word: "local")
        // The client already holds five of the hub's records (from a bundle, say), two of which
        // the hub has changed since; and the client changed one of them concurrently.
        let early = try (0..<5).map { try #require(try hub.record("h-\($0)")) }
        try client.apply(early, from: hub.replicaID)
        _ = try hub.write { w in for i in 0..<2 { try w.update("h-\(i)", kind: .note) { $0.set("title", .string("hub edit \(i)")) } } }
        _ = try client.write { w in try w.update("h-1", kind: .note) { $0.set("title", .string("client edit")) } }

        let summary = try await Self.sync(client, InProcessTransport(store: hub, maxBatchRecords: 4))
        #expect(summary.pulled == 30 && summary.newConflicts == 1)
        #expect(try client.stateHash() == hub.stateHash())
        #expect(try StoreInvariants.violations(in: client).isEmpty)
        #expect(try StoreInvariants.violations(in: hub).isEmpty)
        // One history row per state applied: 3 local + 5 early + 1 local edit + 25 new + 2 merged.
        #expect(try client.historyCount() == 3 + 5 + 1 + 25 + 2)
        #expect(try client.search(SearchQuery(text: "withdrawn", limit: 100)).count == 30)
        #expect(try client.search(SearchQuery(text: "hub edit 0")).map(\.id) == ["h-0"])
        let again = try await Self.sync(client, InProcessTransport(store: hub, maxBatchRecords: 4))
        #expect(again.pulled == 0 && again.pushed == 0)
    }

    @Test func aRecordArrivingTwiceInOneBatchIsMergedNotDuplicated() throws {
        let (source, d0) = try TestStores.make(name: "source")
        let (target, d1) = try TestStores.make(name: "target")
        defer { d0.remove(); d1.remove() }
        try Self.notes(source, 0..<2, prefix: "n", word: "first")
        let v1 = try #require(try source.record("n-0"))
        _ = try source.write { w in try w.update("n-0", kind: .note) { $0.set("body", .string("second")) } }
        let v2 = try #require(try source.record("n-0"))
        let other = try #require(try source.record("n-1"))
        let outcome = try target.apply(
            [v1, other, v2, v1], canonical: [v1.canonicalData(), nil, v2.canonicalData(), nil], from: source.replicaID,
            cursor: nil, insertFirst: true)
        #expect(outcome.changed == 3 && outcome.created == 2 && outcome.unchanged == 1)
        #expect(try target.record("n-0") == v2)
        #expect(try target.historyCount() == 3)
        #expect(try StoreInvariants.violations(in: target).isEmpty)
        #expect(try target.search(SearchQuery(text: "second")).map(\.id) == ["n-0"])
        #expect(try target.search(SearchQuery(text: "first")).map(\.id) == ["n-1"])
    }

    @Test func aStateWithOurOwnCounterIsCheckedEvenWhenInsertingFirst() throws {
        let (store, d0) = try TestStores.make(name: "store")
        let (peer, d1) = try TestStores.make(name: "peer")
        defer { d0.remove(); d1.remove() }
        // A state claiming a write under the store's own ID that the store never made.
        var forged = Record(id: "forged", kind: .note)
        forged.edit(by: store.replicaID, at: 1) { $0.set("title", .string("x")) }
        var fine = Record(id: "fine", kind: .note)
        fine.edit(by: peer.replicaID, at: 1) { $0.set("title", .string("y")) }
        let before = try store.stateHash()
        #expect(throws: GlossError.self) {
            try store.apply([fine, forged], canonical: [nil, nil], from: peer.replicaID, cursor: nil, insertFirst: true)
        }
        #expect(try store.stateHash() == before)
        #expect(try store.historyCount() == 0)
    }

    @Test func anInterruptedFirstSyncResumesAndSearchFindsEverything() async throws {
        let (hub, d0) = try TestStores.make(name: "hub")
        let (client, d1) = try TestStores.make(name: "client")
        defer { d0.remove(); d1.remove() }
        try Self.notes(hub, 0..<20, prefix: "h", word: "withdrawn")
        let dying = DiesAfter(inner: InProcessTransport(store: hub, maxBatchRecords: 4), pages: 2)
        await #expect(throws: GlossError.self) { _ = try await Self.sync(client, dying) }
        #expect(try client.cursors(for: hub.replicaID).pull == 8)
        #expect(try client.search(SearchQuery(text: "withdrawn", limit: 100)).count == 8)
        let resumed = try await Self.sync(client, InProcessTransport(store: hub, maxBatchRecords: 4))
        #expect(resumed.pulled == 12)
        #expect(try client.stateHash() == hub.stateHash())
        #expect(try client.historyCount() == 20)
        #expect(try StoreInvariants.violations(in: client).isEmpty)
        #expect(try client.search(SearchQuery(text: "withdrawn", limit: 100)).count == 20)
    }
}
