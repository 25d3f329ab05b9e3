import Foundation
import GlossSync
import Hummingbird
import Logging

/// The `/v1` routes: thin adapters from HTTP to `SyncService`.
struct SyncRoutes<Context: RequestContext>: Sendable {
    let service: SyncService
    let maxBodyBytes: Int

    /// The endpoints under `/v1` and the methods each answers (what `register` adds).
    static var endpoints: [String: [HTTPRequest.Method]] { ["info": [.get], "session": [.post], "changes": [.get, .post]] }

    /// The methods a path answers, or nil when no route has it (the router's matching: empty
    /// components, as from a trailing slash, are ignored).
    static func methods(forPath path: String) -> [HTTPRequest.Method]? {
        let components = path.split(separator: "/")
        let base = SyncProtocol.basePath.split(separator: "/")
        guard components.count == base.count + 1, components.starts(with: base) else { return nil }
        return endpoints[String(components[base.count])]
    }

    func register(on router: Router<Context>) {
        let group = router.group(RouterPath(SyncProtocol.basePath))
        group.get("info") { _, _ in
            try Self.json(try JSONEncoder().encode(try await Self.blocking { service.info() }), request: nil)
        }
        group.get("changes") { request, context in
            let query = request.uri.queryParameters
            let (since, limit, peer) = (query.get("since"), query.get("limit"), query.get("peer"))
            let body = try await Self.blocking {
                try Self.refusals { try service.changes(sinceText: since, limitText: limit, peerText: peer) }
            }
            context.logger.debug("served changes", metadata: ["since": "\(query.get("since") ?? "0")", "bytes": "\(body.count)"])
            return try Self.json(body, request: request)
        }
        group.post("session") { request, _ in
            let body = try await readBody(request)
            return try Self.json(try await Self.blocking { try Self.refusals { try service.session(body: body) } }, request: nil)
        }
        group.post("changes") { request, context in
            let body = try await readBody(request)
            let answer = try await Self.blocking { try Self.refusals { try service.push(body: body) } }
            context.logger.info(
                "received states", metadata: ["count": "\(answer.received)", "changed": "\(answer.changed)"])
            return try Self.json(try JSONEncoder().encode(answer), request: nil)
        }
    }

    /// Collects a request body up to the limit (413 beyond), decompressing gzip with the same limit.
    private func readBody(_ request: Request) async throws -> Data {
        // A declared length over the limit is refused before a byte of the body is read.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBodyBytes {
            throw ServerError(.tooLarge(limit: maxBodyBytes))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw ServerError(.tooLarge(limit: maxBodyBytes))
        }
        let data = Data(buffer.readableBytesView)
        let encoding = request.headers[.contentEncoding]?.lowercased()
        guard encoding == "gzip" || (encoding == nil && Gzip.isCompressed(data)) else {
            if let encoding, encoding != "identity" {
                throw ServerError(.badRequest("unsupported Content-Encoding \(encoding.prefix(20).debugDescription); use gzip or none"))
            }
            return data
        }
        do {
            return try Gzip.decompress(data, limit: maxBodyBytes)
        } catch GzipError.tooLarge {
            throw ServerError(.tooLarge(limit: maxBodyBytes))
        } catch {
            throw ServerError(.badRequest("the body is marked gzip but is not valid gzip data"))
        }
    }

    /// Runs store work (SQLite reads and writes, which may wait up to the busy timeout for the
    /// write lock, and disk I/O) on a Dispatch thread, not on Swift's cooperative pool: that pool
    /// has one thread per core, and a few pushes waiting for the lock would stall every other
    /// request, `/v1/info` included.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func refusals<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SyncRequestError {
            throw ServerError(error)
        }
    }

    /// A JSON answer, gzip-compressed when the client accepts it and the body is worth it.
    private static func json(_ data: Data, request: Request?) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        var payload = data
        if let accept = request?.headers[.acceptEncoding], accept.lowercased().contains("gzip"), data.count > 1024 {
            payload = try Gzip.compress(data)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: payload)))
    }
}
