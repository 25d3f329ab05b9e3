import Foundation
import GlossCore

/// `GET /v1/changes`: one page of the serving replica's change feed.
public struct ChangesResponse: Decodable, Sendable {
    /// The sync protocol version.
    public var protocolVersion: Int
    /// Record states, in feed order (validated when decoded).
    public var states: [GlossCore.Record]
    /// The cursor to ask from next (`since=` of the following request).
    public var next: Int64
    /// True when the feed holds more after `next`.
    public var hasMore: Bool

    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol", states, next, hasMore }

    /// The response body for a page whose states are already canonical JSON: they are spliced in
    /// as they are, so the server never decodes and re-encodes records on this path.
    public static func body(states: [Data], next: Int64, hasMore: Bool) -> Data {
        var body = Data()
        body.reserveCapacity(states.reduce(64) { $0 + $1.count + 1 })
        body.append(contentsOf: Array("{\"protocol\":\(SyncProtocol.version),\"next\":\(next),\"hasMore\":\(hasMore),\"states\":[".utf8))
        for (index, state) in states.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(state)
        }
        body.append(contentsOf: Array("]}".utf8))
        return body
    }
}
