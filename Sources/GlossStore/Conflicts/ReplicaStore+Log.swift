import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// The log of one record (or of every record when `recordID` is nil), oldest first, built by
    /// comparing consecutive history states; `limit` keeps the newest entries.
    ///
    /// The whole store's log with a limit reads the newest `limit` history rows and the history
    /// of their records only (each entry needs its record's earlier states), not the whole
    /// history: `gloss log` shows 50 entries by default, and a hub's history holds millions.
    public func log(of recordID: String? = nil, limit: Int? = nil) throws -> [LogEntry] {
        let resolutions = try self.resolutions(of: recordID)
        let bySeq = Dictionary(grouping: resolutions, by: \.seq)
        return try read { db in
            let rows: [HistoryChain.Row]
            var shown: Set<Int64>? = nil
            if let recordID {
                rows = try HistoryChain.rows(of: recordID, db)
            } else if let limit {
                let newest = try GRDB.Row.fetchAll(
                    db, sql: "SELECT id, record_id FROM history ORDER BY id DESC LIMIT ?", arguments: [limit])
                shown = Set(newest.map { $0["id"] as Int64 })
                var records: [String] = [], seen: Set<String> = []
                for row in newest where seen.insert(row["record_id"]).inserted { records.append(row["record_id"]) }
                rows = try records.flatMap { try HistoryChain.rows(of: $0, db) }.sorted { $0.id < $1.id }
            } else {
                rows = try HistoryChain.allRows(db)
            }
            var previous: [String: Record] = [:]
            var labels: [String: String] = [:]
            var log: [LogEntry] = []
            for row in rows {
                let entry = try HistoryEntry(row: row)
                let state = entry.state
                if let label = Conflict.label(of: state) { labels[state.id] = label }
                if shown?.contains(row.id) ?? true {
                let times = Dictionary(
                    state.fields.values.flatMap { $0.siblings.map { ($0.dot, $0.time) } }, uniquingKeysWith: { a, _ in a })
                log.append(LogEntry(
                    recordID: state.id, kind: state.kind, label: labels[state.id], seq: entry.seq,
                    appliedAt: entry.appliedAt, origin: entry.origin,
                    writes: entry.newDots.map { ($0, times[$0]) },
                    change: RecordChange(from: previous[state.id], to: state),
                    resolutions: bySeq[entry.seq] ?? []))
                }
                previous[state.id] = state
            }
            if let limit, log.count > limit { return Array(log.suffix(limit)) }
            return log
        }
    }
}
