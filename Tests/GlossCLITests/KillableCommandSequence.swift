import Foundation
import GlossTestSupport

/// Runs `gloss` commands one after another on a thread of its own, as a user's script would,
/// until told to stop: `kill()` SIGKILLs the command running at that moment. Records what each
/// finished command returned and which one (if any) was killed mid-run.
final class KillableCommandSequence: @unchecked Sendable {  // all mutable state is guarded by `lock`
    /// A command that ran to its end.
    struct Finished {
        let args: [String]
        let status: Int32
        let stdout: String
        /// Seconds from the start of the sequence to this command's end.
        let endedAfter: Double
    }

    private let lock = NSLock()
    private var finished: [Finished] = []
    private var killedArgs: [String]?
    private var running: Process?
    private var stopped = false
    private let ended = DispatchSemaphore(value: 0)

    /// Starts running `commands` in `cwd`.
    init(_ commands: [[String]], cwd: URL) {
        let start = Date()
        Thread { [self] in
            for args in commands {
                let process = Process()
                process.executableURL = GlossBinary.url
                process.arguments = args
                process.currentDirectoryURL = cwd
                process.environment = GlossBinary.baseEnvironment
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                let started: Bool = lock.withLock {
                    guard !stopped, (try? process.run()) != nil else { return false }
                    running = process
                    return true
                }
                guard started else { break }
                let output = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let wasKilled = process.terminationReason == .uncaughtSignal
                lock.withLock {
                    running = nil
                    if wasKilled {
                        killedArgs = args
                    } else {
                        finished.append(Finished(
                            args: args, status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                            endedAfter: Date().timeIntervalSince(start)))
                    }
                }
                if wasKilled { break }
            }
            ended.signal()
        }.start()
    }

    /// Stops the sequence: SIGKILLs the command running now (if any) and waits for the thread.
    /// Returns the commands that finished and the one killed mid-run (nil when none was).
    func kill() -> (finished: [Finished], killed: [String]?) {
        lock.withLock {
            stopped = true
            if let running, running.isRunning { Foundation.kill(running.processIdentifier, SIGKILL) }
        }
        ended.wait()
        return lock.withLock { (finished, killedArgs) }
    }

    /// Waits for every command to finish (no kill).
    func wait() -> [Finished] {
        ended.wait()
        return lock.withLock { finished }
    }
}
