import Foundation
import GlossSync
import Hummingbird

/// A refusal rendered as HTTP: the status and the JSON `ErrorBody` of a `SyncRequestError`.
struct ServerError: HTTPResponseError {
    let error: SyncRequestError
    /// The `Allow` header of a 405: the methods the path answers.
    var allow: [HTTPRequest.Method] = []

    init(_ error: SyncRequestError, allow: [HTTPRequest.Method] = []) {
        self.error = error
        self.allow = allow
    }

    var status: HTTPResponse.Status { HTTPResponse.Status(code: error.status) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = (try? JSONEncoder().encode(error.body)) ?? Data("{\"error\":\"internal\",\"message\":\"\"}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if error.status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"gloss\"" }
        if !allow.isEmpty { headers[.allow] = allow.map(\.rawValue).joined(separator: ", ") }
        // A body refused for its size was not read to its end: the rest of it may still be
        // arriving, so this connection cannot carry another request (see CloseAfterAnswerHandler).
        if error.status == 413 { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
