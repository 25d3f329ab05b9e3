import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// A first sync into an empty store defers `records_by_id` and `records_by_kind` and builds them
/// when the pull ends (`DeferredIndexes`). The store must end as the general path leaves it,
/// including when a record arrives twice, when the pull stops half-way, and when something else
/// writes to the store meanwhile.
@Suite struct DeferredIndexesTests {
    static let clock: @Sendable () -> Int64 = { 1_700_000_000_000 }

    /// The names of the indexes on `records`, and whether indexes are still deferred.
    static func indexes(_ store: ReplicaStore) throws -> (names: [String], deferred: Bool) {
        try store.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name"),
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM meta WHERE key LIKE 'deferred_index:%')")!
            )
        }
    }

    static let allIndexes = ["records_by_id", "records_by_kind", "records_by_seq", "records_conflicted"]

    /// A source with `count` notes, and its feed in pages of `size`, decoded.
    static func source(_ count: Int) throws -> (ReplicaStore, TemporaryDirectory) {
        let (source, dir) = try TestStores.make(name: "source", clock: clock)
        try FirstSyncTests.notes(source, 0..<count, prefix: "n", word: "first")
        return (source, dir)
    }

    static func page(_ store: ReplicaStore, since: Int64 = 0, limit: Int = 1_000) throws -> (states: [GlossCore.Record], canonical: [Data?], next: Int64) {
        let page = try store.changes(since: since, limit: limit)
        return (try page.states.map { try Record.decode($0) }, page.states.map { Optional($0) }, page.next)
    }

    /// Every record's history as its states' texts, by record: what both paths must agree on
    /// (feed positions and row ids may differ when a record arrived twice).
    static func histories(_ store: ReplicaStore, ids: [String]) throws -> [String: [String]] {
        var all: [String: [String]] = [:]
        for id in ids {
            all[id] = try store.history(of: id).map { "\($0.origin) \(String(decoding: $0.state.canonicalData(), as: UTF8.self))" }
        }
        return all
    }

    @Test func aFirstPageIntoAnEmptyStoreDefersTwoIndexesAndTheEndOfThePullBuildsThem() async throws {
        let (source, d0) = try Self.source(250)
        let (client, d1) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove() }
        let first = try Self.page(source, limit: 100)
        try client.apply(first.states, canonical: first.canonical, from: source.replicaID, cursor: nil, insertFirst: true)
        #expect(try Self.indexes(client) == (["records_by_seq", "records_conflicted"], true))
        // Reads by ID and by kind still answer (by scanning) while the indexes are deferred.
        #expect(try client.record("n-42") == source.record("n-42"))
        #expect(try client.records(kind: .note).count == 100)

        // A whole sync (the engine builds the indexes when its pull ends).
        let summary = try await FirstSyncTests.sync(client, InProcessTransport(store: source, maxBatchRecords: 50), batch: 50)
        #expect(summary.pulled == 250)
        #expect(try Self.indexes(client) == (Self.allIndexes, false))
        #expect(try client.stateHash() == source.stateHash())
        #expect(try StoreInvariants.violations(in: client).isEmpty)
    }

    /// A store with a few records of its own defers; one with more than `maxRecords` does not
    /// (building its indexes again would cost more than a small pull saves).
    @Test func aStoreHoldingManyRecordsDefersNothing() throws {
        let (source, d0) = try Self.source(10)
        let (small, d1) = try TestStores.make(name: "small", clock: Self.clock)
        let (large, d2) = try TestStores.make(name: "large", clock: Self.clock)
        defer { d0.remove(); d1.remove(); d2.remove() }
        try FirstSyncTests.notes(small, 0..<3, prefix: "c", word: "local")
        try FirstSyncTests.notes(large, 0..<(DeferredIndexes.maxRecords + 1), prefix: "c", word: "local")
        let page = try Self.page(source)
        for store in [small, large] {
            try store.apply(page.states, canonical: page.canonical, from: source.replicaID, cursor: nil, insertFirst: true)
        }
        #expect(try Self.indexes(small).deferred)
        #expect(try Self.indexes(large) == (Self.allIndexes, false))
    }

    /// A record that changed on the peer during the pull arrives twice, in two pages: stored twice
    /// while the ID index is deferred, merged into one when it is built, as the general path
    /// merges it.
    @Test func aRecordArrivingInTwoPagesIsMergedWhenTheIndexesAreBuilt() throws {
        let (source, d0) = try Self.source(30)
        let (fast, d1) = try TestStores.make(name: "client", clock: Self.clock)
        let (plain, d2) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove(); d2.remove() }
        let first = try Self.page(source, limit: 20)
        _ = try source.write { w in
            for id in ["n-3", "n-17"] { try w.update(id, kind: .note) { $0.set("body", .string("second thoughts on \(id)")) } }
        }
        let second = try Self.page(source, since: first.next)
        #expect(second.states.map(\.id).contains("n-3"))

        for page in [first, second] {
            try fast.apply(page.states, canonical: page.canonical, from: source.replicaID, cursor: nil, insertFirst: true)
            try plain.apply(page.states, from: source.replicaID)
        }
        #expect(try fast.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE id = 'n-3'") } == 2)
        try fast.buildDeferredIndexes()

        #expect(try Self.indexes(fast) == (Self.allIndexes, false))
        #expect(try fast.stateHash() == plain.stateHash())
        #expect(try fast.stateHash() == source.stateHash())
        #expect(try fast.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records") } == 30)
        #expect(try fast.historyCount() == plain.historyCount())
        let ids = (0..<30).map { "n-\($0)" }
        #expect(try Self.histories(fast, ids: ids) == Self.histories(plain, ids: ids))
        #expect(try StoreInvariants.violations(in: fast).isEmpty)
        #expect(try fast.search(SearchQuery(text: "thoughts")).map(\.id).sorted() == ["n-17", "n-3"])
        // The store takes local writes and syncs on as any other.
        _ = try fast.write { w in try w.update("n-3", kind: .note) { $0.set("title", .string("edited after")) } }
        #expect(try fast.record("n-3")?.string("title") == "edited after")
    }

    /// A pull that stopped half-way (a killed `gloss sync`) leaves the indexes deferred; the next
    /// open builds them.
    @Test func openingAStoreWhosePullStoppedBuildsTheIndexes() throws {
        let (source, d0) = try Self.source(40)
        let (client, d1) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove() }
        let page = try Self.page(source, limit: 25)
        try client.apply(
            page.states, canonical: page.canonical, from: source.replicaID, cursor: PullCursor(peer: source.replicaID, position: page.next),
            insertFirst: true)
        #expect(try Self.indexes(client).deferred)
        try client.close()
        // Reading commands open a store for reading only; this one needs `open`.
        #expect(try ReplicaStore.openForReading(at: client.fileURL) == nil)

        let reopened = try ReplicaStore.open(at: client.fileURL, clock: Self.clock)
        defer { try? reopened.close() }
        #expect(try Self.indexes(reopened) == (Self.allIndexes, false))
        #expect(try reopened.cursors(for: source.replicaID).pull == page.next)
        #expect(try ReplicaStore.openForReading(at: client.fileURL) != nil)
        #expect(try StoreInvariants.violations(in: reopened).isEmpty)
    }

    /// A command run while a first sync is loading the store (in another process: here another
    /// store object, which holds its own lock) leaves the indexes deferred: building them would
    /// slow the rest of the pull down. It reads by scanning meanwhile.
    @Test func openingAStoreWhilePullingLeavesTheIndexesToThePull() throws {
        let (source, d0) = try Self.source(40)
        let (client, d1) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove() }
        let page = try Self.page(source, limit: 25)
        try client.apply(page.states, canonical: page.canonical, from: source.replicaID, cursor: nil, insertFirst: true)

        let status = try ReplicaStore.open(at: client.fileURL, clock: Self.clock)
        #expect(try Self.indexes(status).deferred)
        try status.close()
        let reader = try #require(try ReplicaStore.openForReading(at: client.fileURL))
        #expect(try reader.record("n-7") == source.record("n-7"))
        try reader.close()

        try client.buildDeferredIndexes()
        #expect(try Self.indexes(client) == (Self.allIndexes, false))
    }

    /// Any other write (a local one, a push from a peer, a page that is not mostly new) builds the
    /// indexes first: it reads records by ID.
    @Test func otherWritesBuildTheIndexesFirst() throws {
        let (source, d0) = try Self.source(30)
        defer { d0.remove() }
        let page = try Self.page(source, limit: 10)
        let rest = try Self.page(source, since: page.next)
        let writes: [(String, (ReplicaStore) throws -> Void)] = [
            ("local write", { store in _ = try store.write { w in try w.update("n-4", kind: .note) { $0.set("title", .string("mine")) } } }),
            ("general apply", { store in try store.apply(rest.states, from: source.replicaID) }),
            ("page not mostly new", { store in
                try store.apply(rest.states, canonical: rest.canonical, from: source.replicaID, cursor: nil, insertFirst: false)
            }),
        ]
        for (name, write) in writes {
            let (client, dir) = try TestStores.make(name: "client", clock: Self.clock)
            defer { dir.remove() }
            try client.apply(page.states, canonical: page.canonical, from: source.replicaID, cursor: nil, insertFirst: true)
            #expect(try Self.indexes(client).deferred, "\(name)")
            try write(client)
            #expect(try Self.indexes(client) == (Self.allIndexes, false), "\(name)")
            #expect(try StoreInvariants.violations(in: client).isEmpty, "\(name)")
        }
    }

    /// A record that arrives again as another kind (only a faulty peer sends that): the general
    /// path refuses it, and building the indexes drops it, keeping the record as first received.
    @Test func aRecordArrivingAgainAsAnotherKindIsDroppedWhenTheIndexesAreBuilt() throws {
        let (source, d0) = try Self.source(5)
        let (client, d1) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove() }
        let page = try Self.page(source)
        try client.apply(page.states, canonical: page.canonical, from: source.replicaID, cursor: nil, insertFirst: true)
        var other = GlossCore.Record(id: "n-2", kind: .document)
        other.edit(by: source.replicaID, at: 1) { $0.set("title", .string("not a note")) }
        try client.apply([other], canonical: [nil], from: source.replicaID, cursor: nil, insertFirst: true)
        try client.buildDeferredIndexes()
        #expect(try Self.indexes(client) == (Self.allIndexes, false))
        #expect(try client.record("n-2") == source.record("n-2"))
        #expect(try StoreInvariants.violations(in: client).isEmpty)
    }

    /// A pull that fails after its first page still leaves the indexes built.
    @Test func aPullThatFailsBuildsTheIndexesBeforeItReports() async throws {
        let (source, d0) = try Self.source(30)
        let (client, d1) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove() }
        let transport = FailingAfterFirstPage(inner: InProcessTransport(store: source, maxBatchRecords: 10))
        await #expect(throws: (any Error).self) { try await FirstSyncTests.sync(client, transport, batch: 10) }
        #expect(try client.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records") } == 10)
        #expect(try Self.indexes(client) == (Self.allIndexes, false))
    }
}

/// Serves the first page of changes, then fails every later request for changes.
final class FailingAfterFirstPage: SyncTransport, @unchecked Sendable {  // `pages` behind `lock`
    let inner: any SyncTransport
    private let lock = NSLock()
    private var pages = 0
    init(inner: any SyncTransport) { self.inner = inner }
    var peerDescription: String { inner.peerDescription }
    func info() async throws -> InfoResponse { try await inner.info() }
    func session(_ request: SessionRequest) async throws { try await inner.session(request) }
    func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        let served = lock.withLock { pages += 1; return pages - 1 }
        guard served == 0 else { throw GlossError(.transport, "connection lost") }
        return try await inner.changes(since: since, limit: limit, peer: peer)
    }
    func push(_ body: Data) async throws -> PushResponse { try await inner.push(body) }
}
