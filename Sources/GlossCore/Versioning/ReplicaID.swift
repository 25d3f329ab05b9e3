import Foundation

/// The identity of one replica (one store file): 128 random bits, written as 32 lowercase hex digits.
///
/// A replica ID is made once, when a store is created, and never reused: a store restored from a
/// copy must take a new one (`gloss rekey`), or counters would be reused and writes lost.
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32 lowercase hex digits.
    public let rawValue: String

    /// Validates `rawValue`: exactly 32 lowercase hex digits.
    public init?(_ rawValue: String) {
        guard rawValue.utf8.count == 32,
              rawValue.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.rawValue = rawValue
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

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.rawValue < rhs.rawValue }
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
