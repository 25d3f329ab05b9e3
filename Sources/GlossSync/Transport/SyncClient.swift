import Foundation
import GlossCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP side of sync: talks to a `gloss serve` (or any server speaking docs/PROTOCOL.md)
/// through Foundation's `URLSession`, with a bearer token, timeouts and gzip bodies.
public final class SyncClient: SyncTransport {
    /// The server's base URL (without `/v1`).
    public let baseURL: URL
    private let token: String?
    private let session: URLSession
    private let bodies = BoundedBodies()
    private let timeout: TimeInterval

    public var peerDescription: String { baseURL.absoluteString }

    /// A client for `baseURL` (e.g. `http://127.0.0.1:8080`). `timeout` is how long a request may
    /// wait for the next bytes of its answer; a whole request may take at most four times it.
    public init(baseURL: URL, token: String?, timeout: TimeInterval = 60) throws {
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https", baseURL.host != nil else {
            throw GlossError(.invalidInput, "\(baseURL.absoluteString.debugDescription) is not an http:// or https:// URL")
        }
        self.baseURL = baseURL
        self.token = token
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 4
        configuration.httpMaximumConnectionsPerHost = 1
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: bodies, delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func info() async throws -> InfoResponse {
        let data = try await send(request(path: "info"))
        do {
            return try JSONNesting.decode(InfoResponse.self, from: data)
        } catch {
            throw GlossError(
                .versionMismatch,
                "\(peerDescription) did not answer like a gloss server speaking sync protocol \(SyncProtocol.version) (its /v1/info could not be read); nothing was changed",
                cause: error)
        }
    }

    public func session(_ request: SessionRequest) async throws {
        var req = self.request(path: "session")
        req.httpMethod = "POST"
        req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        req.httpBody = try JSONEncoder().encode(request)
        _ = try await send(req)
    }

    public func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        try await arrivingChanges(since: since, limit: limit, peer: peer).decode()
    }

    public func arrivingChanges(since: Int64, limit: Int, peer: ReplicaID) async throws -> ArrivedPage {
        var components = URLComponents(url: endpoint("changes"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "since", value: String(since)), URLQueryItem(name: "limit", value: String(limit)),
            URLQueryItem(name: "peer", value: peer.rawValue),
        ]
        var req = URLRequest(url: components.url!)
        authorize(&req)
        let (data, wireBytes) = try await sendCounting(req, limit: SyncProtocol.maxPageBytes)
        return try ArrivedPage.read(data, wireBytes: wireBytes, from: peerDescription)
    }

    public func push(_ body: Data) async throws -> PushResponse {
        var req = request(path: "changes")
        req.httpMethod = "POST"
        req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        req.setValue("gzip", forHTTPHeaderField: "Content-Encoding")
        req.httpBody = try Gzip.compress(body)
        let data = try await send(req)
        do {
            let plain = Gzip.isCompressed(data) ? try Gzip.decompress(data, limit: SyncProtocol.maxSmallAnswerBytes) : data
            return try JSONNesting.decode(PushResponse.self, from: plain)
        } catch GzipError.tooLarge(let limit) {
            throw GlossError(
                .invalidInput, "\(peerDescription) answered a push with more than \(limit) bytes once decompressed: a faulty or hostile server")
        } catch {
            // The states may have been applied; a re-send is harmless, so let the engine retry.
            throw GlossError(.transport, "\(peerDescription) sent an unreadable answer to a push", cause: error)
        }
    }

    /// Bytes sent in the last push (compressed), for progress figures.
    public static func wireSize(ofPush body: Data) -> Int { (try? Gzip.compress(body).count) ?? body.count }

    private func endpoint(_ name: String) -> URL {
        baseURL.appendingPathComponent("v\(SyncProtocol.version)").appendingPathComponent(name)
    }

    private func request(path: String) -> URLRequest {
        var req = URLRequest(url: endpoint(path))
        authorize(&req)
        return req
    }

    private func authorize(_ req: inout URLRequest) {
        req.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
        if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    }

    /// Sends one request; maps every failure to a `GlossError` (`.transport` when retryable).
    private func send(_ req: URLRequest) async throws -> Data {
        try await sendCounting(req, limit: SyncProtocol.maxSmallAnswerBytes).0
    }

    /// Sends one request; returns the body and its size as transferred (URLSession may have
    /// decompressed a gzip body already: then Content-Length still gives the compressed size).
    /// An answer whose body, as URLSession hands it over, goes past `limit` bytes is cut off and
    /// refused as invalid input (a faulty or hostile server: asking again would bring the same).
    private func sendCounting(_ req: URLRequest, limit: Int) async throws -> (Data, Int) {
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await bodies.data(for: req, on: session, limit: limit)
        } catch let overflow as BoundedBodies.Overflow {
            throw GlossError(
                .invalidInput,
                "\(peerDescription) sent an answer larger than this gloss accepts (\(overflow.limit) bytes once decompressed): a faulty or hostile server. Nothing from it was applied.")
        } catch {
            throw GlossError(.transport, "cannot reach \(peerDescription): \(TransportFailure.describe(error, timeout: timeout))", cause: error)
        }
        guard let http = response as? HTTPURLResponse else {
            throw GlossError(.transport, "\(peerDescription) gave a non-HTTP answer")
        }
        if (200..<300).contains(http.statusCode) {
            let length = (http.value(forHTTPHeaderField: "Content-Length")).flatMap { Int($0) } ?? data.count
            return (data, length)
        }
        let plain = Gzip.isCompressed(data) ? ((try? Gzip.decompress(data, limit: 1 << 20)) ?? data) : data
        let body = try? JSONNesting.decode(ErrorBody.self, from: plain)
        let message = body?.message ?? "HTTP \(http.statusCode)"
        switch http.statusCode {
        case 401, 403:
            throw GlossError(.unauthorized, "\(peerDescription) refused the token (\(http.statusCode)): \(message). Check --token or the remote's token.")
        case 500...:
            throw GlossError(.transport, "\(peerDescription) failed (\(http.statusCode)): \(message)")
        default:
            let code = body.map { GlossError.Code(rawValue: $0.error) } ?? .invalidInput
            throw GlossError(code, "\(peerDescription) refused the request (\(http.statusCode)): \(message)")
        }
    }
}
