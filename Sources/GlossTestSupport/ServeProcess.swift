import Foundation

/// A `gloss serve` subprocess on 127.0.0.1, for end-to-end tests: started on port 0 (or a port the
/// test picked), with its bound port read from its "listening on" line. Call `stop()` when done.
public final class ServeProcess: @unchecked Sendable {  // `output` is guarded by `lock`
    /// The running process.
    public let process: Process
    /// The bound port.
    public private(set) var port = 0
    /// The base URL, e.g. http://127.0.0.1:43125
    public var url: String { "http://127.0.0.1:\(port)" }

    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()

    /// Starts `gloss serve --store STORE --port PORT [--token TOKEN] [arguments…]` and waits (up
    /// to `timeout`) until it listens. Throws, having stopped it, when it does not.
    public init(store: URL, token: String?, port: Int = 0, arguments: [String] = [], timeout: TimeInterval = 30) throws {
        process = Process()
        process.executableURL = GlossBinary.url
        var args = ["serve", "--store", store.path, "--port", String(port)]
        if let token { args += ["--token", token] }
        process.arguments = args + arguments
        process.environment = GlossBinary.baseEnvironment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.output.append(data) }
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.errors.append(data) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = boundPort() {
                self.port = found
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw ServeProcessError(message: "gloss serve did not start: \(standardError)")
    }

    private func boundPort() -> Int? {
        let text = lock.withLock { String(decoding: output, as: UTF8.self) }
        guard let range = text.range(of: "listening on http://127.0.0.1:") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// What the server wrote on standard error so far.
    public var standardError: String { lock.withLock { String(decoding: errors, as: UTF8.self) } }

    /// Stops the server with SIGTERM (a graceful shutdown) and waits for it; SIGKILL after 10 s.
    /// Returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    public func crash() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// A free loopback port right now (for a server that must come back on the same port).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeProcessError(message: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw ServeProcessError(message: "bind() failed") }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A `gloss serve` subprocess that failed to start.
public struct ServeProcessError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// An error with `message`.
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A `gloss` command started in the background (to be killed mid-way by a test).
public final class BackgroundGloss: @unchecked Sendable {  // Process is used from one test at a time
    /// The running process.
    public let process: Process

    /// Starts `gloss args…` with its output discarded.
    public init(_ args: [String], cwd: URL, environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = GlossBinary.url
        process.arguments = args
        process.currentDirectoryURL = cwd
        process.environment = GlossBinary.baseEnvironment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Kills it with SIGKILL and waits.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits for it to finish; returns the exit status.
    public func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}
