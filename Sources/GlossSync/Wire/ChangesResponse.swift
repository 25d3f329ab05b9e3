import Foundation
import GlossCore

/// `GET /v1/changes`: one page of the serving replica's change feed,
/// `{"protocol":1,"next":N,"hasMore":B,"states":[...]}` (decoded by `ChangesPage.decode`).
public enum ChangesResponse {

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
