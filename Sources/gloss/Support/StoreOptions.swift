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

    /// Opens the store for a command that changes it, with a clear error when there is none,
    /// it is not usable, or this user cannot write it (before anything is changed).
    func open() throws -> ReplicaStore {
        try Self.open(storeFile())
    }

    /// Opens the store for a command that only reads it. A store this user cannot write (a
    /// colleague's store copied from a read-only share, `chmod -w`) is read from a private
    /// copy (see `ReadOnlyStore`); any other is opened as `open` opens it.
    func openToRead() throws -> ReplicaStore {
        let file = try storeFile()
        return ReadOnlyStore.isReadOnly(file) ? try ReplicaStore.openReadOnly(at: file) : try Self.open(file)
    }

    /// Opens the store at `file`, saying so on standard error when it must first be upgraded
    /// from an older gloss's format (once; on a large store it takes a while). Refuses a store
    /// this user cannot write: every change would fail, some only after part of the work.
    static func open(_ file: URL) throws -> ReplicaStore {
        if ReadOnlyStore.isReadOnly(file) {
            throw GlossError(
                .readOnlyStore,
                "the store at \(file.path) is read-only (this user cannot write its file or its folder); nothing was changed. Commands that only read it (show, search, status, log, export…) work. To change it: if it is yours, make its folder and files writable again; if it is a copy of someone else's, copy its folder somewhere writable and run `gloss rekey` in the copy.")
        }
        return try ReplicaStore.open(at: file, willUpgrade: {
            Output.note("upgrading the store at \(file.path) to this gloss's format (once; a large store takes a while)…")
        })
    }
}
