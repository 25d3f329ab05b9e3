import GlossStore

extension RemoteSyncState {
    /// "last synced 2026-11-30 11:00:00 UTC, 3 records to send" (or "never synced, ...").
    var text: String {
        let synced = lastSync.map { "last synced \(ConflictFormatter.time($0))" } ?? "never synced"
        return "\(synced), \(toSend) \(toSend == 1 ? "record" : "records") to send"
    }

    /// When it last synced, ISO 8601 (nil when never), for `--json`.
    var lastSyncISO: String? { lastSync.map(ConflictFormatter.isoTime) }
}
