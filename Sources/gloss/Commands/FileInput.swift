import Foundation
import GlossCore

/// Reading input files with clear errors.
enum FileInput {
    /// The document text of the file at `path` (see `ImportedText.decode`).
    static func text(_ path: String) throws -> String {
        try ImportedText.decode(try data(path), name: path)
    }

    /// The bytes of `path` ("-" for standard input), at most `ImportedText.maxBytes`.
    static func data(_ path: String) throws -> Data {
        let limit = ImportedText.maxBytes
        if path == "-" { return try read(FileHandle.standardInput, name: "standard input", limit: limit) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GlossError(.notFound, "cannot read \(path): no such file; nothing was imported")
        }
        if isDirectory.boolValue { throw GlossError(.invalidInput, "\(path) is a folder, not a file; nothing was imported") }
        // What a symbolic link names, not the link.
        let attributes = (try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)) ?? [:]
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            // A device or a pipe may never end (/dev/zero) or never start (a FIFO nobody writes).
            throw GlossError(.invalidInput, "\(path) is not a regular file (a device, pipe or socket); nothing was imported")
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > limit {
            throw ImportedText.tooLarge(path, bytes: size)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GlossError(.io, "cannot read \(path) (permission denied or unreadable); nothing was imported")
        }
        defer { try? handle.close() }
        return try read(handle, name: path, limit: limit)
    }

    /// Reads to the end, refusing more than `limit` bytes (a file may grow while it is read).
    private static func read(_ handle: FileHandle, name: String, limit: Int) throws -> Data {
        do {
            var data = Data()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                data.append(chunk)
                if data.count > limit { throw ImportedText.tooLarge(name, bytes: nil) }
            }
            return data
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.io, "cannot read \(name) (permission denied or unreadable); nothing was imported")
        }
    }
}
