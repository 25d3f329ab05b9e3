import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Manage the peers this replica syncs with.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add (or replace) a remote: a name for a peer's URL and token.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "A short name (letters, digits, - _ .).") var name: String
        @Argument(help: "The peer's URL, e.g. http://hub.example:8080") var url: String
        @Option(name: .long, help: "The token the peer expects (stored in the store file).") var token: String?

        func validate() throws {
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw ValidationError("a remote name is 1-64 letters, digits, '-', '_' or '.'")
            }
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", parsed.host != nil
            else { throw ValidationError("\(url.debugDescription) is not an http:// or https:// URL") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let previous = try store.remotes().first { $0.name == name }
            try store.saveRemote(Remote(name: name, url: url, token: token, peerID: previous?.url == url ? previous?.peerID : nil))
            print("\(previous == nil ? "Added" : "Updated") remote \(name) -> \(url)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List remotes (tokens are not shown), with when each last synced and how many records the next sync would send.")

        @OptionGroup var storeOptions: StoreOptions
        @Flag(name: .long, help: "Print as JSON.") var json = false

        struct Entry: Encodable {
            let name: String
            let url: String
            let hasToken: Bool
            let peerID: String?
            /// ISO 8601; nil when never synced.
            let lastSync: String?
            /// A sync stopped part-way (see `RemoteSyncState.partlySynced`); `lastSync` is then
            /// when its last batch was stored.
            let partlySynced: Bool
            let toSend: Int
        }

        func run() throws {
            let store = try storeOptions.openToRead()
            let remotes = try store.remotes()
            let states = try remotes.map { try store.syncState(with: $0) }
            if json {
                return try Output.json(zip(remotes, states).map { remote, state in
                    Entry(
                        name: remote.name, url: remote.url, hasToken: remote.token != nil, peerID: remote.peerID,
                        lastSync: state.lastSyncISO, partlySynced: state.partlySynced, toSend: state.toSend)
                })
            }
            if remotes.isEmpty { Output.note("no remotes; add one with `gloss remote add NAME URL`") }
            for (remote, state) in zip(remotes, states) {
                print("\(remote.name)\t\(remote.url)\(remote.token == nil ? "" : "\t(token)")\t\(state.text)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a remote (sync progress with that peer is kept).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The remote's name.") var name: String

        func run() throws {
            guard try storeOptions.open().removeRemote(named: name) else {
                throw GlossError(.notFound, "no remote named \(name.debugDescription); see `gloss remote list`")
            }
            print("Removed remote \(name)")
        }
    }
}
