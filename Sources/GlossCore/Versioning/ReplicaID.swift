import Foundation

/// The identity of one replica (one store file): 128 random bits, written as 32 lowercase hex digits.
///
/// A replica ID is made once, when a store is created, and never reused: a store restored from a
/// copy must take a new one (`gloss rekey`), or counters would be reused and writes lost.
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32 lowercase hex digits.
    public let rawValue: String
    // The same 128 bits as integers: hashing and comparing these is much cheaper than the text,
    // and replica IDs are hashed on every merge.
    private let high: UInt64
    private let low: UInt64

    /// Validates `rawValue`: exactly 32 lowercase hex digits.
    public init?(_ rawValue: String) {
        var high: UInt64 = 0, low: UInt64 = 0, count = 0
        for byte in rawValue.utf8 {
            let nibble: UInt64
            switch byte {
            case 0x30...0x39: nibble = UInt64(byte - 0x30)
            case 0x61...0x66: nibble = UInt64(byte - 0x61 + 10)
            default: return nil
            }
            if count < 16 { high = high << 4 | nibble } else if count < 32 { low = low << 4 | nibble }
            count += 1
        }
        guard count == 32 else { return nil }
        self.rawValue = rawValue
        self.high = high
        self.low = low
    }

    public static func == (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.high == rhs.high && lhs.low == rhs.low }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
    }

    /// A new random replica ID.
    public static func random() -> ReplicaID {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let text = String(format: "%016llx%016llx", high, low)
        return ReplicaID(text)!
    }

    /// The first eight hex digits, for display.
    public var short: String { String(rawValue.prefix(8)) }

    public var description: String { rawValue }

    /// The same order as the hex text.
    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }
}

extension ReplicaID: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ReplicaID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "replica ID must be 32 lowercase hex digits, got \(text.prefix(40).debugDescription)")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
