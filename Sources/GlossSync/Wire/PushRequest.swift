import Foundation
import GlossCore

/// `POST /v1/changes`: record states pushed by a peer (also the payload of a bundle file).
public struct PushRequest: Decodable, Sendable {
    /// The sync protocol version.
    public var protocolVersion: Int
    /// The pushing replica (its states are not sent back to it: no echo).
    public var from: ReplicaID
    /// The pushing replica's display name.
    public var name: String
    /// Record states (validated when decoded).
    public var states: [GlossCore.Record]

    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol", from, name, states }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        protocolVersion = try c.decode(Int.self, forKey: .protocolVersion)
        // Checked before the states, so a future format is refused for what it is.
        guard protocolVersion == SyncProtocol.version else {
            throw ProtocolVersionMismatch(received: protocolVersion)
        }
        from = try c.decode(ReplicaID.self, forKey: .from)
        name = try c.decode(String.self, forKey: .name)
        states = try c.decode([GlossCore.Record].self, forKey: .states)
    }

    /// A request body from canonical record states, spliced without re-encoding them.
    public static func body(from: ReplicaID, name: String, states: [Data]) -> Data {
        var body = Data()
        body.reserveCapacity(states.reduce(128 + name.utf8.count) { $0 + $1.count + 1 })
        let nameJSON = (try? JSONEncoder().encode(name)) ?? Data("\"\"".utf8)
        body.append(contentsOf: Array("{\"protocol\":\(SyncProtocol.version),\"from\":\"\(from.rawValue)\",\"name\":".utf8))
        body.append(nameJSON)
        body.append(contentsOf: Array(",\"states\":[".utf8))
        for (index, state) in states.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(state)
        }
        body.append(contentsOf: Array("]}".utf8))
        return body
    }
}

/// A body carried a protocol version this build does not speak.
public struct ProtocolVersionMismatch: Error, Sendable {
    /// The version the body declared.
    public let received: Int
}
