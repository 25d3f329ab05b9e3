import Foundation
import ArgumentParser
import GlossCore
import GlossStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this replica's ID, record counts by kind, open conflicts, and what each remote has yet to receive.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Print the status as JSON.")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let status = try store.status()
        if json { return try Output.json(status) }
        print("Replica   \(status.replicaID.rawValue) (\(status.name))")
        print("Store     \(store.fileURL.path)")
        for kind in RecordKind.allCases {
            let label = kind.rawValue + "s"
            print("\(label.padding(toLength: 12, withPad: " ", startingAt: 0))\(status.counts[kind.rawValue] ?? 0)")
        }
        if status.conflicts > 0 {
            print("Conflicts \(status.conflicts) open: see them with `gloss conflicts`")
        } else {
            print("Conflicts none")
        }
        // Whether this replica's work has gone out: per remote, what the next sync would send.
        for remote in try store.remotes() {
            print("Remote    \(remote.name): \(try store.syncState(with: remote).text)")
        }
        if status.rekeyRequired {
            print("WARNING   this store's counters went back (restored or copied); run `gloss rekey` before writing")
        }
    }
}
