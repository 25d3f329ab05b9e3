import Foundation
import GlossCore
import GlossStore

/// `POST /v1/changes`: record states pushed by a peer (also the payload of a bundle file).
public struct PushRequest: Sendable {
    /// The sync protocol version.
    public var protocolVersion: Int
    /// The pushing replica (its states are not sent back to it: no echo).
    public var from: ReplicaID
    /// The pushing replica's display name.
    public var name: String
    /// Record states (validated when decoded).
    public var states: [GlossCore.Record]
    /// Optional: the sender's feed range these states cover, `since` (exclusive) to `next`
    /// (inclusive). The receiver may then count that range as pulled from the sender, so its own
    /// later pull from the sender does not fetch the same states back.
    public var since: Int64?
    /// See `since`.
    public var next: Int64?
    /// Optional: how far the sender has pulled the receiver's feed (its stored pull cursor), so
    /// the receiver does not push those states back when it syncs the other way.
    public var pulled: Int64?


    /// Decodes a push body with the wire reader, validating every state. Throws
    /// `ProtocolVersionMismatch` when the body declares another protocol (checked before the
    /// states, so a future format is refused for what it is), else `GlossError(.invalidInput)`.
    public static func decode(_ body: Data) throws -> PushRequest {
        let version = try WireEnvelope.protocolVersion(of: body)
        guard version == SyncProtocol.version else { throw ProtocolVersionMismatch(received: version) }
        return try JSONReader.read(body) { reader in
            var from: ReplicaID?, name: String?, states: [GlossCore.Record]?
            var since: Int64?, next: Int64?, pulled: Int64?
            try reader.object { reader, key in
                switch key {
                case "from":
                    let text = try reader.string()
                    guard let id = ReplicaID(text) else { throw reader.fail("from must be a replica ID (32 lowercase hex digits)") }
                    from = id
                case "name": name = try reader.string()
                case "states":
                    var list: [GlossCore.Record] = []
                    try reader.array { reader in list.append(try reader.record()) }
                    states = list
                case "since": since = reader.takeNull() ? nil : try reader.int64()
                case "next": next = reader.takeNull() ? nil : try reader.int64()
                case "pulled": pulled = reader.takeNull() ? nil : try reader.int64()
                default: try reader.skipValue()
                }
            }
            guard let from else { throw reader.missing("from") }
            guard let name else { throw reader.missing("name") }
            guard let states else { throw reader.missing("states") }
            return PushRequest(
                protocolVersion: version, from: from, name: name, states: states, since: since, next: next, pulled: pulled)
        }
    }

    /// The pull cursor the receiver may store with these states: the sender's `next`, when the
    /// receiver has already pulled up to `since` (else a gap would be skipped) and not past
    /// `next` (a cursor never moves back).
    public func pullCursor(givenPulled pulled: Int64) -> PullCursor? {
        guard let since, let next, since >= 0, next > pulled, pulled >= since else { return nil }
        return PullCursor(peer: from, position: next)
    }

    /// A request body from canonical record states, spliced without re-encoding them.
    public static func body(from: ReplicaID, name: String, states: [Data], since: Int64? = nil, next: Int64? = nil, pulled: Int64? = nil
    ) -> Data {
        var body = Data()
        body.reserveCapacity(states.reduce(128 + name.utf8.count) { $0 + $1.count + 1 })
        let nameJSON = (try? JSONEncoder().encode(name)) ?? Data("\"\"".utf8)
        body.append(contentsOf: Array("{\"protocol\":\(SyncProtocol.version),\"from\":\"\(from.rawValue)\",\"name\":".utf8))
        body.append(nameJSON)
        if let pulled { body.append(contentsOf: Array(",\"pulled\":\(pulled)".utf8)) }
        if let since, let next { body.append(contentsOf: Array(",\"since\":\(since),\"next\":\(next)".utf8)) }
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
