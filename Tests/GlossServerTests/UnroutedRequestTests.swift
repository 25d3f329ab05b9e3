import Foundation
import GlossCore
import GlossServer
import GlossStore
import GlossSync
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// A request no route takes gets the protocol's JSON error body: 404 for an unknown path, 405
/// with `Allow` for a known path asked with another method.
@Suite struct UnroutedRequestTests {
    struct Case: Sendable, CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let status: HTTPResponse.Status
        let allow: String?
        var description: String { "\(method) \(path)" }
    }

    static let cases: [Case] = [
        Case(method: .put, path: "/v1/changes", status: .methodNotAllowed, allow: "GET, POST"),
        Case(method: .delete, path: "/v1/changes?since=0", status: .methodNotAllowed, allow: "GET, POST"),
        Case(method: .post, path: "/v1/info", status: .methodNotAllowed, allow: "GET"),
        Case(method: .get, path: "/v1/session", status: .methodNotAllowed, allow: "POST"),
        Case(method: .get, path: "/v1/nope", status: .notFound, allow: nil),
        Case(method: .post, path: "/v2/changes", status: .notFound, allow: nil),
        Case(method: .get, path: "/", status: .notFound, allow: nil),
        Case(method: .get, path: "/v1/info/extra", status: .notFound, allow: nil),
    ]

    @Test(arguments: cases)
    func unroutedRequestsGetAJSONError(_ test: Case) async throws {
        let (store, dir) = try TestStores.make(name: "server")
        defer { dir.remove() }
        let configuration = SyncServerConfiguration(token: BadRequestTests.token)
        let app = Application(router: SyncServer.makeRouter(service: SyncService(store: store), configuration: configuration))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: test.path, method: test.method, headers: BadRequestTests.auth)
            #expect(response.status == test.status)
            #expect(response.headers[.allow] == test.allow)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let error = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(error.error == (test.status == .notFound ? "not-found" : "invalid-input"))
            #expect(!error.message.isEmpty)
            // Without the token: refused as any request is, before the path is looked at.
            let anonymous = try await client.execute(uri: test.path, method: test.method)
            #expect(anonymous.status == .unauthorized)
        }
    }

    /// The same on a live server, over a socket.
    @Test func aLiveServerAnswersUnroutedRequestsWithJSON() async throws {
        try await LiveServer.run(SyncServerConfiguration()) { port in
            for (line, status, allow) in [
                ("PUT /v1/changes", "405", "GET, POST"), ("POST /v1/info", "405", "GET"), ("GET /v1/nope", "404", nil),
            ] {
                let answer = await LiveServer.offPool { () -> String in
                    guard let socket = LoopbackSocket(port: port, receiveTimeout: 20) else { return "no connection" }
                    defer { socket.close() }
                    socket.send(
                        "\(line) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return socket.receiveAll().text
                }
                let parts = answer.components(separatedBy: "\r\n\r\n")
                let head = parts[0].lowercased()
                #expect(head.hasPrefix("http/1.1 \(status)"), "\(line): \(answer)")
                #expect(head.contains("content-type: application/json"), "\(line): \(answer)")
                if let allow { #expect(head.contains("allow: \(allow.lowercased())"), "\(line): \(answer)") }
                let body = try #require(parts.count > 1 ? parts[1] : nil)
                let error = try JSONDecoder().decode(ErrorBody.self, from: Data(body.utf8))
                #expect(error.error == (status == "404" ? "not-found" : "invalid-input") && !error.message.isEmpty, "\(body)")
            }
        }
    }
}
