import GlossStore

extension RemoteSyncState {
    /// "last synced 2026-11-30 11:00:00 UTC, 3 records to send" (or "never synced, ...", or
    /// "partly synced: 4000 records received, the last at ...; the sync did not finish ...").
    var text: String {
        let synced: String
        if partlySynced, let lastSync {
            synced = "partly synced: \(received) \(received == 1 ? "record" : "records") received, the last at \(ConflictFormatter.time(lastSync)); the sync did not finish (run `gloss sync` to finish it)"
        } else {
            synced = lastSync.map { "last synced \(ConflictFormatter.time($0))" } ?? "never synced"
        }
        return "\(synced), \(toSend) \(toSend == 1 ? "record" : "records") to send"
    }

    /// When it last synced, ISO 8601 (nil when never), for `--json`: for a sync that did not
    /// finish, when its last batch was stored (see `partlySynced`).
    var lastSyncISO: String? { lastSync.map(ConflictFormatter.isoTime) }
}
