import Foundation
import GlossCore

/// Reading input files with clear errors.
enum FileInput {
    /// The document text of the file at `path` (see `ImportedText.decode`).
    static func text(_ path: String) throws -> String {
        try ImportedText.decode(try data(path), name: path)
    }

    /// The bytes of `path` ("-" for standard input).
    static func data(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GlossError(.notFound, "cannot read \(path): no such file; nothing was imported")
        }
        if isDirectory.boolValue { throw GlossError(.invalidInput, "\(path) is a folder, not a file; nothing was imported") }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw GlossError(.io, "cannot read \(path) (permission denied or unreadable); nothing was imported")
        }
    }
}
