import Foundation
import GlossCore
import GlossStore

/// Helpers to make real store files in temporary folders.
public enum TestStores {
    /// A new store in a new temporary folder; remove the folder when done.
    public static func make(
        name: String = "test", clock: @escaping @Sendable () -> Int64 = ReplicaStore.systemClock
    ) throws -> (ReplicaStore, TemporaryDirectory) {
        let dir = try TemporaryDirectory(prefix: "gloss-\(name)")
        let store = try ReplicaStore.create(at: dir.path("gloss.sqlite"), name: name, clock: clock)
        return (store, dir)
    }

    /// A deterministic clock starting at `start` ms and advancing 1 ms per call.
    public static func steppingClock(start: Int64 = 1_700_000_000_000) -> @Sendable () -> Int64 {
        let counter = Counter(start)
        return { counter.next() }
    }
}

/// A thread-safe counter for the stepping clock.
final class Counter: @unchecked Sendable {  // guarded by `lock`
    private var value: Int64
    private let lock = NSLock()
    init(_ start: Int64) { value = start }
    func next() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

extension TestStores {
    /// Creates a closed store for replica `name` at `dir/name/.gloss/gloss.sqlite` (the layout
    /// `gloss init` makes) and returns its file, for tests that then run the `gloss` binary on it.
    public static func makeFile(in dir: TemporaryDirectory, name: String) throws -> URL {
        let file = dir.path(name).appendingPathComponent(".gloss/gloss.sqlite")
        try ReplicaStore.create(at: file, name: name).close()
        return file
    }

    /// Opens the store at `file`, runs `body`, and closes it again (so a process can use it next).
    public static func with<T>(_ file: URL, _ body: (ReplicaStore) throws -> T) throws -> T {
        let store = try ReplicaStore.open(at: file)
        defer { try? store.close() }
        return try body(store)
    }

    /// `count` replicas `r0`, `r1`, ... sharing `clock`, on `medium` (files go in `dir`), for
    /// multi-replica property tests; close them when done.
    public static func replicas(
        _ count: Int, on medium: StoreMedium, in dir: TemporaryDirectory, clock: @escaping @Sendable () -> Int64
    ) throws -> [ReplicaStore] {
        try (0..<count).map { i in
            switch medium {
            case .memory: try ReplicaStore.inMemory(name: "r\(i)", clock: clock)
            case .files: try ReplicaStore.create(at: dir.path("r\(i).sqlite"), name: "r\(i)", clock: clock)
            }
        }
    }
}
