import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// The log of one record (or of every record when `recordID` is nil), oldest first, built by
    /// comparing consecutive history states; `limit` keeps the newest entries.
    public func log(of recordID: String? = nil, limit: Int? = nil) throws -> [LogEntry] {
        let resolutions = try self.resolutions(of: recordID)
        let bySeq = Dictionary(grouping: resolutions, by: \.seq)
        return try read { db in
            let rows = try recordID.map { try HistoryChain.rows(of: $0, db) } ?? HistoryChain.allRows(db)
            let entries = try rows.map(HistoryEntry.init(row:))
            var previous: [String: Record] = [:]
            var labels: [String: String] = [:]
            var log: [LogEntry] = []
            for entry in entries {
                let state = entry.state
                if let label = Conflict.label(of: state) { labels[state.id] = label }
                let times = Dictionary(
                    state.fields.values.flatMap { $0.siblings.map { ($0.dot, $0.time) } }, uniquingKeysWith: { a, _ in a })
                log.append(LogEntry(
                    recordID: state.id, kind: state.kind, label: labels[state.id], seq: entry.seq,
                    appliedAt: entry.appliedAt, origin: entry.origin,
                    writes: entry.newDots.map { ($0, times[$0]) },
                    change: RecordChange(from: previous[state.id], to: state),
                    resolutions: bySeq[entry.seq] ?? []))
                previous[state.id] = state
            }
            if let limit, log.count > limit { return Array(log.suffix(limit)) }
            return log
        }
    }
}
