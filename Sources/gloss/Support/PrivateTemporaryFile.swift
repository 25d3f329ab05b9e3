import Foundation
import GlossCore

/// A temporary file only its owner can read: the texts handed to an editor (notes, other
/// analysts' conflicting values) are as private as the store they come from (itself 0600).
enum PrivateTemporaryFile {
    /// Writes `text` to a new file named `prefix`-random.`suffix` in the temporary folder.
    static func write(_ text: String, prefix: String, suffix: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8)).\(suffix)")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw GlossError(.io, "cannot write the temporary file \(file.path)")
        }
        return file
    }
}
