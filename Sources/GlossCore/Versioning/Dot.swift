/// The identity of one write: the replica that made it and that replica's counter for the record.
public struct Dot: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The replica that made the write.
    public let replica: ReplicaID
    /// The writer's counter for the record after the write (starts at 1).
    public let counter: UInt64

    /// A dot for `replica` at `counter`.
    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    /// Dots order by counter, then by replica: a deterministic total order used to pick the
    /// displayed winner among conflicting siblings. It carries no causal meaning.
    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        lhs.counter != rhs.counter ? lhs.counter < rhs.counter : lhs.replica < rhs.replica
    }

    public var description: String { "\(replica.short):\(counter)" }
}
