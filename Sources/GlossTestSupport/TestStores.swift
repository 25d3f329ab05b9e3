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
