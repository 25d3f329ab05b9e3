import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store (.gloss/) in the current folder, with a new replica ID.",
        discussion: "Refuses, changing nothing, when a store already exists there.")

    @Option(name: .long, help: ArgumentHelp("Create the store here instead (a folder or a file path).", valueName: "path"))
    var store: String?

    @Option(name: .long, help: "A name for this replica, shown to peers in history (default: user@host).")
    var name: String?

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let file: URL
        if let store {
            file = StoreLocation.file(forExplicitPath: store, relativeTo: cwd)
        } else {
            file = cwd.appendingPathComponent(StoreLocation.folderName).appendingPathComponent(StoreLocation.fileName)
        }
        let created = try ReplicaStore.create(at: file, name: name)
        print("Created a Gloss store at \(file.deletingLastPathComponent().path)")
        print("Replica \(created.replicaID.rawValue) (\(created.name))")
    }
}
