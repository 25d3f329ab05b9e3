import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection to 127.0.0.1, for tests that must misbehave as no HTTP client would:
/// connect and send nothing, send half a request head, trickle bytes.
public final class LoopbackSocket: @unchecked Sendable {  // used from one test task at a time
    /// The file descriptor (-1 once closed).
    public private(set) var fd: Int32

    /// Connects to `127.0.0.1:port`; reads give up after `receiveTimeout` seconds. Nil when the
    /// connection cannot be made.
    public init?(port: Int, receiveTimeout seconds: Int = 5) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
    }

    /// Sends `text`; false when the connection is gone (reset or closed by the peer).
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return sent == bytes.count
    }

    /// What the peer sent until it closed the connection or the receive timeout passed;
    /// `closed` says the peer closed (EOF or reset) rather than the wait running out.
    public func receiveAll() -> (text: String, closed: Bool) {
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return (String(decoding: data, as: UTF8.self), true) }
            if count < 0 { return (String(decoding: data, as: UTF8.self), errno == ECONNRESET) }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    /// Closes the connection (again is harmless).
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
