/// A value held by a record field: text, an integer or a flag.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case bool(Bool)

    /// The text, when this is a string.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer, when this is an integer.
    public var int: Int64? { if case .int(let i) = self { return i } else { return nil } }
    /// The flag, when this is a flag.
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        }
    }
}

extension FieldValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "field value must be a string, an integer or a boolean")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .int(let i): try container.encode(i)
        case .bool(let b): try container.encode(b)
        }
    }
}
