import Foundation
import GlossCore

/// How `SyncEngine` talks to a peer: over HTTP (`SyncClient`) or in process (tests).
///
/// Errors: a `GlossError` with code `.transport` means the exchange may not have happened (or its
/// answer was lost) and is safe to retry; any other code is final (`.unauthorized`,
/// `.versionMismatch`, `.invalidInput`, `.counterReuse`).
public protocol SyncTransport: Sendable {
    /// The peer, for messages (a URL or a name).
    var peerDescription: String { get }
    /// The peer's handshake.
    func info() async throws -> InfoResponse
    /// Introduces this replica (`POST /v1/session`); throws `.counterReuse` when the peer has
    /// seen another store with this replica ID since.
    func session(_ request: SessionRequest) async throws
    /// A page of the peer's feed after `since`, leaving out states that `peer` sent it.
    func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage
    /// The same page as soon as it arrived, its states decoded later (`ArrivedPage.decode`), so
    /// that a pull asks for the next page meanwhile. By default, `changes` decoded.
    func arrivingChanges(since: Int64, limit: Int, peer: ReplicaID) async throws -> ArrivedPage
    /// Sends a push body (`PushRequest.body`, uncompressed); returns the peer's answer.
    func push(_ body: Data) async throws -> PushResponse
}

extension SyncTransport {
    public func arrivingChanges(since: Int64, limit: Int, peer: ReplicaID) async throws -> ArrivedPage {
        ArrivedPage(decoded: try await changes(since: since, limit: limit, peer: peer))
    }
}

/// A decoded page of a peer's feed, with its size on the wire.
public struct ChangesPage: Sendable {
    /// Record states, in feed order.
    public var states: [GlossCore.Record]
    /// The cursor to ask from next.
    public var next: Int64
    /// True when the peer's feed holds more.
    public var hasMore: Bool
    /// Bytes of the body as transferred (compressed when it was).
    public var wireBytes: Int
    /// For each state, the bytes it arrived as when they are its canonical encoding (what a
    /// server sends), else nil: the store keeps them as they are instead of encoding again.
    public var canonical: [Data?]

    /// A page.
    public init(states: [GlossCore.Record], next: Int64, hasMore: Bool, wireBytes: Int, canonical: [Data?]? = nil) {
        self.states = states
        self.next = next
        self.hasMore = hasMore
        self.wireBytes = wireBytes
        self.canonical = canonical ?? Array(repeating: nil, count: states.count)
    }

    /// Decodes a `GET /v1/changes` body (gzip or plain), validating every state. A body larger
    /// than `limit` bytes (decompressed) is refused as invalid input: no server sends one (see
    /// `SyncProtocol.maxPageBytes`), and asking again would bring the same.
    public static func decode(_ body: Data, from peer: String, limit: Int = SyncProtocol.maxPageBytes) throws -> ChangesPage {
        try ArrivedPage.read(body, from: peer, limit: limit).decode()
    }

    /// Decodes a whole page body, already decompressed, whose protocol version was checked.
    static func decodeJSON(_ json: Data, wireBytes: Int, from peer: String) throws -> ChangesPage {
        try JSONReader.read(json) { reader in
            var states: [GlossCore.Record]?, next: Int64?, hasMore: Bool?
            var canonical: [Data?] = []
            try reader.object { reader, key in
                switch key {
                case "states":
                    var list: [GlossCore.Record] = []
                    canonical = []
                    // Each state's canonical bytes are a slice of `json` (sharing its
                    // storage): no copy and no allocation per state.
                    try reader.array { reader in
                        let (record, range) = try reader.recordKeepingCanonicalRange()
                        list.append(record)
                        canonical.append(range.map { json[json.startIndex + $0.lowerBound..<json.startIndex + $0.upperBound] })
                    }
                    states = list
                case "protocol":
                    let repeated = try reader.int64()
                    guard repeated == SyncProtocol.version else { throw versionMismatch(Int64(repeated), from: peer) }
                case "next": next = try reader.int64()
                case "hasMore": hasMore = try reader.literalBool()
                default: try reader.skipValue()
                }
            }
            guard let states else { throw reader.missing("states") }
            guard let next else { throw reader.missing("next") }
            guard let hasMore else { throw reader.missing("hasMore") }
            return ChangesPage(states: states, next: next, hasMore: hasMore, wireBytes: wireBytes, canonical: canonical)
        }
    }

    static func versionMismatch(_ version: Int64, from peer: String) -> GlossError {
        GlossError(.versionMismatch, "\(peer) answered with sync protocol \(version); this gloss speaks \(SyncProtocol.version)")
    }

    /// Runs `body`, saying which peer sent a page that could not be read and that nothing from
    /// it was applied.
    static func readingPage<T>(from peer: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GlossError where error.code == .invalidInput {
            throw GlossError(.invalidInput, "\(peer) sent a malformed page of changes: \(error.message); nothing from it was applied", cause: error)
        } catch GzipError.tooLarge(let limit) {
            throw GlossError(
                .invalidInput,
                "\(peer) sent a page of changes larger than this gloss accepts (\(limit) bytes once decompressed): a faulty or hostile server. Nothing from it was applied.")
        } catch let error as GzipError {
            throw GlossError(.transport, "\(peer) sent a corrupt compressed page (\(error)); nothing from it was applied", cause: error)
        }
    }
}

extension SyncRequestError {
    /// The same refusal as a client-side error (5xx count as transport failures: retryable).
    public func asGlossError(peer: String) -> GlossError {
        if status >= 500 { return GlossError(.transport, "\(peer) failed (\(status)): \(message)", cause: self) }
        return GlossError(code, "\(peer) refused the request (\(status)): \(message)", cause: self)
    }
}
