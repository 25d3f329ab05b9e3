import Foundation

/// Folders for tests that create many short-lived stores: on a RAM disk (/dev/shm) when there is
/// one, so SQLite's fsyncs cost nothing and a thousand-seed property test runs in seconds.
public enum ScratchDirectory {
    /// A new empty folder (remove it when done).
    public static func make(prefix: String) throws -> TemporaryDirectory {
        let shm = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        if FileManager.default.isWritableFile(atPath: shm.path) {
            let url = shm.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return TemporaryDirectory(existing: url)
        }
        return try TemporaryDirectory(prefix: prefix)
    }
}

extension TemporaryDirectory {
    /// Adopts an existing folder (removed by `remove()` like any other).
    init(existing url: URL) { self.url = url }
}
