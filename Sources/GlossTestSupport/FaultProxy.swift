import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A fault-injecting HTTP/1.1 proxy on 127.0.0.1 for network-fault tests: it listens on a free
/// loopback port, forwards each request to a server on another loopback port, and can reset the
/// connection, cut the answer mid-body, stall past the client's timeout, trickle the answer out,
/// deliver a request to the server twice, or answer in the server's place.
///
/// Requests and answers are framed by `Content-Length` (what `SyncClient` and Hummingbird send),
/// so a fault hits exactly one request. Each forwarded request uses a fresh upstream connection.
/// Call `stop()` when done: it shuts down every socket and joins nothing (threads end on their
/// own once their sockets are shut down, each closing its own).
public final class FaultProxy: @unchecked Sendable {  // mutable state is guarded by `lock`
    /// What happens to one request.
    public enum Fault: Sendable, Equatable, CustomStringConvertible {
        /// The request is read, not forwarded, and the connection is reset (TCP RST).
        case reset
        /// The request is forwarded; the client gets the answer's headers and half its body, then
        /// the connection closes. The server did act on the request.
        case truncateResponse
        /// The request is read, not forwarded, and nothing is answered until the client gives up.
        case stall
        /// The request is forwarded; the answer is sent `chunk` bytes at a time, `delay` apart.
        case slowBytes(chunk: Int, delay: TimeInterval)
        /// The request is delivered to the server twice; the client gets the second answer.
        case duplicateRequest
        /// The request is read, not forwarded; the client gets `response` (a whole HTTP/1.1
        /// answer: status line, headers, body), as a faulty or hostile server might send it.
        case answer(Data)

        public var description: String {
            switch self {
            case .reset: "reset"
            case .truncateResponse: "truncate"
            case .stall: "stall"
            case .slowBytes(let chunk, let delay): "slow(\(chunk)B/\(Int(delay * 1000))ms)"
            case .duplicateRequest: "duplicate"
            case .answer: "answer"
            }
        }
    }

    /// The port the proxy listens on (127.0.0.1).
    public let port: Int
    /// The base URL of the proxy, e.g. http://127.0.0.1:40123
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The server's port (127.0.0.1).
    public let upstreamPort: Int

    private let listener: Int32
    private let lock = NSLock()
    private var standing: Fault?
    private var queued: [Fault?] = []
    private var matchPrefix: String?
    private var sockets: Set<Int32> = []
    private var stopped = false
    private var counts: [String: Int] = [:]

    /// Starts a proxy to the server at 127.0.0.1:`upstreamPort`.
    public init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeProcessError(message: "FaultProxy: socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw ServeProcessError(message: "FaultProxy: cannot listen on 127.0.0.1")
        }
        _ = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "FaultProxy.accept"
        thread.start()
    }

    deinit { stop() }

    // MARK: - Controlling faults

    /// Applies `fault` to every request from now on (nil: forward faithfully).
    public func setStandingFault(_ fault: Fault?) { lock.withLock { standing = fault } }

    /// Applies `faults` to the next requests, one each (nil: forward that one faithfully), before
    /// the standing fault (if any) applies again.
    public func injectNext(_ faults: [Fault?]) { lock.withLock { queued.append(contentsOf: faults) } }

    /// Only requests whose request line starts with `prefix` (e.g. "POST /v1/changes") are
    /// subject to faults; others pass through. Nil: every request.
    public func onlyRequests(startingWith prefix: String?) { lock.withLock { matchPrefix = prefix } }

    /// Forwards every request faithfully from now on (drops the standing and queued faults).
    public func heal() {
        lock.withLock {
            standing = nil
            queued = []
            matchPrefix = nil
        }
    }

    /// How many requests were handled with each fault ("ok" for faithful forwarding).
    public var faultCounts: [String: Int] { lock.withLock { counts } }

    /// Requests that met a fault so far.
    public var faultsInjected: Int { lock.withLock { counts.filter { $0.key != "ok" }.values.reduce(0, +) } }

    /// Stops listening and shuts down every open connection. Safe to call more than once (a
    /// test's `stop()` and then `deinit`).
    ///
    /// Descriptors are only shut down here, never closed: each is closed by the thread that owns
    /// it (the accept loop closes the listener). A second `close` of the same number, or a
    /// `shutdown` after its owner closed it, would hit whatever file or socket another test opened
    /// with that number since (a store's SQLite file gave "disk I/O error" under TSan).
    public func stop() {
        lock.withLock {
            if stopped { return }
            stopped = true
            // Under the lock: owners close their sockets only under it too (`untrackAndClose`),
            // so every number in `sockets` is still ours here.
            for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
            sockets = []
            // Wakes the accept loop (accept fails), which then closes the listener.
            shutdown(listener, Int32(SHUT_RDWR))
        }
    }

    // MARK: - Serving

    private func acceptLoop() {
        defer { close(listener) }  // the only close of the listener
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            guard track(client) else {
                close(client)
                return
            }
            let thread = Thread { [self] in
                serve(client)
                untrackAndClose(client)
            }
            thread.name = "FaultProxy.connection"
            thread.start()
        }
    }

    private func track(_ fd: Int32) -> Bool {
        lock.withLock {
            guard !stopped else { return false }
            sockets.insert(fd)
            return true
        }
    }

    /// Forgets and closes `fd` under the lock, so `stop()` never shuts down a number that was
    /// closed and reused meanwhile.
    private func untrackAndClose(_ fd: Int32) {
        lock.withLock {
            sockets.remove(fd)
            close(fd)
        }
    }

    private func nextFault(for request: Data) -> Fault? {
        let line = String(decoding: request.prefix(while: { $0 != 13 }), as: UTF8.self)
        return lock.withLock {
            var fault: Fault?
            if matchPrefix.map({ line.hasPrefix($0) }) ?? true {
                fault = queued.isEmpty ? standing : queued.removeFirst()
            }
            counts[fault?.description ?? "ok", default: 0] += 1
            return fault
        }
    }

    /// Handles requests on one client connection until it closes or a fault ends it.
    private func serve(_ client: Int32) {
        var reader = SocketReader(fd: client)
        while let request = reader.readMessage() {
            let fault = nextFault(for: request)
            if ProcessInfo.processInfo.environment["FAULTPROXY_TRACE"] != nil {
                let line = String(decoding: request.prefix(while: { $0 != 13 }), as: UTF8.self)
                FileHandle.standardError.write(Data("\(Date().timeIntervalSince1970) fd \(client) \(fault?.description ?? "ok") \(line)\n".utf8))
            }
            switch fault {
            case .reset?:
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                return
            case .stall?:
                // Hold the connection, answering nothing, until the client gives up or we stop.
                var sink = [UInt8](repeating: 0, count: 4096)
                while recv(client, &sink, sink.count, 0) > 0 {}
                return
            case .truncateResponse?:
                guard let answer = forward(request) else { return }
                let headerEnd = SocketReader.headerEnd(in: answer) ?? answer.count / 2
                let bodyBytes = answer.count - headerEnd
                let cut = bodyBytes > 1 ? headerEnd + bodyBytes / 2 : max(1, headerEnd / 2)
                _ = Self.sendAll(client, answer.prefix(cut))
                return
            case .slowBytes(let chunk, let delay)?:
                guard let answer = forward(request) else { return }
                var offset = 0
                while offset < answer.count {
                    let end = min(answer.count, offset + max(1, chunk))
                    guard Self.sendAll(client, answer[offset..<end]) else { return }
                    offset = end
                    if offset < answer.count { Thread.sleep(forTimeInterval: delay) }
                }
            case .answer(let response)?:
                guard Self.sendAll(client, response) else { return }
            case .duplicateRequest?:
                _ = forward(request)
                guard let answer = forward(request), Self.sendAll(client, answer) else { return }
            case nil:
                guard let answer = forward(request), Self.sendAll(client, answer) else { return }
            }
        }
    }

    /// Sends `request` to the server on a new connection and returns its whole answer.
    private func forward(_ request: Data) -> Data? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard track(fd) else {
            close(fd)
            return nil
        }
        defer { untrackAndClose(fd) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, Self.sendAll(fd, request) else { return nil }
        var reader = SocketReader(fd: fd)
        return reader.readMessage()
    }

    private static func sendAll<D: DataProtocol>(_ fd: Int32, _ data: D) -> Bool {
        let bytes = Array(data)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// Reads whole HTTP/1.1 messages (headers plus a `Content-Length` body) from a socket.
struct SocketReader {
    let fd: Int32
    private var buffer = Data()

    init(fd: Int32) { self.fd = fd }

    /// The next message, or nil when the peer closed (or sent something unframed).
    mutating func readMessage() -> Data? {
        var end = Self.headerEnd(in: buffer)
        while end == nil {
            guard fill() else { return nil }
            end = Self.headerEnd(in: buffer)
        }
        guard let headerEnd = end else { return nil }
        let head = String(decoding: buffer.prefix(headerEnd), as: UTF8.self).lowercased()
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        while buffer.count < headerEnd + length {
            guard fill() else { return nil }
        }
        let message = buffer.prefix(headerEnd + length)
        buffer = Data(buffer.dropFirst(headerEnd + length))
        return Data(message)
    }

    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    /// The offset just past the blank line that ends the headers.
    static func headerEnd(in data: Data) -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        guard let range = data.firstRange(of: marker) else { return nil }
        return range.upperBound - data.startIndex
    }
}
