import Foundation
import GlossTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The proxy itself must never touch descriptors it no longer owns: tests run in parallel in one
/// process, so a number it closed is soon another test's store file or socket.
@Suite struct FaultProxyTests {
    @Test func stoppingTwiceLeavesDescriptorsOpenedInBetweenAlone() throws {
        let proxy = try FaultProxy(upstreamPort: 9)
        proxy.stop()
        // Wait for the accept loop to close the listener, then open files: the kernel hands out
        // the lowest free numbers, so one of them very likely takes the listener's old number.
        Thread.sleep(forTimeInterval: 0.2)
        let files = (0..<64).map { _ in open("/dev/null", O_RDONLY) }
        defer { for fd in files where fd >= 0 { close(fd) } }
        #expect(files.allSatisfy { $0 >= 0 })
        proxy.stop()  // as `deinit` does after a test's own `stop()`
        let closed = files.filter { fcntl($0, F_GETFD) == -1 }
        #expect(closed.isEmpty, "a second stop() closed descriptors \(closed) it did not own")
    }
}
