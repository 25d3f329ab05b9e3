import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A folder whose files the `gloss` processes a test runs can read but not write, as a store
/// copied from a read-only share or after `chmod -R a-w` is.
///
/// `chmod` alone does that for an ordinary user. Root ignores permissions, so when the tests run
/// as root (as in CI containers) the folder is also handed to `nobody` and `run` runs gloss as
/// `nobody` through `setpriv`: the same permission checks an analyst's process meets. `undo()`
/// gives the folder back (writable, owned as before) so the test can remove it.
public struct ReadOnlyFolder: Sendable {
    /// The uid and gid of `nobody`, who runs gloss when the tests run as root.
    static let nobody: (uid: uid_t, gid: gid_t) = (65534, 65534)
    static let setpriv = "/usr/bin/setpriv"

    /// The folder.
    public let url: URL
    private let owner: (uid: uid_t, gid: gid_t)
    private let asRoot: Bool

    /// Why read-only folders cannot be made here, or nil when they can: root without `setpriv`
    /// cannot run gloss as a user whom permissions stop.
    public static var unavailable: String? {
        geteuid() == 0 && !FileManager.default.isExecutableFile(atPath: setpriv)
            ? "the tests run as root, whom file permissions do not stop, and \(setpriv) (to run gloss as another user) is missing"
            : nil
    }

    /// Makes `url` (a folder) and everything in it read-only for `run`.
    public init(_ url: URL) throws {
        self.url = url
        asRoot = geteuid() == 0
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw ReadOnlyFolderError(message: "cannot stat \(url.path)") }
        owner = (info.st_uid, info.st_gid)
        try each { path, isFolder in
            if asRoot, chown(path, Self.nobody.uid, Self.nobody.gid) != 0 { throw ReadOnlyFolderError(message: "cannot chown \(path)") }
            // Readable (and the folders searchable) by their owner only: a store's own modes.
            guard chmod(path, isFolder ? 0o500 : 0o400) == 0 else { throw ReadOnlyFolderError(message: "cannot chmod \(path)") }
        }
    }

    /// Runs `gloss args…` as a user who cannot write the folder.
    public func run(_ args: [String], cwd: URL) throws -> GlossBinary.Result {
        let launcher = asRoot
            ? [Self.setpriv, "--reuid=\(Self.nobody.uid)", "--regid=\(Self.nobody.gid)", "--clear-groups"]
            : []
        return try GlossBinary.run(args, cwd: cwd, input: nil, launcher: launcher)
    }

    /// Makes the folder and its files writable by their owner again, owned as before.
    public func undo() {
        try? each { path, isFolder in
            if asRoot { _ = chown(path, owner.uid, owner.gid) }
            _ = chmod(path, isFolder ? 0o700 : 0o600)
        }
    }

    /// Runs `body` on everything in the folder, deepest first, then on the folder itself (so
    /// a folder is changed after what it holds).
    private func each(_ body: (String, Bool) throws -> Void) throws {
        var paths: [(String, Bool)] = []
        if let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let item as URL in walker {
                paths.append((item.path, (try? item.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true))
            }
        }
        for (path, isFolder) in paths.sorted(by: { $0.0.count > $1.0.count }) { try body(path, isFolder) }
        try body(url.path, true)
    }
}

/// A read-only folder could not be made.
public struct ReadOnlyFolderError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
