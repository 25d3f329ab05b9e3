import Foundation
import GlossCore

/// Where a store lives: a `.gloss` folder holding `gloss.sqlite`, found like git finds `.git`.
public enum StoreLocation {
    /// The folder `gloss init` creates.
    public static let folderName = ".gloss"
    /// The SQLite file inside it.
    public static let fileName = "gloss.sqlite"
    /// The environment variable that names a store.
    public static let environmentVariable = "GLOSS_STORE"

    /// The SQLite file for an explicit `--store` or `GLOSS_STORE` path: a `.gloss` folder (also
    /// one not made yet: `gloss init --store x/.gloss` makes the folder, as `gloss init` does), a
    /// folder holding one, or the SQLite file itself.
    public static func file(forExplicitPath path: String, relativeTo cwd: URL) -> URL {
        let url = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return url.lastPathComponent == folderName ? url.appendingPathComponent(fileName) : url
        }
        guard isDirectory.boolValue else { return url }
        let nested = url.appendingPathComponent(folderName)
        if FileManager.default.fileExists(atPath: nested.path, isDirectory: &isDirectory) {
            // A `.gloss` that is a file is a store an earlier build made there.
            return isDirectory.boolValue ? nested.appendingPathComponent(fileName) : nested
        }
        return url.appendingPathComponent(fileName)
    }

    /// Finds the store to use: `explicit` (from `--store`), else `GLOSS_STORE`, else the nearest
    /// `.gloss` folder walking up from `cwd`.
    public static func resolve(explicit: String?, environment: [String: String], cwd: URL) throws -> URL {
        if let explicit, !explicit.isEmpty { return file(forExplicitPath: explicit, relativeTo: cwd) }
        if let fromEnv = environment[environmentVariable], !fromEnv.isEmpty {
            return file(forExplicitPath: fromEnv, relativeTo: cwd)
        }
        var folder = cwd.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(folderName)
            if FileManager.default.fileExists(atPath: candidate.path) {
                return candidate.appendingPathComponent(fileName)
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw GlossError(
            .storeNotFound,
            "no Gloss store here or in any parent folder (looked for \(folderName) from \(cwd.path)). Run `gloss init` to create one, or pass --store PATH / set GLOSS_STORE.")
    }
}
