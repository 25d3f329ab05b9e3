import Foundation
import GlossServer
import GlossTestSupport
import Testing

/// The total request deadline on a real loopback socket: a client trickling a request faster
/// than the idle timeout is still cut off, while honest clients are served, including on a
/// kept-alive connection that waits between requests.
// Live sockets: run alone with SlowClientTests (GLOSS_TIMING_TESTS=1). The only time bound
// asserted is a generous one proving the trickler was dropped at all.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GLOSS_TIMING_TESTS"] == "1"))
struct RequestDeadlineTests {
    /// Idle timeout 3 s, request deadline 1 s: trickling a byte every 0.3 s never looks idle.
    static let configuration = SyncServerConfiguration(idleTimeout: .seconds(3), requestTimeout: .seconds(1))

    /// Sends `head`, then one byte every 0.3 s until the server closes the connection or 20 s
    /// pass; returns what the server sent and whether it closed the connection while the client
    /// was still trickling (once the client stops, the idle timeout would close it anyway).
    static func trickle(port: Int, head: String, byte: String) async -> (text: String, droppedWhileTrickling: Bool) {
        await LiveServer.offPool {
            guard let socket = LoopbackSocket(port: port, receiveTimeout: 25) else { return ("", false) }
            defer { socket.close() }
            socket.send(head)
            let reading = DispatchGroup()
            let result = ResultBox()
            reading.enter()
            Thread {
                result.value = socket.receiveAll()
                reading.leave()
            }.start()
            let until = Date().addingTimeInterval(20)
            var dropped = false
            while Date() < until {
                if reading.wait(timeout: .now() + 0.3) == .success || !socket.send(byte) {
                    dropped = true
                    break
                }
            }
            reading.wait()
            return (result.value.text, dropped && result.value.closed)
        }
    }

    @Test func aClientTricklingABodyIsDroppedWhileAnHonestClientIsServed() async throws {
        try await LiveServer.run(Self.configuration) { port in
            let head = "POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            async let trickler = Self.trickle(port: port, head: head, byte: " ")
            #expect(await LiveServer.honestInfo(port: port) == "HTTP/1.1 200 OK")
            let outcome = await trickler
            #expect(outcome.droppedWhileTrickling, "a client trickling its body was still connected after 20 s")
            #expect(await LiveServer.honestInfo(port: port) == "HTTP/1.1 200 OK")
        }
    }

    @Test func aClientTricklingItsHeadGets408() async throws {
        try await LiveServer.run(Self.configuration) { port in
            let outcome = await Self.trickle(port: port, head: "GET /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", byte: "a")
            #expect(outcome.droppedWhileTrickling, "a client trickling its head was still connected after 20 s")
            #expect(outcome.text.hasPrefix("HTTP/1.1 408"), "\(outcome.text.prefix(200))")
            #expect(outcome.text.contains("took longer than 1 s to arrive"), "\(outcome.text.prefix(400))")
        }
    }

    @Test func theWaitBetweenRequestsOnAKeptAliveConnectionDoesNotCount() async throws {
        try await LiveServer.run(Self.configuration) { port in
            let answers = await LiveServer.offPool { () -> [String] in
                guard let socket = LoopbackSocket(port: port, receiveTimeout: 20) else { return [] }
                defer { socket.close() }
                let request = "GET /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(LiveServer.token)\r\n\r\n"
                socket.send(request)
                let first = Self.readResponse(socket)
                // Longer than the request deadline, shorter than the idle timeout.
                Thread.sleep(forTimeInterval: 1.5)
                socket.send(request.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n"))
                return [first, socket.receiveAll().text]
            }
            #expect(answers.count == 2)
            for answer in answers { #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))") }
        }
    }

    /// Reads one response with a Content-Length body from a kept-alive connection.
    static func readResponse(_ socket: LoopbackSocket) -> String {
        var data = [UInt8]()
        var byte = [UInt8](repeating: 0, count: 1)
        while recv(socket.fd, &byte, 1, 0) == 1 {
            data.append(byte[0])
            let text = String(decoding: data, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { continue }
            let length = text[..<end.lowerBound].split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            if data.count >= text[..<end.upperBound].utf8.count + length { return text }
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A value set by one thread and read after it finished (ordered by a DispatchGroup).
final class ResultBox: @unchecked Sendable {
    var value: (text: String, closed: Bool) = ("", false)
}
