import Foundation
import GlossServer
import GlossTestSupport
import Testing

/// A body over the limit on a real loopback socket: the 413 says `Connection: close` and the
/// server closes the connection, whose rest of a body it never read, instead of waiting on it
/// for a next request.
// Not timing-sensitive: the timeouts are far beyond the waits, which are generous bounds that
// only prove the server closed the connection itself.
@Suite(.serialized) struct OversizedBodyTests {
    /// A 64 KB body limit, and idle and request timeouts that cannot be what closes a connection.
    static let configuration = SyncServerConfiguration(maxBodyBytes: 64 * 1024, idleTimeout: .seconds(120), requestTimeout: .seconds(120))

    static let head = "POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\nContent-Type: application/json\r\n"

    /// Sends `request` in one go and reads until the server closes (or 30 s pass).
    static func exchange(port: Int, _ request: String) async -> (text: String, closed: Bool) {
        await LiveServer.offPool {
            guard let socket = LoopbackSocket(port: port, receiveTimeout: 30) else { return ("no connection", false) }
            defer { socket.close() }
            socket.send(request)
            return socket.receiveAll()
        }
    }

    static func expectRefusedAndClosed(_ answer: (text: String, closed: Bool), sourceLocation: SourceLocation = #_sourceLocation) {
        let head = answer.text.components(separatedBy: "\r\n\r\n")[0].lowercased()
        #expect(head.hasPrefix("http/1.1 413"), "\(answer.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(head.contains("\r\nconnection: close"), "\(head)", sourceLocation: sourceLocation)
        #expect(answer.text.contains("larger than this server accepts (65536 bytes)"), "\(answer.text.prefix(400))", sourceLocation: sourceLocation)
        #expect(answer.closed, "the server left the connection open after its 413", sourceLocation: sourceLocation)
    }

    @Test func aBodyDeclaredOverTheLimitGets413AndTheConnectionIsClosed() async throws {
        let limiter = ConnectionLimiter(maximum: 16)
        try await LiveServer.run(Self.configuration, limiter: limiter) { port in
            // 1 KB of a declared 100 MB: the client might go on sending for minutes.
            let answer = await LiveServer.offPool { () -> (text: String, closed: Bool) in
                guard let socket = LoopbackSocket(port: port, receiveTimeout: 30) else { return ("no connection", false) }
                defer { socket.close() }
                socket.send(Self.head + "Content-Length: 104857600\r\n\r\n" + String(repeating: " ", count: 1024))
                let answer = socket.receiveAll()
                // Closed by the server while this client still holds its end open.
                let released = (0..<1500).contains { _ in
                    if limiter.open == 0 { return true }
                    Thread.sleep(forTimeInterval: 0.02)
                    return false
                }
                return released ? answer : (answer.text, false)
            }
            Self.expectRefusedAndClosed(answer)
            #expect(await LiveServer.honestInfo(port: port) == "HTTP/1.1 200 OK")
        }
    }

    @Test func aChunkedBodyThatGrowsOverTheLimitGets413AndTheConnectionIsClosed() async throws {
        try await LiveServer.run(Self.configuration) { port in
            // No declared length: refused once 64 KB have arrived, with the rest already sent.
            let chunk = String(repeating: " ", count: 16 * 1024)
            let chunks = String(repeating: "4000\r\n\(chunk)\r\n", count: 12) + "0\r\n\r\n"
            let answer = await Self.exchange(port: port, Self.head + "Transfer-Encoding: chunked\r\n\r\n" + chunks)
            Self.expectRefusedAndClosed(answer)
        }
    }

    @Test func answersOtherThan413KeepTheConnectionOpen() async throws {
        try await LiveServer.run(Self.configuration) { port in
            let answers = await LiveServer.offPool { () -> [String] in
                guard let socket = LoopbackSocket(port: port, receiveTimeout: 30) else { return [] }
                defer { socket.close() }
                let body = "{\"protocol\":1}"
                socket.send(Self.head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
                let first = RequestDeadlineTests.readResponse(socket)
                socket.send("GET /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\nConnection: close\r\n\r\n")
                return [first, socket.receiveAll().text]
            }
            #expect(answers.count == 2)
            #expect(answers.first?.hasPrefix("HTTP/1.1 400") == true, "\(answers.first?.prefix(200) ?? "")")
            #expect(answers.first?.lowercased().contains("connection: close") == false)
            #expect(answers.last?.hasPrefix("HTTP/1.1 200") == true, "\(answers.last?.prefix(200) ?? "")")
        }
    }
}
