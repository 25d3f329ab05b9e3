import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (`flock`) on a file beside the store (`gloss.sqlite-pull.lock`), held by the
/// process whose pull deferred the store's indexes (`DeferredIndexes`) until it builds them.
/// Another process that finds indexes deferred can then tell a pull in progress, whose indexes
/// it leaves alone (building them would slow the rest of that pull down several times), from a
/// pull that stopped (killed, or its machine went down), whose indexes it builds. The kernel
/// releases the lock when its process ends, however it ends. A store held in memory has none.
final class PullLock: @unchecked Sendable {  // `descriptor` behind `lock`
    private let path: String?
    private let lock = NSLock()
    private var descriptor: Int32 = -1

    init(storeFile: URL) {
        path = storeFile.isFileURL ? storeFile.path + "-pull.lock" : nil
    }

    /// Takes the lock for this process, if no other process holds it (then a pull there is
    /// loading this store too, and indexes are built when either ends).
    func hold() {
        lock.withLock {
            guard descriptor < 0, let path else { return }
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { descriptor = fd } else { close(fd) }
        }
    }

    /// Lets go of the lock, if this process holds it.
    func release() {
        lock.withLock {
            guard descriptor >= 0 else { return }
            close(descriptor)  // releases the flock
            descriptor = -1
        }
    }

    /// Whether another process holds the lock now.
    func heldElsewhere() -> Bool {
        lock.withLock {
            guard descriptor < 0, let path else { return false }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return false }  // no file: no pull ever deferred indexes here
            defer { close(fd) }
            return flock(fd, LOCK_EX | LOCK_NB) != 0
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
