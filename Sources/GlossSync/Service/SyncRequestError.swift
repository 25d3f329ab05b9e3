import Foundation
import GlossCore

/// A request the server refuses: an HTTP status, a stable code and a message for a person.
/// Nothing in the store changed when one is thrown.
public struct SyncRequestError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status (4xx, or 500 for an internal failure).
    public let status: Int
    /// The stable code, as in `GlossError.Code`.
    public let code: GlossError.Code
    /// What went wrong, for a person.
    public let message: String

    /// A refusal.
    public init(status: Int, code: GlossError.Code, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The JSON error body.
    public var body: ErrorBody { ErrorBody(error: code.rawValue, message: message) }

    public var description: String { "\(status) \(code): \(message)" }

    /// 400: the request is malformed.
    public static func badRequest(_ message: String, code: GlossError.Code = .invalidInput) -> SyncRequestError {
        SyncRequestError(status: 400, code: code, message)
    }

    /// 413: the body is over the limit.
    public static func tooLarge(limit: Int) -> SyncRequestError {
        SyncRequestError(
            status: 413, code: .invalidInput,
            "the request body is larger than this server accepts (\(limit) bytes); send smaller batches")
    }

    /// 404: no route has this path.
    public static func unknownPath(_ path: String) -> SyncRequestError {
        SyncRequestError(
            status: 404, code: .notFound,
            "no such endpoint: \(String(path.prefix(200)).debugDescription) (this server speaks sync protocol \(SyncProtocol.version): /v1/info, /v1/session, /v1/changes)")
    }

    /// 405: the path is known, the method is not one it answers.
    public static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> SyncRequestError {
        SyncRequestError(
            status: 405, code: .invalidInput,
            "\(String(path.prefix(200)).debugDescription) does not answer \(String(method.prefix(20))); it answers \(allowed.joined(separator: ", "))")
    }

    /// 401: no credentials.
    public static let missingToken = SyncRequestError(
        status: 401, code: .unauthorized, "this server needs a token: send `Authorization: Bearer <token>` (gloss: --token)")

    /// 403: wrong credentials.
    public static let wrongToken = SyncRequestError(status: 403, code: .unauthorized, "the token was refused by this server")

    /// Describes a JSON decoding failure with the path to the bad value, for a person.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            let text = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type (expected \(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null (expected \(type))"
        @unknown default:
            return "the body could not be decoded"
        }
    }
}
