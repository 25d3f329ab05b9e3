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
        var text = rawValue
        guard let (high, low) = text.withUTF8({ ReplicaID.bits($0) }) else { return nil }
        self.init(validatedHex: rawValue, high: high, low: low)
    }

    /// An ID whose text was already checked by `bits` (the record codec's fast path).
    init(validatedHex rawValue: String, high: UInt64, low: UInt64) {
        self.rawValue = rawValue
        self.high = high
        self.low = low
    }

    /// The 128 bits of exactly 32 lowercase hex digits; nil for anything else.
    static func bits(_ utf8: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard utf8.count == 32 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for (index, byte) in utf8.enumerated() {
            let nibble: UInt64
            switch byte {
            case 0x30...0x39: nibble = UInt64(byte - 0x30)
            case 0x61...0x66: nibble = UInt64(byte - 0x61 + 10)
            default: return nil
            }
            if index < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
        }
        return (high, low)
    }

    /// True when this ID's bits are `high` and `low`.
    func hasBits(_ high: UInt64, _ low: UInt64) -> Bool { self.high == high && self.low == low }

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
