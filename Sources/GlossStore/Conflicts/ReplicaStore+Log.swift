import Foundation
import GRDB
import GlossCore

/// One entry of a record's log: a state this replica applied and what it changed.
public struct LogEntry: Sendable {
    /// The record.
    public let recordID: String
    /// The record's kind.
    public let kind: RecordKind
    /// The record's title or quote in this state (or the last one that had it).
    public let label: String?
    /// Feed position of this state.
    public let seq: Int64
    /// When this replica applied it (ms since 1970).
    public let appliedAt: Int64
    /// `local`, `bundle`, or the peer it came from.
    public let origin: String
    /// The writes this state brought, with the time each was made (from the values they wrote;
    /// nil when the write left no value, e.g. a removal).
    public let writes: [(dot: Dot, time: Int64?)]
    /// What changed compared with the state before.
    public let change: RecordChange
    /// The resolutions recorded with this state (local resolutions only).
    public let resolutions: [Resolution]
}

extension ReplicaStore {
    /// The log of one record (or of every record when `recordID` is nil), oldest first, built by
    /// comparing consecutive history states; `limit` keeps the newest entries.
    public func log(of recordID: String? = nil, limit: Int? = nil) throws -> [LogEntry] {
        let resolutions = try self.resolutions(of: recordID)
        let bySeq = Dictionary(grouping: resolutions, by: \.seq)
        return try read { db in
            let sql = "SELECT id, record_id, seq, applied_at, origin, dots, state FROM history"
                + (recordID == nil ? "" : " WHERE record_id = ?") + " ORDER BY id"
            let entries = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(recordID.map { [$0] } ?? []))
                .map(HistoryEntry.init(row:))
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
