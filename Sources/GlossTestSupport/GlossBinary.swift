import Foundation

/// Runs the built `gloss` executable the way a user would, for end-to-end tests.
public enum GlossBinary {
    /// What one run printed and returned.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `gloss` binary: `GLOSS_BIN` if set, else next to the test bundle in `.build/<config>/`.
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["GLOSS_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        for dir in candidates {
            var folder = dir
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("gloss")
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        // Fall back to the package's default build folder.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/gloss")
    }

    /// The package root (for `seeds/` and `Fixtures/`).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `gloss args…` in `cwd` and waits for it. `environment` entries are added to a clean
    /// environment (PATH, HOME, NO_COLOR=1; GLOSS_STORE unset unless given).
    @discardableResult
    public static func run(
        _ args: [String], cwd: URL, environment: [String: String] = [:], stdin: String? = nil,
        timeout: TimeInterval = 120
    ) throws -> Result {
        try run(args, cwd: cwd, environment: environment, input: stdin.map { Data($0.utf8) }, timeout: timeout)
    }

    /// Runs `gloss args…` with `input` (any bytes, e.g. a binary file) on standard input.
    /// `launcher`, when given, is a command that runs gloss (its path is appended to it, then
    /// `args`): e.g. `setpriv` running it as another user.
    @discardableResult
    public static func run(
        _ args: [String], cwd: URL, environment: [String: String] = [:], input: Data?, timeout: TimeInterval = 120,
        launcher: [String] = []
    ) throws -> Result {
        let process = Process()
        process.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? url
        process.arguments = launcher.isEmpty ? args : Array(launcher.dropFirst()) + [url.path] + args
        process.currentDirectoryURL = cwd
        process.environment = baseEnvironment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), stdinPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdinPipe
        try process.run()
        if let input { stdinPipe.fileHandleForWriting.write(input) }
        try? stdinPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty process never blocks on a full pipe.
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(out, outBox), (err, errBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            group.wait()
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outBox.data, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// A clean environment for the child: no inherited GLOSS_STORE, no colour.
    public static var baseEnvironment: [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment = [
            "PATH": inherited["PATH"] ?? "/usr/bin:/bin",
            "HOME": inherited["HOME"] ?? "/tmp",
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        ]
        // Under a sanitizer the child is a sanitized build too: it needs the same options
        // (e.g. ASAN_OPTIONS=detect_leaks=0), or its exit status reflects the sanitizer's report.
        for (key, value) in inherited where key.hasSuffix("SAN_OPTIONS") { environment[key] = value }
        return environment
    }
}

/// A mutable box filled by one reader thread and read after it finishes.
final class DataBox: @unchecked Sendable {  // written once before `group.leave()`, read after `wait()`
    var data = Data()
}
