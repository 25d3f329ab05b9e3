/// How two version vectors relate in the causal partial order.
public enum CausalOrder: Sendable, Equatable {
    /// Both saw exactly the same writes.
    case equal
    /// The left side saw a strict subset of the right side's writes.
    case before
    /// The left side saw a strict superset of the right side's writes.
    case after
    /// Each side saw a write the other did not.
    case concurrent
}

/// A version vector: for each replica that ever wrote a record, how many of its writes are known.
public struct VersionVector: Hashable, Sendable {
    /// Counters by replica. Entries are never zero.
    public private(set) var counters: [ReplicaID: UInt64]

    /// An empty vector (no writes seen).
    public init() { counters = [:] }

    /// A vector with the given counters; zero entries are dropped.
    public init(_ counters: [ReplicaID: UInt64]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    /// A vector with counters already known to be positive (the record decoder's): no copy
    /// made to drop zeros.
    init(positive counters: [ReplicaID: UInt64]) {
        assert(!counters.values.contains(0))
        self.counters = counters
    }

    /// The counter for `replica` (0 when it never wrote).
    public subscript(replica: ReplicaID) -> UInt64 { counters[replica] ?? 0 }

    /// True when the write `dot` is among those this vector has seen.
    public func covers(_ dot: Dot) -> Bool { self[dot.replica] >= dot.counter }

    /// True when no write is recorded.
    public var isEmpty: Bool { counters.isEmpty }

    /// Records one more write by `replica` and returns its dot.
    public mutating func increment(_ replica: ReplicaID) -> Dot {
        let next = self[replica] &+ 1
        precondition(next > 0, "version counter overflow")
        counters[replica] = next
        return Dot(replica: replica, counter: next)
    }

    /// The pointwise maximum: every write either side has seen.
    public func merged(with other: VersionVector) -> VersionVector {
        var result = self
        result.formMerge(with: other)
        return result
    }

    /// In-place pointwise maximum.
    public mutating func formMerge(with other: VersionVector) {
        for (replica, counter) in other.counters where counter > self[replica] {
            counters[replica] = counter
        }
    }

    /// Compares two vectors in the causal partial order.
    public func compare(to other: VersionVector) -> CausalOrder {
        var less = false, greater = false
        for (replica, counter) in counters {
            let theirs = other[replica]
            if counter > theirs { greater = true } else if counter < theirs { less = true }
        }
        for (replica, counter) in other.counters where counters[replica] == nil && counter > 0 {
            less = true
        }
        switch (less, greater) {
        case (false, false): return .equal
        case (true, false): return .before
        case (false, true): return .after
        case (true, true): return .concurrent
        }
    }

    /// Sum of all counters: a cheap size figure for progress and tests.
    public var total: UInt64 { counters.values.reduce(0, &+) }
}

extension VersionVector: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: UInt64].self)
        var counters: [ReplicaID: UInt64] = [:]
        for (key, value) in raw {
            guard let replica = ReplicaID(key) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "version vector key is not a replica ID: \(key.prefix(40).debugDescription)")
            }
            guard value > 0, value < UInt64(1) << 53 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "version counter out of range (1...2^53-1): \(value)")
            }
            counters[replica] = value
        }
        self.counters = counters
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: counters.map { ($0.key.rawValue, $0.value) }))
    }
}
