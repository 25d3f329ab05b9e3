/// Where a sync is, reported after each batch.
public struct SyncProgress: Sendable, Equatable {
    /// The phase of a sync.
    public enum Phase: String, Sendable, Codable {
        /// The handshake (`/v1/info`).
        case handshake
        /// Receiving the peer's changes.
        case pull
        /// Sending this replica's changes.
        case push
    }

    /// The current phase.
    public var phase: Phase
    /// Records moved so far in this phase.
    public var records: Int
    /// Bytes moved so far in this phase (as on the wire).
    public var bytes: Int
}
