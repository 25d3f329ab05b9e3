import ArgumentParser
import Foundation
import GlossCore
import GlossStore

/// `gloss log [ID]`: who changed what and when, and the conflict resolutions made here.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the history of a record (or of the whole store): who changed which fields when, and resolutions.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "A record ID (or a unique prefix); omit for every record.")
    var id: String?

    @Option(name: .long, help: "Show at most this many entries (the newest).")
    var limit: Int = 50

    @Flag(name: .long, help: "Print the log as JSON.")
    var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let store = try storeOptions.openToRead()
        var recordID: String?
        if let id {
            if try store.record(id) != nil {
                recordID = id
            } else {
                let matches = try store.recordIDs(withPrefix: id)
                guard !matches.isEmpty else { throw GlossError(.notFound, "no record with ID \(id.debugDescription)") }
                guard matches.count == 1 else {
                    throw GlossError(.ambiguous, "\(id.debugDescription) matches several records: \(matches.prefix(5).joined(separator: ", ")); type more of the ID")
                }
                recordID = matches[0]
            }
        }
        let entries = try store.log(of: recordID, limit: limit)
        let names = try store.replicaNames()
        func who(_ r: ReplicaID) -> String { names[r].map { "\($0) (\(r.short))" } ?? r.short }
        if json { return try Output.json(entries.map { LogEntryJSON($0, names: names) }) }
        if entries.isEmpty { print("No history."); return }
        for entry in entries.reversed() {
            let authors = Set(entry.writes.map(\.dot.replica)).sorted()
            let time = entry.writes.compactMap(\.time).max() ?? entry.appliedAt
            let origin = entry.origin == "local" ? "written here"
                : entry.origin == "bundle" ? "from a bundle"
                : ReplicaID(entry.origin).map { "received from \(who($0))" } ?? "from \(entry.origin)"
            let label = entry.label.map { " " + ConflictFormatter.short(.string($0), width: 40) } ?? ""
            print("\(ConflictFormatter.time(time))  \(entry.kind.rawValue) \(entry.recordID)\(label)")
            print("    by \(authors.isEmpty ? "-" : authors.map(who).joined(separator: ", ")); \(origin) (seq \(entry.seq))")
            let change = entry.change
            if change.created { print("    created") }
            if change.deleted == true { print("    deleted") }
            if change.deleted == false { print("    restored (undeleted)") }
            for field in change.fields {
                if field.before.count == 1, field.after.count == 1, let old = field.before[0].string, let new = field.after[0].string,
                   ConflictFormatter.short(.string(old), width: 40) == ConflictFormatter.short(.string(new), width: 40) {
                    // The short forms look alike: show the first line that differs instead.
                    print("    \(field.field): edited \(Self.firstChange(old, new))")
                    continue
                }
                let before = field.before.map { ConflictFormatter.short($0, field: field.field, width: 40) }.joined(separator: " | ")
                let after = field.after.map { ConflictFormatter.short($0, field: field.field, width: 40) }.joined(separator: " | ")
                print("    \(field.field): \(before.isEmpty ? "(empty)" : before) -> \(after.isEmpty ? "(empty)" : after)")
            }
            for set in change.sets {
                print("    \(set.name): " + (set.added.map { "+\($0)" } + set.removed.map { "-\($0)" }).joined(separator: " "))
            }
            for field in change.conflictedFields { print("    CONFLICT on \(field) (see `gloss conflicts`)") }
            for field in change.resolvedFields { print("    conflict on \(field) settled") }
            if change.resolvedDeleteEdit { print("    delete/edit conflict settled") }
            for resolution in entry.resolutions {
                let replaced = resolution.replaced.map { "\(ConflictFormatter.short($0.value, field: resolution.field, width: 30)) by \(who($0.dot.replica))" }.joined(separator: ", ")
                let chosen = resolution.chosen.map { ", chose \(ConflictFormatter.short($0, field: resolution.field, width: 30))" } ?? ""
                print("    resolved \(resolution.field) by \(who(resolution.replica)) with --\(resolution.strategy)\(chosen); replaced \(replaced)")
            }
        }
    }
}

extension LogCommand {
    /// "line 5: \"Sources: RFE/RL, VICE.\"": where two texts first differ, for the log.
    static func firstChange(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false), b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        guard i < b.count else { return "(lines removed from line \(i + 1))" }
        return "line \(i + 1): " + ConflictFormatter.short(.string(String(b[i])), width: 40)
    }
}

/// The `--json` shape of a log entry.
struct LogEntryJSON: Encodable {
    struct Write: Encodable { let replica: String; let replicaName: String?; let counter: UInt64; let time: String? }
    struct Field: Encodable { let field: String; let before: [FieldValue]; let after: [FieldValue] }
    struct SetJSON: Encodable { let set: String; let added: [String]; let removed: [String] }
    struct ResolutionJSON: Encodable {
        let field: String; let replica: String; let replicaName: String?; let strategy: String
        let resolvedAt: String; let replaced: [ReplacedValue]; let chosen: FieldValue?
    }
    struct ReplacedValue: Encodable { let value: FieldValue; let replica: String; let replicaName: String?; let time: String }

    let record: String
    let kind: String
    let seq: Int64
    let appliedAt: String
    let origin: String
    let writes: [Write]
    let created: Bool
    let deleted: Bool?
    let fields: [Field]
    let sets: [SetJSON]
    let conflicted: [String]
    let settled: [String]
    let resolutions: [ResolutionJSON]

    init(_ entry: LogEntry, names: [ReplicaID: String]) {
        record = entry.recordID
        kind = entry.kind.rawValue
        seq = entry.seq
        appliedAt = ConflictFormatter.isoTime(entry.appliedAt)
        origin = entry.origin
        writes = entry.writes.map {
            Write(replica: $0.dot.replica.rawValue, replicaName: names[$0.dot.replica], counter: $0.dot.counter,
                  time: $0.time.map(ConflictFormatter.isoTime))
        }
        created = entry.change.created
        deleted = entry.change.deleted
        fields = entry.change.fields.map { Field(field: $0.field, before: $0.before, after: $0.after) }
        sets = entry.change.sets.map { SetJSON(set: $0.name, added: $0.added, removed: $0.removed) }
        conflicted = entry.change.conflictedFields
        settled = entry.change.resolvedFields + (entry.change.resolvedDeleteEdit ? [Record.deletedField] : [])
        resolutions = entry.resolutions.map { r in
            ResolutionJSON(
                field: r.field, replica: r.replica.rawValue, replicaName: names[r.replica], strategy: r.strategy,
                resolvedAt: ConflictFormatter.isoTime(r.resolvedAt),
                replaced: r.replaced.map {
                    ReplacedValue(value: $0.value, replica: $0.dot.replica.rawValue, replicaName: names[$0.dot.replica],
                                  time: ConflictFormatter.isoTime($0.time))
                },
                chosen: r.chosen)
        }
    }
}
