import Foundation

/// A guard run on every JSON body from a peer before Foundation parses it.
///
/// Foundation's JSON parser (swift-foundation's `JSONScanner`, Swift 6.3 on Linux) stops at 512
/// levels of nesting, but when that limit is reached exactly at the end of the input (a body of
/// 513 `[` and nothing else) it traps while building the error, killing the whole process: one
/// 513-byte request could take a `gloss serve` down. Sync bodies are at most 7 levels deep, so
/// anything deeper than `maxDepth` is refused here, cheaply, before the parser sees it.
public enum JSONNesting {
    /// The deepest nesting of arrays and objects accepted.
    public static let maxDepth = 64

    /// True when `data` nests arrays or objects deeper than `maxDepth` (brackets inside strings
    /// do not count).
    public static func isTooDeep(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var depth = 0
            var inString = false
            var escaped = false
            for byte in raw {
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > maxDepth { return true }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            }
            return false
        }
    }

    /// Decodes `type` from `data` with `JSONDecoder`, refusing too-deep input first (as a
    /// `DecodingError.dataCorrupted`, like any other malformed JSON).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if isTooDeep(data) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [], debugDescription: "JSON nested deeper than \(maxDepth) levels"))
        }
        return try JSONDecoder().decode(type, from: data)
    }
}
