import Foundation
import GlossCore

/// A page of a peer's feed as it arrived: decompressed, its protocol version checked and its
/// cursor read from the members a server writes first, its states decoded later (`decode`).
///
/// A pull asks for the next page as soon as one arrives (it needs only the cursor) and decodes
/// the states meanwhile: on a first sync the requests no longer wait for decoding, which took
/// a third of each page's turn.
public struct ArrivedPage: Sendable {
    /// The cursor to ask from next.
    public let next: Int64
    /// True when the peer's feed holds more.
    public let hasMore: Bool
    private let states: @Sendable () throws -> ChangesPage

    /// A page already decoded.
    public init(decoded page: ChangesPage) {
        next = page.next
        hasMore = page.hasMore
        states = { page }
    }

    private init(next: Int64, hasMore: Bool, states: @escaping @Sendable () throws -> ChangesPage) {
        self.next = next
        self.hasMore = hasMore
        self.states = states
    }

    /// The page with its states decoded and validated. Throws what `ChangesPage.decode` throws
    /// for a malformed page, and refuses a page whose later members contradict its cursor.
    public func decode() throws -> ChangesPage { try states() }

    /// Reads a `GET /v1/changes` body (gzip or plain) as far as its cursor; a body whose first
    /// members are not `protocol`, `next` and `hasMore` in a server's order is decoded whole now.
    /// A body larger than `limit` bytes (decompressed) is refused (see `ChangesPage.decode`).
    /// `wireBytes`: the bytes transferred, when not the body's.
    public static func read(
        _ body: Data, wireBytes: Int? = nil, from peer: String, limit: Int = SyncProtocol.maxPageBytes
    ) throws -> ArrivedPage {
        try ChangesPage.readingPage(from: peer) {
            if body.count > limit { throw GzipError.tooLarge(limit: limit) }
            let json = Gzip.isCompressed(body) ? try Gzip.decompress(body, limit: limit) : body
            // A server writes `protocol` first: read it from there, sparing a pass over the
            // whole body (a later `protocol` member must agree).
            let version = try WireEnvelope.leadingProtocolVersion(of: json) ?? WireEnvelope.protocolVersion(of: json)
            guard version == SyncProtocol.version else { throw ChangesPage.versionMismatch(Int64(version), from: peer) }
            let wireBytes = wireBytes ?? body.count
            guard let (next, hasMore) = leadingCursor(of: json) else {
                return ArrivedPage(decoded: try ChangesPage.decodeJSON(json, wireBytes: wireBytes, from: peer))
            }
            return ArrivedPage(next: next, hasMore: hasMore) {
                try ChangesPage.readingPage(from: peer) {
                    let page = try ChangesPage.decodeJSON(json, wireBytes: wireBytes, from: peer)
                    guard page.next == next && page.hasMore == hasMore else {
                        throw GlossError(.invalidInput, "its next or hasMore member appears twice with different values")
                    }
                    return page
                }
            }
        }
    }

    /// `next` and `hasMore` when the body starts as a server writes it,
    /// `{"protocol":N,"next":N,"hasMore":true|false,`; else nil.
    static func leadingCursor(of json: Data) -> (next: Int64, hasMore: Bool)? {
        json.withUnsafeBytes { raw -> (Int64, Bool)? in
            var index = 0
            func take(_ text: StaticString) -> Bool {
                let count = text.utf8CodeUnitCount
                guard index + count <= raw.count, memcmp(raw.baseAddress! + index, text.utf8Start, count) == 0 else { return false }
                index += count
                return true
            }
            // Digits without a leading zero (unless alone), at most 18 of them: no overflow.
            func number() -> Int64? {
                let start = index
                var value: Int64 = 0
                while index < raw.count, index - start < 18, (0x30...0x39).contains(raw[index]) {
                    value = value * 10 + Int64(raw[index] - 0x30)
                    index += 1
                }
                guard index > start, raw[start] != 0x30 || index == start + 1 else { return nil }
                return value
            }
            guard take("{\"protocol\":"), number() != nil, take(",\"next\":"), let next = number(), take(",\"hasMore\":")
            else { return nil }
            let hasMore: Bool
            if take("true") { hasMore = true } else if take("false") { hasMore = false } else { return nil }
            guard take(",") else { return nil }
            return (next, hasMore)
        }
    }
}
