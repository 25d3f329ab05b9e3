import Foundation
import GlossCore

/// How often and how patiently to retry an exchange that failed in transit.
public struct RetryPolicy: Sendable {
    /// Attempts in all (the first one included).
    public var attempts: Int
    /// The wait before the first retry; doubled for each further one.
    public var baseDelay: Duration
    /// The longest wait between two attempts.
    public var maxDelay: Duration

    /// A policy; the default waits 0.2 s, 0.4 s, 0.8 s, 1.6 s (five attempts, about 3 s).
    public init(attempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5)) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No waiting between attempts (in-process tests).
    public static func immediate(attempts: Int) -> RetryPolicy {
        RetryPolicy(attempts: attempts, baseDelay: .zero, maxDelay: .zero)
    }

    /// Runs `body`, retrying transport failures; after the last attempt reports the failure with
    /// what was tried.
    public func run<T>(_ what: String, peer: String, _ body: () async throws -> T) async throws -> T {
        var delay = baseDelay
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as GlossError where error.code == .transport {
                if attempt >= attempts {
                    throw GlossError(
                        .transport,
                        "\(what) with \(peer) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(error.message). Nothing is lost; run the sync again when the peer is reachable.",
                        cause: error)
                }
                attempt += 1
                if delay > .zero { try await Task.sleep(for: delay) }
                delay = min(delay * 2, maxDelay)
            }
        }
    }
}
