import Foundation
import GlossCore

/// Command-line arguments must be UTF-8 text. Swift's `CommandLine.arguments` repairs invalid
/// bytes into U+FFFD, so a comment typed in a Latin-1 terminal would be stored with replacement
/// characters instead of being refused (the same bytes in a file are refused).
enum ArgumentEncoding {
    /// Throws for the first argument that is not valid UTF-8, naming it and its bad bytes.
    static func check() throws {
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index] else { continue }
            if String(validatingCString: raw) != nil { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
            let shown = String(decoding: bytes, as: UTF8.self)
            throw GlossError(
                .invalidInput,
                "argument \(index) is not UTF-8 text (\(shown.prefix(60).debugDescription)); set your terminal to UTF-8 or convert it. Nothing was changed.")
        }
    }
}
