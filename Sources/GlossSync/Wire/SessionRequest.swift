import GlossCore

/// `POST /v1/session`: a client introduces itself before exchanging changes, moving the pair's
/// sync epoch from `epoch` to `next`. A 409 `counter-reuse` answer means another store with the
/// client's replica ID synced with this server since: one of them is a copy and must
/// `gloss rekey` before writes collide.
public struct SessionRequest: Codable, Sendable, Equatable {
    /// The sync protocol version.
    public var protocolVersion: Int
    /// The client's replica ID.
    public var from: ReplicaID
    /// The client's display name.
    public var name: String
    /// The epoch the client last agreed with this server (absent at the first sync).
    public var epoch: String?
    /// The new epoch (the same on a retry).
    public var next: String

    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol", from, name, epoch, next }

    /// A session request.
    public init(from: ReplicaID, name: String, epoch: String?, next: String) {
        self.protocolVersion = SyncProtocol.version
        self.from = from
        self.name = name
        self.epoch = epoch
        self.next = next
    }
}
