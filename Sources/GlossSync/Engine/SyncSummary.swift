import GlossCore

/// What one sync with one peer did.
public struct SyncSummary: Sendable, Codable, Equatable {
    /// The peer's replica ID.
    public var peer: ReplicaID
    /// The peer's display name.
    public var peerName: String
    /// Record states received from the peer.
    public var pulled: Int
    /// Record states sent to the peer.
    public var pushed: Int
    /// Records that became conflicted here through this sync.
    public var newConflicts: Int
    /// Records that became conflicted on the peer through this sync.
    public var newConflictsOnPeer: Int
    /// Records where one write arrived with two values (counter reuse detected).
    public var dotCollisions: Int
    /// Bytes received (as on the wire).
    public var bytesPulled: Int
    /// Bytes sent (as on the wire, compressed).
    public var bytesPushed: Int
    /// Requests made (retries included).
    public var requests: Int

    /// An empty summary for `peer`.
    public init(peer: ReplicaID, peerName: String) {
        self.peer = peer
        self.peerName = peerName
        pulled = 0
        pushed = 0
        newConflicts = 0
        newConflictsOnPeer = 0
        dotCollisions = 0
        bytesPulled = 0
        bytesPushed = 0
        requests = 0
    }
}
