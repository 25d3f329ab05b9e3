import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// The checker the crash, fault and load tests rely on does catch the damage it looks for.
@Suite struct StoreInvariantsTests {
    @Test func soundStoreHasNoViolations() async throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        _ = try a.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("x")) } }
        try await SyncTesting.syncUntilQuiet(a, b)
        #expect(try StoreInvariants.violations(in: a).isEmpty)
        #expect(try StoreInvariants.cursorViolations(client: a, server: b).isEmpty)
    }

    @Test func duplicatedHistoryAndStaleRecordsAreReported() throws {
        let (store, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("x")) } }
        try store.close()
        let file = dir.path("gloss.sqlite")
        try RawSQLite.execute(file, """
            INSERT INTO history(record_id, seq, applied_at, origin, authors, dots, state)
              SELECT record_id, seq, applied_at, origin, authors, dots, state FROM history;
            UPDATE records SET seq = 7;
            INSERT INTO sync_peers(peer_id, push_cursor) VALUES ('\(ReplicaID.random().rawValue)', 99);
            """)
        let problems = try StoreInvariants.violations(at: file)
        #expect(problems.contains { $0.contains("holds write(s)") && $0.contains("2 times") }, "\(problems)")
        #expect(problems.contains { $0.contains("disagrees with its latest history row") }, "\(problems)")
        #expect(problems.contains { $0.contains("push cursor 99") }, "\(problems)")
    }

    @Test func supersededStateMissingFromHistoryIsReported() throws {
        let (store, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("x")) } }
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("y")) } }
        #expect(try StoreInvariants.violations(in: store).isEmpty)
        try store.close()
        let file = dir.path("gloss.sqlite")
        // The first state was superseded: history must still hold it. Erase it.
        try RawSQLite.execute(file, "UPDATE history SET state = X'', previous = NULL WHERE seq = 2")
        let problems = try StoreInvariants.violations(at: file)
        #expect(problems == ["history of n1 lost the state it applied at seq 1 (superseded but not kept)"], "\(problems)")
    }

    /// A record's history rows are read by following their links (HistoryChain): a row cut out
    /// of the chain, or a link to another record's row, would hide or mix up history.
    @Test func brokenHistoryChainIsReported() throws {
        let (store, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        for title in ["x", "y", "z"] {
            _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("title", .string(title)) } }
        }
        _ = try store.write { w in try w.update("n2", kind: .note) { $0.set("title", .string("other")) } }
        #expect(try StoreInvariants.violations(in: store).isEmpty)
        try store.close()
        let file = dir.path("gloss.sqlite")
        let copy = dir.path("copy.sqlite")
        try FileManager.default.copyItem(at: file, to: copy)

        // The row of seq 3 skips the row of seq 2, which no row links to any more.
        try RawSQLite.execute(file, "UPDATE history SET prev = (SELECT id FROM history WHERE seq = 1) WHERE seq = 3")
        let skipped = try StoreInvariants.violations(at: file)
        #expect(skipped.contains("history of n1 at seq 2 is out of its record's chain"), "\(skipped)")
        #expect(skipped.contains { $0.contains("is the previous row of 2 rows") }, "\(skipped)")

        // n1's first row links to n2's row.
        try RawSQLite.execute(copy, "UPDATE history SET prev = (SELECT id FROM history WHERE seq = 4) WHERE seq = 1")
        let crossed = try StoreInvariants.violations(at: copy)
        #expect(crossed.contains("history of n1 at seq 1 links to a row that is not its record's earlier one"), "\(crossed)")
    }

    @Test func missingAcknowledgedPushIsReported() throws {
        let (client, dirA) = try TestStores.make(name: "client")
        let (server, dirB) = try TestStores.make(name: "server")
        defer { dirA.remove(); dirB.remove() }
        _ = try client.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("x")) } }
        // The client believes the server acknowledged its feed, but the server never got n1.
        try client.setPushCursor(1, for: server.replicaID)
        let problems = try StoreInvariants.cursorViolations(client: client, server: server)
        #expect(problems == ["acknowledged push n1 of client is missing from server"])
    }
}
