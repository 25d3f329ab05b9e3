import NIOConcurrencyHelpers

/// Counts the server's open connections against a cap. Shared by every connection (they live on
/// different event loops), so the count is lock-protected.
public final class ConnectionLimiter: Sendable {
    /// The most connections open at once.
    public let maximum: Int
    private let count = NIOLockedValueBox(0)

    /// A limiter admitting at most `maximum` connections at once.
    public init(maximum: Int) {
        precondition(maximum > 0, "a connection cap must be positive")
        self.maximum = maximum
    }

    /// The connections admitted and not yet closed.
    public var open: Int { count.withLockedValue { $0 } }

    /// Takes a place for a new connection; false (and nothing taken) when the cap is reached.
    func admit() -> Bool {
        count.withLockedValue { open in
            guard open < maximum else { return false }
            open += 1
            return true
        }
    }

    /// Gives back the place of a connection that closed.
    func release() {
        count.withLockedValue { open in
            precondition(open > 0, "released a connection that was never admitted")
            open -= 1
        }
    }
}
