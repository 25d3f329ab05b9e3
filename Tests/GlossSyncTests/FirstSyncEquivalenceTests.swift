import Foundation
import GRDB
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// A first sync into an empty store takes the fast path (`ReplicaStore.apply(_:canonical:...:
/// insertFirst:)`: new records inserted without a lookup, received canonical bytes stored as
/// they are). What it leaves must be exactly what the ordinary merge path leaves, row for row:
/// records, history, search index entries and cursor, and the schema (every table and index).
/// A change to the fast path (deferring an index, writing history in bulk, indexing for search
/// while loading) must keep this test green.
@Suite struct FirstSyncEquivalenceTests {
    /// One clock for every store: rows stamped with times compare equal.
    static let clock: @Sendable () -> Int64 = { 1_700_000_000_000 }

    /// A hub with `notes` notes (some edited twice, one deleted) and one more conflicted between
    /// two writers.
    static func hub(notes: Int = 30) throws -> (ReplicaStore, TemporaryDirectory) {
        let (hub, dir) = try TestStores.make(name: "hub", clock: clock)
        let (other, otherDir) = try TestStores.make(name: "other", clock: clock)
        defer { otherDir.remove() }
        _ = try hub.write { w in
            for i in 0..<notes {
                try w.update("h-\(i)", kind: .note) { e in
                    e.set("title", .string("hub note \(i)"))
                    e.set("body", .string("withdrawn estimate \(i), Lavrov 2017"))
                    e.add(i % 2 == 0 ? "syria" : "russia", to: "tags")
                }
            }
        }
        _ = try hub.write { w in
            for i in 0..<5 { try w.update("h-\(i)", kind: .note) { $0.set("title", .string("revised \(i)")) } }
            try w.update("h-7", kind: .note) { $0.delete() }
        }
        _ = try other.write { w in
            try w.update("o-1", kind: .note) { $0.set("title", .string("other's note")) }
        }
        try hub.apply([try #require(try other.record("o-1"))], from: other.replicaID)
        _ = try other.write { w in try w.update("o-1", kind: .note) { $0.set("title", .string("other's title")) } }
        _ = try hub.write { w in try w.update("o-1", kind: .note) { $0.set("title", .string("hub's title")) } }
        try hub.apply([try #require(try other.record("o-1"))], from: other.replicaID)
        return (hub, dir)
    }

    /// Everything a sync writes, as text: record rows, history rows (states in hex: a row's
    /// description gives a blob's length only), the search index, its settings and its cursor,
    /// and the schema (every table and index).
    static func contents(_ store: ReplicaStore) throws -> [String] {
        try store.updateSearchIndex()
        return try store.read { db in
            func rows(_ sql: String) throws -> [String] { try Row.fetchAll(db, sql: sql).map { "\($0)" } }
            return try rows("SELECT rowid, id, kind, parent, hex(state), seq, source_peer, deleted, conflicted, updated_at, last_history FROM records ORDER BY rowid")
                + rows("SELECT id, record_id, seq, applied_at, origin, authors, dots, hex(state), hex(previous), prev FROM history ORDER BY id")
                + rows("SELECT rowid, title, body, tags FROM search ORDER BY rowid")
                + rows("SELECT k, v FROM search_config ORDER BY k")
                + rows("SELECT key, value FROM meta WHERE key NOT IN ('replica_id', 'replica_name', 'created_at') ORDER BY key")
                + rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        }
    }

    /// Pages of 4 states go one row at a time; pages of 250 also in groups of
    /// `NewRecordRows.groupSize` (100) rows per statement.
    @Test(arguments: [(notes: 30, batch: 4), (notes: 260, batch: 250)])
    func aFirstSyncLeavesWhatTheOrdinaryMergePathLeaves(notes: Int, batch: Int) async throws {
        let (hub, d0) = try Self.hub(notes: notes)
        let (fast, d1) = try TestStores.make(name: "client", clock: Self.clock)
        let (plain, d2) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove(); d2.remove() }

        let summary = try await SyncEngine(
            store: fast, transport: InProcessTransport(store: hub, maxBatchRecords: batch),
            options: SyncOptions(batchRecords: batch, retry: .immediate(attempts: 1))
        ).run()
        #expect(summary.pulled == notes + 1)

        // The same pages, merged one by one by the general path.
        var since: Int64 = 0
        while true {
            let page = try hub.changes(since: since, limit: batch)
            let states = try page.states.map { try Record.decode($0) }
            try plain.apply(states, from: hub.replicaID, cursor: PullCursor(peer: hub.replicaID, position: page.next))
            guard page.hasMore else { break }
            since = page.next
        }
        try plain.rememberReplica(hub.replicaID, name: "hub")
        // The sync also settled an epoch and a push cursor with the hub: compare the rest.
        try Self.expectSameContents(fast, plain)
        #expect(try fast.stateHash() == hub.stateHash())
        #expect(try StoreInvariants.violations(in: fast).isEmpty)
        #expect(try fast.search(SearchQuery(text: "withdrawn", limit: 1000)).count == notes - 1)
        #expect(try fast.search(SearchQuery(text: "revised 3")).map(\.id) == ["h-3"])
    }

    /// A group of new records whose statement fails (an ID already stored, or the same record
    /// twice in the group) is stored one state at a time, at the same feed positions: the store
    /// ends exactly as after the general path.
    @Test func groupsWithATakenIDLeaveWhatTheGeneralPathLeaves() throws {
        let (hub, d0) = try Self.hub(notes: 320)
        let (fast, d1) = try TestStores.make(name: "client", clock: Self.clock)
        let (plain, d2) = try TestStores.make(name: "client", clock: Self.clock)
        defer { d0.remove(); d1.remove(); d2.remove() }
        let page = try hub.changes(since: 0, limit: 1_000)
        var canonical = page.states
        var states = try canonical.map { try Record.decode($0) }
        #expect(states.count == 321 && !page.hasMore)
        // Groups of 100: the first goes in one statement. Both clients already hold the state at
        // 130 (from a bundle, say): the second group fails. The state at 250 arrives again at 251:
        // the third fails. The last 22 states go one at a time.
        for client in [fast, plain] { try client.apply([states[130]], from: hub.replicaID) }
        states.insert(states[250], at: 251)
        canonical.insert(canonical[250], at: 251)
        let cursor = PullCursor(peer: hub.replicaID, position: page.next)

        let outcome = try fast.apply(states, canonical: canonical, from: hub.replicaID, cursor: cursor, insertFirst: true)
        try plain.apply(states, from: hub.replicaID, cursor: cursor)
        #expect(outcome.created == 320 && outcome.unchanged == 2)
        try Self.expectSameContents(fast, plain)
        #expect(try fast.stateHash() == hub.stateHash())
        #expect(try fast.historyCount() == 321)
        #expect(try StoreInvariants.violations(in: fast).isEmpty)
    }

    /// Fails at the first row where the two stores' contents differ.
    static func expectSameContents(_ fast: ReplicaStore, _ plain: ReplicaStore) throws {
        let fastContents = try contents(fast), plainContents = try contents(plain)
        #expect(fastContents.count == plainContents.count)
        if let (fastRow, plainRow) = zip(fastContents, plainContents).first(where: { $0 != $1 }) {
            Issue.record("the fast path differs from the general one, first at:\n  fast:  \(fastRow)\n  plain: \(plainRow)")
        }
        #expect(fastContents.contains { $0.contains("records_by_seq") })
    }
}
