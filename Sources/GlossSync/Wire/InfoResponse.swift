import GlossCore

/// `GET /v1/info`: who a replica is and which protocol and schema it speaks (the handshake).
public struct InfoResponse: Codable, Sendable, Equatable {
    /// The sync protocol version (`SyncProtocol.version`).
    public var protocolVersion: Int
    /// The record-state format version (`SyncProtocol.schemaVersion`).
    public var schema: Int
    /// The serving replica's ID.
    public var replicaID: ReplicaID
    /// The serving replica's display name.
    public var name: String

    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol", schema, replicaID, name }

    /// An info body.
    public init(protocolVersion: Int = SyncProtocol.version, schema: Int = SyncProtocol.schemaVersion, replicaID: ReplicaID, name: String) {
        self.protocolVersion = protocolVersion
        self.schema = schema
        self.replicaID = replicaID
        self.name = name
    }
}
