import Foundation
import GlossSync
import Hummingbird

/// Answers a request no route takes with the protocol's JSON error body (Hummingbird's own
/// answer is an empty 404): 404 for a path no route has, 405 with `Allow` for a known path asked
/// with another method. Added before every other middleware, so it sees the router's not-found
/// error whatever path or method.
struct UnroutedRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            if let allowed = SyncRoutes<Context>.methods(forPath: path), !allowed.contains(request.method) {
                throw ServerError(
                    .methodNotAllowed(request.method.rawValue, path: path, allowed: allowed.map(\.rawValue)), allow: allowed)
            }
            throw ServerError(.unknownPath(path))
        }
    }
}
