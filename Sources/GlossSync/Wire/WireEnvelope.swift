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
}
