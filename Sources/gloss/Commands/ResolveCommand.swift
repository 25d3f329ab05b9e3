import ArgumentParser
import Foundation
import GlossCore
import GlossStore

/// `gloss resolve`: settle a conflict with one local write that covers every competing value.
struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a conflict; with no ID, walk through open conflicts on a terminal.",
        discussion: """
            Resolving is an ordinary local write that covers every competing value, so once \
            synced the conflict is gone on every replica. Give exactly one of the strategy flags.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The conflict ID (from `gloss conflicts`), RECORD/FIELD, or a record ID. Omit it to walk through conflicts interactively.")
    var id: String?

    @Option(name: .long, help: "The field, when a record ID has several conflicts.")
    var field: String?

    @Flag(name: .long, help: "Keep the value this replica wrote.")
    var ours = false
    @Flag(name: .long, help: "Keep the other value (when there are exactly two).")
    var theirs = false
    @Option(name: .long, help: ArgumentHelp("Keep the value a replica wrote (its name or ID prefix).", valueName: "replica"))
    var pick: String?
    @Option(name: .long, help: ArgumentHelp("Store this value instead.", valueName: "text"))
    var value: String?
    @Flag(name: .long, help: "Edit the competing versions in $VISUAL/$EDITOR; what you save becomes the value.")
    var edit = false
    @Flag(name: .long, help: "Three-way merge the text values against their common ancestor (refused when changes overlap).")
    var merge = false
    @Flag(name: .long, help: "Delete/edit conflict: restore the record, with the concurrent edit.")
    var keep = false
    @Flag(name: .long, help: "Delete/edit conflict: delete the record again, dropping the edit.")
    var delete = false

    /// The flags named in messages.
    static let flagList = "--ours, --theirs, --pick REPLICA, --value TEXT, --edit, --merge, --keep or --delete"

    func validate() throws {
        let chosen = [ours, theirs, pick != nil, value != nil, edit, merge, keep, delete].filter { $0 }.count
        if id != nil, chosen != 1 {
            throw ValidationError("give exactly one of \(Self.flagList) (got \(chosen))")
        }
        if id == nil, chosen > 0 {
            throw ValidationError("give the conflict ID to resolve (list them with `gloss conflicts`)")
        }
    }

    func run() throws {
        let store = try storeOptions.open()
        guard let id else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw GlossError(.invalidInput, "`gloss resolve` without an ID walks through conflicts interactively, which needs a terminal, and standard input is not one. Resolve non-interactively with `gloss resolve ID` and one of \(Self.flagList) (list IDs with `gloss conflicts`).")
            }
            return try InteractiveResolver(store: store).run()
        }
        let conflict = try store.conflict(matching: id, field: field)
        let formatter = try ConflictFormatter(store: store)
        let strategy: ResolutionStrategy
        if ours { strategy = .ours }
        else if theirs { strategy = .theirs }
        else if let pick { strategy = .pick(try conflict.replica(matching: pick, names: formatter.names)) }
        else if let value { strategy = .value(value) }
        else if edit { strategy = .edited(try EditorSession.edit(conflict, store: store, formatter: formatter)) }
        else if merge { strategy = .merge }
        else if keep { strategy = .keep }
        else { strategy = .delete }
        let outcome = try store.resolve(conflict, strategy: strategy)
        Self.report(outcome, formatter: formatter).forEach { print($0) }
    }

    /// What to tell the person after a resolution.
    static func report(_ outcome: ResolutionOutcome, formatter: ConflictFormatter) -> [String] {
        let plan = outcome.plan
        var lines: [String] = []
        switch plan.strategy {
        case .keep:
            lines.append("Resolved \(plan.conflict.id): kept \(ConflictFormatter.record(plan.conflict)) with the concurrent edit.")
            if !plan.restored.isEmpty {
                lines.append("Restored from before the delete: \(plan.restored.joined(separator: ", "))")
            } else {
                lines.append("No earlier state in local history: only the fields edited concurrently came back.")
            }
        case .delete:
            lines.append("Resolved \(plan.conflict.id): deleted \(ConflictFormatter.record(plan.conflict)), dropping the concurrent edit.")
        default:
            lines.append("Resolved \(plan.conflict.id): \(ConflictFormatter.record(plan.conflict)) \(plan.conflict.field) = \(ConflictFormatter.short(plan.chosen)) (\(plan.strategy.name), replacing \(plan.replaced.count) values).")
        }
        if !outcome.remaining.isEmpty {
            lines.append("Still open on this record: " + outcome.remaining.map { "\($0.id) (\($0.field))" }.joined(separator: ", "))
        }
        lines.append("Sync to share the resolution; the conflict then clears on every replica.")
        return lines
    }
}
