import ArgumentParser
import Foundation
import GlossCore
import GlossStore

/// `gloss conflicts`: list open conflicts; `gloss conflicts show ID`: one in full.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List open conflicts (concurrent edits of one field, or a delete that met an edit).",
        discussion: "Conflict IDs are the same on every replica. Resolve one with `gloss resolve ID`.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List every open conflict: record, field, competing values, who wrote each and when.")

        @OptionGroup var storeOptions: StoreOptions

        @Flag(name: .long, help: "Print the conflicts as JSON.")
        var json = false

        func run() throws {
            let store = try storeOptions.openToRead()
            let conflicts = try store.openConflicts()
            let formatter = try ConflictFormatter(store: store)
            if json { return try Output.json(conflicts.map { ConflictJSON($0, formatter: formatter) }) }
            guard !conflicts.isEmpty else {
                print("No open conflicts.")
                return
            }
            print("\(conflicts.count) open conflict\(conflicts.count == 1 ? "" : "s"):")
            for conflict in conflicts {
                print("")
                formatter.summary(conflict).forEach { print($0) }
            }
            print("")
            print("See one in full: gloss conflicts show ID. Resolve: gloss resolve ID --ours|--theirs|--pick REPLICA|--value TEXT|--edit|--merge (--keep|--delete for delete/edit), or `gloss resolve` to walk through them.")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one conflict: every value with who wrote it and when, a diff, and the common ancestor.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The conflict ID (from `gloss conflicts`), RECORD/FIELD, or a record ID.")
        var id: String

        @Option(name: .long, help: "The field, when a record ID has several conflicts.")
        var field: String?

        @Flag(name: .long, help: "Print the conflict as JSON.")
        var json = false

        func run() throws {
            let store = try storeOptions.openToRead()
            let conflict = try store.conflict(matching: id, field: field)
            let formatter = try ConflictFormatter(store: store)
            let ancestor = try store.ancestor(of: conflict)
            if json { return try Output.json(ConflictJSON(conflict, formatter: formatter, ancestor: ancestor)) }
            let before = try store.stateBeforeDelete(of: conflict)
            formatter.details(conflict, ancestor: ancestor, beforeDelete: before, color: Output.useColor).forEach { print($0) }
        }
    }
}
