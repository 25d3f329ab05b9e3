/// The answer to `POST /v1/changes`: what the receiver did with the states.
public struct PushResponse: Codable, Sendable, Equatable {
    /// The sync protocol version.
    public var protocolVersion: Int
    /// States received.
    public var received: Int
    /// States that changed a record on the receiver.
    public var changed: Int
    /// Records that became conflicted on the receiver.
    public var newConflicts: Int
    /// Records where one write (dot) arrived with two different values: counter reuse somewhere.
    public var dotCollisions: Int

    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol", received, changed, newConflicts, dotCollisions }

    /// A push answer.
    public init(received: Int, changed: Int, newConflicts: Int, dotCollisions: Int) {
        self.protocolVersion = SyncProtocol.version
        self.received = received
        self.changed = changed
        self.newConflicts = newConflicts
        self.dotCollisions = dotCollisions
    }
}
