import Foundation
import GlossCore
import GlossStore
import GlossTestSupport

/// Mode (d) of the crash harness: purely local CLI writes. One `gloss import` of 40 new text
/// files, then `gloss annotate` and `gloss note add` in turn, run one after another as a
/// script would; SIGKILL lands at a random point of that sequence.
extension CrashConsistencyTests {
    static let localFiles = 40
    static let localPairs = 6

    /// Counts in a store after a round of (d).
    struct LocalCounts: Equatable {
        /// Documents from this round's 40-file import (all or nothing).
        var imported: Int
        var annotations: Int
        var notes: Int
    }

    /// A fresh store holding the document the annotations go on; returns the document's ID.
    static func makeLocalWriteStore(_ file: URL, name: String) throws -> String {
        let store = try ReplicaStore.create(at: file, name: name)
        defer { try? store.close() }
        let text = "# Passages\n\n" + (0..<localPairs).map { "Passage \($0): the base at Hmeimim, item \($0).\n" }.joined()
        guard case .imported(let document, _)? = try store.importDocuments([ImportItem(name: "base", text: text, source: DocumentSource())]).first else {
            throw ServeProcessError(message: "the base document was not imported")
        }
        return document.id
    }

    /// The commands of one round: the import, then annotate and note add in turn.
    static func localWriteCommands(round: Int, folder: URL, store: URL, document: String) throws -> [[String]] {
        var files: [String] = []
        for i in 0..<localFiles {
            let url = folder.appendingPathComponent("file-\(i).txt")
            try Data("# Round \(round) file \(i)\n\nRussian forces begin drawdown in Syria; \(i * 37 + round) troops withdrawn.\n".utf8).write(to: url)
            files.append(url.path)
        }
        var commands = [["import", "--store", store.path, "--json"] + files]
        for i in 0..<localPairs {
            commands.append(["annotate", document, "--quote", "Passage \(i):", "--comment", "round \(round) comment \(i)", "--store", store.path, "--json"])
            commands.append(["note", "add", "--title", "Round \(round) note \(i)", "--body", "Body \(i)", "--store", store.path, "--json"])
        }
        return commands
    }

    static func localCounts(_ file: URL, round: Int) throws -> LocalCounts {
        try with(file) { store in
            LocalCounts(
                imported: try store.documents().filter { $0.title.hasPrefix("Round \(round) file ") }.count,
                annotations: try store.annotations().count, notes: try store.notes().count)
        }
    }

    /// What a finished command printed that it wrote but the store does not hold.
    static func acknowledgedLocalWritesMissing(_ finished: [KillableCommandSequence.Finished], in file: URL) throws -> [String] {
        try with(file) { store in
            var missing: [String] = []
            for command in finished {
                let json = try? JSONSerialization.jsonObject(with: Data(command.stdout.utf8))
                guard command.status == 0, let json else {
                    missing.append("gloss \(command.args[0]) exited \(command.status) before the kill: \(command.stdout.prefix(200))")
                    continue
                }
                switch command.args[0] {
                case "import":
                    for item in json as? [[String: String]] ?? [] {
                        guard let id = item["document"], let title = item["title"] else { continue }
                        if try store.record(id)?.string("title") != title { missing.append("acknowledged import of \(id) (\(title)) is missing") }
                    }
                default:
                    guard let id = (json as? [String: Any])?["id"] as? String, try store.record(id) != nil else {
                        missing.append("acknowledged \(command.args.prefix(2).joined(separator: " ")) is missing: \(command.stdout.prefix(200))")
                        continue
                    }
                }
            }
            return missing
        }
    }

    /// One round of (d): runs the sequence, kills it after `delay` seconds, checks, then re-runs
    /// what did not finish. Returns the command killed mid-run (nil if none), and the problems found.
    static func localWriteRound(round: Int, folder: URL, delay: Double) throws -> (killed: String?, problems: [String]) {
        let file = folder.appendingPathComponent("local.sqlite")
        let document = try makeLocalWriteStore(file, name: "local-\(round)")
        let commands = try localWriteCommands(round: round, folder: folder, store: file, document: document)
        let sequence = KillableCommandSequence(commands, cwd: folder)
        Thread.sleep(forTimeInterval: delay)
        let (finished, killed) = sequence.kill()

        var problems = try StoreInvariants.violations(at: file)
        problems += try acknowledgedLocalWritesMissing(finished, in: file)
        let counts = try localCounts(file, round: round)
        let importFinished = finished.contains { $0.args[0] == "import" }
        // A multi-file import is all or nothing (ImportCommand): never some of the 40 files.
        if counts.imported != 0 && counts.imported != localFiles { problems.append("the killed import left \(counts.imported) of \(localFiles) documents") }
        if importFinished && counts.imported != localFiles { problems.append("the acknowledged import left \(counts.imported) documents") }
        // Each finished command wrote once; the killed one wrote all of its record or nothing.
        for (kind, count) in [("annotate", counts.annotations), ("note", counts.notes)] {
            let acknowledged = finished.filter { $0.args[0] == kind }.count
            let extra = killed?.first == kind ? 1 : 0
            if !(acknowledged...(acknowledged + extra)).contains(count) {
                problems.append("\(count) records from `gloss \(kind)` after \(acknowledged) acknowledged runs (killed: \(killed?.first ?? "none"))")
            }
        }

        // The next run completes: the killed command again, then the rest.
        let rest = Array(commands[finished.count...])
        let rerun = KillableCommandSequence(rest, cwd: folder).wait()
        for command in rerun where command.status != 0 { problems.append("re-run of gloss \(command.args[0]) exited \(command.status)") }
        if rerun.count != rest.count { problems.append("only \(rerun.count) of \(rest.count) commands re-ran") }
        let final = try localCounts(file, round: round)
        let expected = LocalCounts(
            imported: localFiles, annotations: counts.annotations + rest.filter { $0[0] == "annotate" }.count,
            notes: counts.notes + rest.filter { $0[0] == "note" }.count)
        if final != expected { problems.append("after the re-run the store holds \(final), expected \(expected)") }
        problems += try acknowledgedLocalWritesMissing(rerun, in: file)
        problems += try StoreInvariants.violations(at: file)
        return (killed.map { $0[0] == "note" ? "note add" : $0[0] }, problems)
    }

    /// Seconds an uninterrupted round of (d) takes (in `folder`), and how far into it the
    /// import ends.
    static func timedLocalWriteRun(folder: URL) throws -> (total: Double, importEnds: Double) {
        let file = folder.appendingPathComponent("calibrate-d.sqlite")
        let document = try makeLocalWriteStore(file, name: "cal-d")
        let commands = try localWriteCommands(round: -1, folder: folder, store: file, document: document)
        let finished = KillableCommandSequence(commands, cwd: folder).wait()
        guard finished.count == commands.count, finished.allSatisfy({ $0.status == 0 }), let last = finished.last else {
            throw ServeProcessError(message: "the local write sequence failed uninterrupted")
        }
        return (last.endedAfter, finished[0].endedAfter)
    }
}
