import ArgumentParser
import Foundation
import GlossCore
import GlossStore

/// The `--store` option shared by every command that works on a store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store to use: a .gloss folder, a folder holding one, or the store file. Default: GLOSS_STORE, else the nearest .gloss folder from here up.",
            valueName: "path"))
    var store: String?

    /// The store's SQLite file, resolved from --store, GLOSS_STORE or the current folder.
    func storeFile() throws -> URL {
        try StoreLocation.resolve(
            explicit: store, environment: ProcessInfo.processInfo.environment,
            cwd: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// Opens the store, with a clear error when there is none or it is not usable.
    func open() throws -> ReplicaStore {
        try Self.open(storeFile())
    }

    /// Opens the store at `file`, saying so on standard error when it must first be upgraded
    /// from an older gloss's format (once; on a large store it takes a while).
    static func open(_ file: URL) throws -> ReplicaStore {
        try ReplicaStore.open(at: file, willUpgrade: {
            Output.note("upgrading the store at \(file.path) to this gloss's format (once; a large store takes a while)…")
        })
    }
}
