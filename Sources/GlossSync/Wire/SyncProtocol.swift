import GlossCore

/// Constants of the sync protocol (see docs/PROTOCOL.md).
public enum SyncProtocol {
    /// The protocol version this build speaks; every body carries it and the path prefix names it.
    public static let version = 1
    /// The path prefix of every route.
    public static let basePath = "/v1"
    /// The record-state format version; peers must agree on it exactly.
    public static var schemaVersion: Int { Record.stateFormatVersion }
    /// The largest batch a server returns, in records, whatever the client asks for.
    public static let maxBatchRecords = 5_000
    /// About how many bytes of record states one batch holds (at least one record).
    public static let maxBatchBytes = 4 * 1024 * 1024
    /// The default request body limit of a server (after decompression), in bytes.
    public static let defaultMaxBodyBytes = 16 * 1024 * 1024
    /// The largest page of changes a client accepts, decompressed: a server stops a page once it
    /// holds `maxBatchBytes` of states, so a page is under that plus its last state (no larger
    /// than a push body a server accepts, `defaultMaxBodyBytes`), plus the JSON around them.
    /// A body beyond it comes from a faulty or hostile peer (a small gzip body can expand to
    /// gigabytes) and is refused.
    public static let maxPageBytes = maxBatchBytes + defaultMaxBodyBytes + 1024 * 1024
    /// The largest answer to a handshake, session or push a client accepts, decompressed.
    public static let maxSmallAnswerBytes = 1024 * 1024
}
