import Foundation
import GlossSync
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every request: 401 without one, 403 with a wrong
/// one. The comparison takes the same time wherever the strings differ, so timing does not leak
/// the token. Tokens are never logged.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) { self.token = Array(token.utf8) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw ServerError(.missingToken) }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix.lowercased()) else {
            throw ServerError(.missingToken)
        }
        let offered = Array(header.utf8.dropFirst(prefix.utf8.count))
        guard Self.constantTimeEquals(offered, token) else { throw ServerError(.wrongToken) }
        return try await next(request, context)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let length = max(a.count, b.count)
        for i in 0..<length {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
