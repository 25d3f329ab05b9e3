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

    /// The status as JSON: the store's fields, and `remotes`, each with its name, when it last
    /// synced (ISO 8601, absent when never), whether a sync with it stopped part-way
    /// (`partlySynced`, see `RemoteSyncState`) and how many records the next sync would send.
    struct StatusJSON: Encodable {
        struct RemoteJSON: Encodable {
            let name: String
            let lastSync: String?
            let partlySynced: Bool
            let toSend: Int
        }
        let status: StoreStatus
        let remotes: [RemoteJSON]

        enum Key: String, CodingKey { case remotes }

        func encode(to encoder: any Encoder) throws {
            try status.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(remotes, forKey: .remotes)
        }
    }

    func run() throws {
        let store = try storeOptions.openToRead()
        let status = try store.status()
        let remotes = try store.remotes().map { ($0, try store.syncState(with: $0)) }
        if json {
            return try Output.json(StatusJSON(status: status, remotes: remotes.map { remote, state in
                StatusJSON.RemoteJSON(
                    name: remote.name, lastSync: state.lastSyncISO, partlySynced: state.partlySynced, toSend: state.toSend)
            }))
        }
        print("Replica   \(status.replicaID.rawValue) (\(status.name))")
        print("Store     \(store.fileURL.path)\(ReadOnlyStore.isReadOnly(store.fileURL) ? " (read-only)" : "")")
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
        for (remote, state) in remotes {
            print("Remote    \(remote.name): \(state.text)")
        }
        if status.rekeyRequired {
            print("WARNING   this store must take a new replica ID before writing: run `gloss rekey`")
            if let reason = status.rekeyReason, !reason.isEmpty {
                print("          why: \(TerminalText.escapingControls(reason))")
            }
        }
    }
}
