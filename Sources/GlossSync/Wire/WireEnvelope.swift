import Foundation
import GlossCore

/// What every sync body shares: a JSON object with a `protocol` member.
enum WireEnvelope {
    /// The body's declared protocol version, read before anything else so that a body from a
    /// newer (or older) gloss is refused as a version mismatch, not as malformed, whatever its
    /// other members hold. The body must be well-formed JSON (checked here) but nothing more.
    static func protocolVersion(of body: Data) throws -> Int {
        if JSONNesting.isTooDeep(body) {
            throw GlossError(.invalidInput, "JSON nested deeper than \(JSONNesting.maxDepth) levels")
        }
        let declared: Int64? = try JSONReader.read(body) { reader in
            var version: Int64?
            try reader.object { reader, key in
                if key == "protocol" { version = try reader.int64() } else { try reader.skipValue() }
            }
            return version
        }
        guard let declared else { throw GlossError(.invalidInput, "protocol is missing") }
        guard let version = Int(exactly: declared) else { throw GlossError(.invalidInput, "protocol out of range") }
        return version
    }

    /// The protocol version when the body starts with it as a server writes it
    /// (`{"protocol":N,` exactly, N of 1-9 digits), else nil (then use `protocolVersion(of:)`).
    /// Reads the first bytes only: the caller parses the whole body anyway, so malformed JSON
    /// after them is still refused.
    static func leadingProtocolVersion(of body: Data) -> Int? {
        let prefix = Array("{\"protocol\":".utf8)
        return body.withUnsafeBytes { raw -> Int? in
            guard raw.count > prefix.count + 1, raw.prefix(prefix.count).elementsEqual(prefix) else { return nil }
            var version = 0
            var index = prefix.count
            while index < raw.count, index - prefix.count < 9, (0x30...0x39).contains(raw[index]) {
                version = version * 10 + Int(raw[index] - 0x30)
                index += 1
            }
            guard index > prefix.count, index < raw.count, raw[index] == UInt8(ascii: ","), raw[prefix.count] != 0x30 || index == prefix.count + 1
            else { return nil }
            return version
        }
    }
}
