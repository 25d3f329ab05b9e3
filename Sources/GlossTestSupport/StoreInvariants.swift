import Foundation
import GRDB
import GlossCore
import GlossStore

/// Checks a store file for the damage a crash, a fault or a bug could leave: what the crash,
/// network-fault and load tests assert after every run. Each check returns a list of violations,
/// empty when the store is sound.
public enum StoreInvariants {
    /// Every single-store invariant:
    /// - SQLite's `PRAGMA integrity_check` says ok;
    /// - no write was recorded twice: no two history rows of one record carry the same new dots
    ///   (a repeated batch would add one);
    /// - every record has history, and its latest history row holds its current state at its
    ///   current feed position (feed, history and records agree; an empty state there stands for
    ///   the record's current one);
    /// - each record's history rows form one chain (`prev` links, see HistoryChain): every link
    ///   goes to an earlier row of the same record, and every row is its record's latest or the
    ///   previous row of exactly one other;
    /// - every older history row holds its own state, or the next row holds it as `previous`;
    /// - every push cursor is within this store's own feed.
    public static func violations(in store: ReplicaStore) throws -> [String] {
        try store.read { db in
            var found: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { found.append("integrity_check: \(integrity.prefix(5).joined(separator: "; "))") }
            let duplicates = try Row.fetchAll(db, sql: """
                SELECT record_id, dots, COUNT(*) AS n FROM history WHERE dots != ''
                GROUP BY record_id, dots HAVING n > 1 LIMIT 5
                """)
            for row in duplicates {
                found.append("history of \(row["record_id"] as String) holds write(s) \(row["dots"] as String) \(row["n"] as Int) times")
            }
            let stale = try Row.fetchAll(db, sql: """
                SELECT r.id, r.seq AS rseq, h.seq AS hseq FROM records r LEFT JOIN history h ON h.id = r.last_history
                WHERE h.id IS NULL OR h.record_id != r.id OR h.seq != r.seq OR (length(h.state) > 0 AND r.state != h.state) LIMIT 5
                """)
            for row in stale {
                found.append("record \(row["id"] as String) (seq \(row["rseq"] as Int64)) disagrees with its latest history row (seq \(row["hseq"] as Int64? ?? -1))")
            }
            let broken = try Row.fetchAll(db, sql: """
                SELECT h.record_id, h.seq FROM history h LEFT JOIN history p ON p.id = h.prev
                WHERE h.prev IS NOT NULL AND (p.id IS NULL OR p.record_id != h.record_id OR p.id >= h.id) LIMIT 5
                """)
            for row in broken {
                found.append("history of \(row["record_id"] as String) at seq \(row["seq"] as Int64) links to a row that is not its record's earlier one")
            }
            let unlinked = try Row.fetchAll(db, sql: """
                SELECT h.record_id, h.seq FROM history h
                WHERE h.id NOT IN (SELECT prev FROM history WHERE prev IS NOT NULL)
                  AND h.id NOT IN (SELECT last_history FROM records WHERE last_history IS NOT NULL) LIMIT 5
                """)
            for row in unlinked {
                found.append("history of \(row["record_id"] as String) at seq \(row["seq"] as Int64) is out of its record's chain")
            }
            let forks = try Row.fetchAll(db, sql: "SELECT prev, COUNT(*) AS n FROM history WHERE prev IS NOT NULL GROUP BY prev HAVING n > 1 LIMIT 5")
            for row in forks {
                found.append("history row \(row["prev"] as Int64) is the previous row of \(row["n"] as Int) rows")
            }
            let lost = try Row.fetchAll(db, sql: """
                SELECT h.record_id, h.seq FROM history h JOIN history n ON n.prev = h.id
                WHERE length(h.state) = 0 AND n.previous IS NULL LIMIT 5
                """)
            for row in lost {
                found.append("history of \(row["record_id"] as String) lost the state it applied at seq \(row["seq"] as Int64) (superseded but not kept)")
            }
            let seq = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM records") ?? 0
            let cursors = try Row.fetchAll(db, sql: "SELECT peer_id, pull_cursor, push_cursor FROM sync_peers")
            for row in cursors {
                let push: Int64 = row["push_cursor"], pull: Int64 = row["pull_cursor"]
                if push > seq || push < 0 { found.append("push cursor \(push) for \(row["peer_id"] as String) is beyond this feed (\(seq))") }
                if pull < 0 { found.append("negative pull cursor for \(row["peer_id"] as String)") }
            }
            return found
        }
    }

    /// Opens `file`, checks it, closes it.
    public static func violations(at file: URL) throws -> [String] {
        let store = try ReplicaStore.open(at: file)
        defer { try? store.close() }
        return try violations(in: store)
    }

    /// Cross-store invariants of a client and the server it syncs with:
    /// - the client's pull cursor is within the server's feed;
    /// - every state the server acknowledged (the client's feed up to its push cursor) is held by
    ///   the server: its version of that record covers the client's;
    /// - every state the client pulled (the server's feed up to the pull cursor) is held by the
    ///   client.
    public static func cursorViolations(client: ReplicaStore, server: ReplicaStore) throws -> [String] {
        var found: [String] = []
        let cursors = try client.cursors(for: server.replicaID)
        let feed = try server.currentSeq()
        if cursors.pull > feed { found.append("\(client.name) pulled up to \(cursors.pull) from \(server.name), whose feed ends at \(feed)") }
        found += try missing(from: server, statesOf: client, upTo: cursors.push, what: "acknowledged push")
        found += try missing(from: client, statesOf: server, upTo: cursors.pull, what: "pulled state")
        return found
    }

    /// States of `source` at feed positions up to `position` that `target` does not cover.
    private static func missing(from target: ReplicaStore, statesOf source: ReplicaStore, upTo position: Int64, what: String) throws -> [String] {
        guard position > 0 else { return [] }
        let states: [Data] = try source.read { db in
            try Data.fetchAll(db, sql: "SELECT state FROM records WHERE seq <= ? ORDER BY seq", arguments: [position])
        }
        var found: [String] = []
        for data in states {
            let record = try GlossCore.Record.decode(data)
            let held = try target.record(record.id)
            if held.map({ $0.version.merged(with: record.version) != $0.version }) ?? true {
                found.append("\(what) \(record.id) of \(source.name) is missing from \(target.name)")
                if found.count >= 5 { break }
            }
        }
        return found
    }
}
