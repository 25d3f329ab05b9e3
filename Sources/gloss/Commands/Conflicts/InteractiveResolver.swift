import Foundation
import GlossCore
import GlossStore

/// `gloss resolve` on a terminal: shows each open conflict and asks what to do with it.
struct InteractiveResolver {
    let store: ReplicaStore

    private static let help = "show (s), ours (o), theirs (t), pick REPLICA (p), value TEXT (v), edit (e), merge (m), keep (k), delete (d), skip (n), quit (q)"

    func run() throws {
        var skipped: Set<String> = []
        var resolved = 0
        var quit = false
        while !quit {
            let formatter = try ConflictFormatter(store: store)
            let open = try store.openConflicts()
            guard let conflict = open.first(where: { !skipped.contains($0.id) }) else { break }
            let position = open.count - open.filter { !skipped.contains($0.id) }.count + 1
            say("")
            say("Conflict \(position) of \(open.count)")
            formatter.summary(conflict).forEach(say)
            var done = false
            while !done {
                prompt(conflict.kind == .deleteEdit ? "keep, delete, show, skip or quit? " : "ours, theirs, pick, value, edit, merge, show, skip or quit? ")
                guard let line = readLine() else {
                    quit = true
                    break
                }
                let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
                let command = words.first?.lowercased() ?? ""
                let argument = words.count > 1 ? words[1] : nil
                do {
                    var strategy: ResolutionStrategy?
                    switch command {
                    case "s", "show":
                        let before = try store.stateBeforeDelete(of: conflict)
                        formatter.details(conflict, ancestor: try store.ancestor(of: conflict), beforeDelete: before, color: Output.useColor)
                            .forEach(say)
                    case "o", "ours": strategy = .ours
                    case "t", "theirs": strategy = .theirs
                    case "p", "pick":
                        let who = try argument ?? ask("replica (name or ID prefix): ")
                        strategy = .pick(try conflict.replica(matching: who, names: formatter.names))
                    case "v", "value": strategy = .value(try argument ?? ask("value: "))
                    case "e", "edit": strategy = .edited(try EditorSession.edit(conflict, store: store, formatter: formatter))
                    case "m", "merge": strategy = .merge
                    case "k", "keep": strategy = .keep
                    case "d", "delete": strategy = .delete
                    case "n", "skip", "next":
                        skipped.insert(conflict.id)
                        done = true
                    case "q", "quit":
                        quit = true
                        done = true
                    case "": break
                    default: say("Unknown answer \(command.debugDescription). Answers: \(Self.help)")
                    }
                    if let strategy {
                        let outcome = try store.resolve(conflict, strategy: strategy)
                        ResolveCommand.report(outcome, formatter: formatter).dropLast().forEach(say)
                        resolved += 1
                        done = true
                    }
                } catch let error as GlossError {
                    say("Not resolved: \(error.message)")
                }
            }
        }
        let left = try store.openConflicts().count
        say("")
        say("Resolved \(resolved), skipped \(skipped.count); \(left) conflict\(left == 1 ? "" : "s") still open." + (resolved > 0 ? " Sync to share the resolutions." : ""))
    }

    private func say(_ line: String) { print(line) }

    private func prompt(_ text: String) {
        print(text, terminator: "")
        fflush(nil)  // flushes stdout without touching the C global (not concurrency-safe in Swift 6)
    }

    private func ask(_ text: String) throws -> String {
        prompt(text)
        guard let line = readLine(), !line.isEmpty else { throw GlossError(.invalidInput, "no answer given") }
        return line
    }
}
