/// One value of a field together with the write that made it.
///
/// A field normally holds one sibling; concurrent writes leave several (a conflict).
public struct Sibling: Hashable, Sendable {
    /// The value written.
    public let value: FieldValue
    /// The write that produced it.
    public let dot: Dot
    /// Wall-clock time of the write, in milliseconds since 1970 (informational only: never used to
    /// decide a merge).
    public let time: Int64

    /// A sibling holding `value` written at `dot` and `time`.
    public init(value: FieldValue, dot: Dot, time: Int64) {
        self.value = value
        self.dot = dot
        self.time = time
    }
}

extension Sibling: Codable {
    enum CodingKeys: String, CodingKey { case value = "v", replica = "r", counter = "n", time = "t" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        value = try c.decode(FieldValue.self, forKey: .value)
        let counter = try c.decode(UInt64.self, forKey: .counter)
        guard counter > 0, counter < UInt64(1) << 53 else {
            throw DecodingError.dataCorruptedError(
                forKey: .counter, in: c, debugDescription: "version counter out of range (1...2^53-1): \(counter)")
        }
        dot = Dot(replica: try c.decode(ReplicaID.self, forKey: .replica), counter: counter)
        time = try c.decode(Int64.self, forKey: .time)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)
        try c.encode(dot.replica, forKey: .replica)
        try c.encode(dot.counter, forKey: .counter)
        try c.encode(time, forKey: .time)
    }
}
