import ArgumentParser
import Foundation
import GlossCore
import GlossStore
import GlossSync

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Carry changes in a file, for replicas with no network between them.",
        subcommands: [Create.self, Apply.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Write this replica's changes to a file (all of them, or what a remote has not acknowledged).")

        @OptionGroup var storeOptions: StoreOptions
        @Option(name: .customLong("for"), help: "Only changes the remote has not acknowledged, leaving out what it sent.")
        var remote: String?
        @Argument(help: "The bundle file to write.") var file: String
        @Flag(name: .long, help: "Print a JSON summary.") var json = false

        func run() throws {
            let store = try storeOptions.openToRead()
            var peer: ReplicaID?
            if let remote {
                guard let saved = try store.remotes().first(where: { $0.name == remote }) else {
                    throw GlossError(.notFound, "no remote named \(remote.debugDescription); see `gloss remote list`")
                }
                guard let id = saved.peerID.flatMap(ReplicaID.init) else {
                    throw GlossError(.notFound, "remote \(remote) has never synced, so its progress is unknown; write a full bundle (without --for)")
                }
                peer = id
            }
            let summary = try SyncBundle.create(from: store, for: peer, to: URL(fileURLWithPath: file))
            if json { return try Output.json(summary) }
            print("Wrote \(summary.records) records to \(file) (\(SyncCommand.formatBytes(summary.bytes)))")
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Merge a bundle file into this replica (checked first; applying twice is harmless).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The bundle file to read.") var file: String
        @Flag(name: .long, help: "Print a JSON summary.") var json = false

        func run() throws {
            let store = try storeOptions.open()
            let summary = try SyncBundle.apply(URL(fileURLWithPath: file), to: store)
            if summary.changed > 0 { try store.updateSearchIndex() }  // now, not in the next search
            if json { return try Output.json(summary) }
            var line = "Applied \(file): \(summary.records) records, \(summary.changed) changed, \(summary.newConflicts) record\(summary.newConflicts == 1 ? "" : "s") newly in conflict"
            if summary.newConflicts > 0 { line += " (see them with `gloss conflicts`)" }
            print(line)
        }
    }
}
