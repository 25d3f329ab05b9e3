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
