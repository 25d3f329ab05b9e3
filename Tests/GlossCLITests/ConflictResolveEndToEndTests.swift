import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// Replica store files prepared with the library (writes, then an exchange of states the way
/// sync does), on which the tests run the built `gloss` binary like a user would.
struct ConflictLab {
    let dir: TemporaryDirectory
    let files: [String: URL]

    /// One store file per name, in one temporary folder.
    init(_ names: [String]) throws {
        dir = try TemporaryDirectory(prefix: "gloss-conflicts")
        var files: [String: URL] = [:]
        for name in names {
            let url = dir.path("\(name)/gloss.sqlite")
            try ReplicaStore.create(at: url, name: name).close()
            files[name] = url
        }
        self.files = files
    }

    func remove() { dir.remove() }

    func path(_ name: String) -> String { files[name]!.path }

    /// Runs `body` on the named store, then closes it (so the binary is the only user later).
    func with<T>(_ name: String, _ body: (ReplicaStore) throws -> T) throws -> T {
        let store = try ReplicaStore.open(at: files[name]!)
        defer { try? store.close() }
        return try body(store)
    }

    /// Local writes on the named store.
    func write(_ name: String, _ body: (LocalWriter) throws -> Void) throws {
        try with(name) { store in try store.write(body) }
    }

    /// Exchanges every record state between the named stores until all hold the same, and lets
    /// each learn the others' names (what `gloss sync` does).
    func exchange(_ names: String...) throws {
        let stores = try names.map { try ReplicaStore.open(at: files[$0]!) }
        defer { for s in stores { try? s.close() } }
        for s in stores {
            for t in stores where s !== t {
                let states = try RecordKind.allCases.flatMap { try s.records(kind: $0, includeDeleted: true) }
                try t.apply(states, from: s.replicaID)
                try t.rememberReplica(s.replicaID, name: s.name)
            }
        }
    }

    func stateHash(_ name: String) throws -> String { try with(name) { try $0.stateHash() } }

    func record(_ name: String, _ id: String) throws -> GlossCore.Record? { try with(name) { try $0.record(id) } }

    /// `gloss ARGS --store <name's store>`.
    @discardableResult
    func gloss(_ name: String, _ args: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> GlossBinary.Result {
        try GlossBinary.run(args + ["--store", path(name)], cwd: dir.url, environment: environment, stdin: stdin, timeout: 60)
    }

    /// The conflicts `gloss conflicts --json` lists on the named store.
    func conflicts(_ name: String) throws -> [[String: Any]] {
        let result = try gloss(name, ["conflicts", "--json"])
        guard result.status == 0, let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw GlossError(.io, "gloss conflicts --json failed: \(result.stderr)")
        }
        return list
    }

    /// Alice creates note n1; both get it; then each edits its body apart; then they exchange.
    static func noteConflict(base: String, alice: String, bob: String) throws -> ConflictLab {
        let lab = try ConflictLab(["alice", "bob"])
        try lab.write("alice") { w in
            try w.update("n1", kind: .note) { $0.set("title", .string("Drawdown in Syria")); $0.set("body", .string(base)) }
        }
        try lab.exchange("alice", "bob")
        try lab.write("alice") { w in try w.update("n1", kind: .note) { $0.set("body", .string(alice)) } }
        try lab.write("bob") { w in try w.update("n1", kind: .note) { $0.set("body", .string(bob)) } }
        try lab.exchange("alice", "bob")
        return lab
    }

    /// A shell script file to use as $EDITOR.
    func editorScript(_ name: String, _ body: String) throws -> String {
        let url = dir.path(name)
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }
}

/// `gloss conflicts` and `gloss resolve` on replicas that edited the same things apart.
@Suite struct ConflictResolveEndToEndTests {
    static let base = "# Drawdown\n\nRussian forces begin leaving Syria.\n\nSources: RFE/RL.\n"
    static let aliceBody = "# Drawdown in Syria\n\nRussian forces begin leaving Syria.\n\nSources: RFE/RL.\n"
    static let bobBody = "# Drawdown\n\nRussian forces begin leaving Syria.\n\nSources: RFE/RL, VICE.\n"
    static let merged = "# Drawdown in Syria\n\nRussian forces begin leaving Syria.\n\nSources: RFE/RL, VICE.\n"

    @Test func bothReplicasListTheSameConflictWithWhoWroteEachValue() throws {
        let lab = try ConflictLab.noteConflict(base: Self.base, alice: Self.aliceBody, bob: Self.bobBody)
        defer { lab.remove() }
        let onA = try lab.conflicts("alice"), onB = try lab.conflicts("bob")
        #expect(onA.count == 1)
        #expect(onA.map { $0["id"] as? String } == onB.map { $0["id"] as? String })
        let conflict = try #require(onB.first)
        #expect(conflict["field"] as? String == "body" && conflict["type"] as? String == "field")
        #expect(conflict["label"] as? String == "Drawdown in Syria")
        let values = try #require(conflict["values"] as? [[String: Any]])
        #expect(Set(values.compactMap { $0["replicaName"] as? String }) == ["alice", "bob"])
        #expect(Set(values.compactMap { $0["value"] as? String }) == [Self.aliceBody, Self.bobBody])
        // The human listing names the record, the field, both writers and the short values.
        let text = try lab.gloss("bob", ["conflicts"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("1 open conflict"))
        #expect(text.stdout.contains("note \"Drawdown in Syria\"") && text.stdout.contains("field body"))
        #expect(text.stdout.contains("by alice (") && text.stdout.contains("by bob ("))
        #expect(text.stdout.contains("\"# Drawdown in Syria…\""))
        // status points at it.
        let status = try lab.gloss("bob", ["status"])
        #expect(status.stdout.contains("Conflicts 1 open: see them with `gloss conflicts`"))
    }

    @Test func showGivesEachValueTheDiffAndTheAncestor() throws {
        let lab = try ConflictLab.noteConflict(base: Self.base, alice: Self.aliceBody, bob: Self.bobBody)
        defer { lab.remove() }
        let id = try #require(try lab.conflicts("bob").first?["id"] as? String)
        let show = try lab.gloss("bob", ["conflicts", "show", id])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Common ancestor (from local history"))
        #expect(show.stdout.contains("    Sources: RFE/RL.\n"))
        #expect(show.stdout.contains("- # Drawdown\n") && show.stdout.contains("+ # Drawdown in Syria\n"))
        #expect(show.stdout.contains("+ Sources: RFE/RL, VICE."))
        #expect(show.stdout.contains("by alice (") && show.stdout.contains("by bob ("))
        let json = try lab.gloss("alice", ["conflicts", "show", "n1/body", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["ancestor"] as? [String: Any])?["value"] as? String == Self.base)
    }

    enum Strategy: String, CaseIterable, Sendable { case ours, theirs, value, merge, edit }

    @Test(arguments: Strategy.allCases)
    func resolvingOnBobClearsTheConflictOnAliceAfterExchange(strategy: Strategy) throws {
        let lab = try ConflictLab.noteConflict(base: Self.base, alice: Self.aliceBody, bob: Self.bobBody)
        defer { lab.remove() }
        let id = try #require(try lab.conflicts("bob").first?["id"] as? String)
        var args = ["resolve", id]
        var environment: [String: String] = [:]
        let expected: String
        switch strategy {
        case .ours: args.append("--ours"); expected = Self.bobBody
        case .theirs: args.append("--theirs"); expected = Self.aliceBody
        case .value: args += ["--value", "Typed by the lead."]; expected = "Typed by the lead."
        case .merge: args.append("--merge"); expected = Self.merged
        case .edit:
            // The scripted editor replaces the versions and markers with the text a person
            // would type.
            let seen = lab.dir.path("seen.txt").path
            let script = try lab.editorScript("editor.sh", """
                cp "$1" '\(seen)'
                printf '# Drawdown, edited\\n\\nBy hand.\\n' > "$1"
                """)
            environment["EDITOR"] = script
            args.append("--edit")
            expected = "# Drawdown, edited\n\nBy hand.\n"
        }
        let result = try lab.gloss("bob", args, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        if strategy == .edit {
            // The editor was given both versions, who wrote them, and the common ancestor.
            let seen = try String(contentsOf: lab.dir.path("seen.txt"), encoding: .utf8)
            #expect(seen.hasPrefix("<<<<<<< "))
            #expect(seen.contains(Self.aliceBody) && seen.contains(Self.bobBody) && seen.contains("||||||| common ancestor\n" + Self.base))
            #expect(seen.contains("alice (") && seen.contains("bob ("))
        }
        #expect(result.stdout.contains("Resolved \(id)"))
        #expect(try lab.conflicts("bob").isEmpty)
        try lab.exchange("alice", "bob")
        #expect(try lab.conflicts("alice").isEmpty)
        #expect(try lab.record("alice", "n1")?.string("body") == expected)
        #expect(try lab.stateHash("alice") == lab.stateHash("bob"))
        // The resolution is in bob's log: who resolved, which values were replaced.
        let log = try lab.gloss("bob", ["log", "n1"])
        #expect(log.status == 0)
        let strategyName = strategy == .edit ? "edit" : strategy.rawValue
        #expect(log.stdout.contains("resolved body by bob (") && log.stdout.contains("with --\(strategyName)"))
        #expect(log.stdout.contains("\"# Drawdown in Syria…\" (6 lines) by alice ("))
        #expect(log.stdout.contains("conflict on body settled"))
    }

    @Test func annotationTagsMergeWhileTheGradeConflicts() throws {
        let lab = try ConflictLab(["alice", "bob"])
        defer { lab.remove() }
        try lab.write("alice") { w in
            try w.update("a1", kind: .annotation) {
                $0.set("exact", .string("Russian forces begin drawdown")); $0.set("credibility", .int(3))
                $0.add("syria", to: "tags")
            }
        }
        try lab.exchange("alice", "bob")
        try lab.write("alice") { w in
            try w.update("a1", kind: .annotation) {
                $0.add("drawdown", to: "tags"); $0.set("credibility", .int(2)); $0.set("comment", .string("RFE confirms"))
            }
        }
        try lab.write("bob") { w in
            try w.update("a1", kind: .annotation) {
                $0.add("bases", to: "tags"); $0.set("credibility", .int(4)); $0.set("comment", .string("VICE disputes"))
            }
        }
        try lab.exchange("alice", "bob")
        let both = try lab.conflicts("bob")
        #expect(both.map { $0["field"] as? String } == ["comment", "credibility"])
        #expect(try lab.conflicts("alice").map { $0["id"] as? String } == both.map { $0["id"] as? String })
        // The record ID alone is ambiguous with two conflicted fields; --field picks one.
        let ambiguous = try lab.gloss("bob", ["resolve", "a1", "--ours"])
        #expect(ambiguous.status != 0 && ambiguous.stderr.contains("matches 2 open conflicts"))
        let comment = try lab.gloss("bob", ["resolve", "a1", "--field", "comment", "--theirs"])
        #expect(comment.status == 0, "\(comment.stderr)")
        #expect(try lab.record("bob", "a1")?.string("comment") == "RFE confirms")
        let conflicts = try lab.conflicts("bob")
        #expect(conflicts.map { $0["field"] as? String } == ["credibility"])
        #expect(conflicts.first?["label"] as? String == "Russian forces begin drawdown")
        #expect(try lab.record("bob", "a1")?.elements("tags") == ["bases", "drawdown", "syria"])
        let id = try #require(conflicts.first?["id"] as? String)
        // A value that is not a whole number is refused for a whole-number field.
        let hash = try lab.stateHash("bob")
        let bad = try lab.gloss("bob", ["resolve", id, "--value", "high"])
        #expect(bad.status != 0 && bad.stderr.contains("not a whole number"))
        #expect(try lab.stateHash("bob") == hash)
        let result = try lab.gloss("bob", ["resolve", id, "--pick", "alice"])
        #expect(result.status == 0, "\(result.stderr)")
        try lab.exchange("alice", "bob")
        #expect(try lab.conflicts("alice").isEmpty)
        #expect(try lab.record("alice", "a1")?.int("credibility") == 2)
        #expect(try lab.record("alice", "a1")?.elements("tags") == ["bases", "drawdown", "syria"])
    }

    @Test func overlappingEditsMakeMergeRefuseAndChangeNothing() throws {
        let lab = try ConflictLab.noteConflict(
            base: Self.base, alice: Self.base.replacingOccurrences(of: "begin", with: "complete"),
            bob: Self.base.replacingOccurrences(of: "begin", with: "pause"))
        defer { lab.remove() }
        let id = try #require(try lab.conflicts("bob").first?["id"] as? String)
        let hash = try lab.stateHash("bob")
        let result = try lab.gloss("bob", ["resolve", id, "--merge"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("cannot merge conflict \(id): the versions change the same lines"))
        #expect(result.stderr.contains("ancestor line 3"))
        #expect(try lab.stateHash("bob") == hash)
        #expect(try lab.conflicts("bob").count == 1)
    }

    @Test func deleteEditResolvedWithKeepRestoresTheRecordWithTheEdit() throws {
        let lab = try ConflictLab(["alice", "bob"])
        defer { lab.remove() }
        try lab.write("alice") { w in
            try w.update("n1", kind: .note) {
                $0.set("title", .string("Bases")); $0.set("body", .string("v1")); $0.add("syria", to: "tags")
            }
        }
        try lab.exchange("alice", "bob")
        try lab.write("alice") { w in try w.update("n1", kind: .note) { $0.delete() } }
        try lab.write("bob") { w in try w.update("n1", kind: .note) { $0.set("body", .string("v2: bases stay open")) } }
        try lab.exchange("alice", "bob")
        let conflicts = try lab.conflicts("alice")
        #expect(conflicts.map { $0["type"] as? String } == ["delete-edit"])
        let id = try #require(conflicts.first?["id"] as? String)
        let show = try lab.gloss("alice", ["conflicts", "show", id])
        #expect(show.stdout.contains("deleted by alice (") && show.stdout.contains("edited body = \"v2: bases stay open\" by bob ("))
        // --ours does not fit a delete/edit conflict.
        let hash = try lab.stateHash("alice")
        let wrong = try lab.gloss("alice", ["resolve", id, "--ours"])
        #expect(wrong.status != 0 && wrong.stderr.contains("resolve it with --keep"))
        #expect(try lab.stateHash("alice") == hash)
        let keep = try lab.gloss("alice", ["resolve", id, "--keep"])
        #expect(keep.status == 0, "\(keep.stderr)")
        #expect(keep.stdout.contains("Restored from before the delete: title, tags:syria"))
        try lab.exchange("alice", "bob")
        for name in ["alice", "bob"] {
            let note = try #require(try lab.record(name, "n1"))
            #expect(!note.isDeleted && !note.isConflicted)
            #expect(note.string("title") == "Bases" && note.string("body") == "v2: bases stay open" && note.elements("tags") == ["syria"])
            #expect(try lab.conflicts(name).isEmpty)
        }
        let log = try lab.gloss("alice", ["log", "n1"])
        #expect(log.stdout.contains("resolved deleted by alice (") && log.stdout.contains("with --keep"))
        #expect(log.stdout.contains("restored (undeleted)"))
    }

    @Test func deleteEditResolvedWithDeleteOnTheEditorDeletesEverywhere() throws {
        let lab = try ConflictLab(["alice", "bob"])
        defer { lab.remove() }
        try lab.write("alice") { w in try w.update("n1", kind: .note) { $0.set("title", .string("Bases")); $0.set("body", .string("v1")) } }
        try lab.exchange("alice", "bob")
        try lab.write("alice") { w in try w.update("n1", kind: .note) { $0.delete() } }
        try lab.write("bob") { w in try w.update("n1", kind: .note) { $0.set("body", .string("v2")); $0.add("syria", to: "tags") } }
        try lab.exchange("alice", "bob")
        let id = try #require(try lab.conflicts("bob").first?["id"] as? String)
        let show = try lab.gloss("bob", ["conflicts", "show", id])
        #expect(show.stdout.contains("added \"syria\" to tags by bob ("))
        let result = try lab.gloss("bob", ["resolve", id, "--delete"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("deleted note \"Bases\", dropping the concurrent edit"))
        try lab.exchange("alice", "bob")
        for name in ["alice", "bob"] {
            let note = try #require(try lab.record(name, "n1"))
            #expect(note.isDeleted && !note.isConflicted && note.string("body") == nil && note.elements("tags").isEmpty)
            #expect(try lab.conflicts(name).isEmpty)
        }
    }

    @Test func threeReplicasResolvingDifferentlyLeaveASmallerConflictNotALostValue() throws {
        let lab = try ConflictLab(["alice", "bob", "carol"])
        defer { lab.remove() }
        try lab.write("alice") { w in try w.update("n1", kind: .note) { $0.set("title", .string("Bases")); $0.set("body", .string("x")) } }
        try lab.exchange("alice", "bob", "carol")
        for name in ["alice", "bob", "carol"] {
            try lab.write(name) { w in try w.update("n1", kind: .note) { $0.set("body", .string("x by \(name)")) } }
        }
        try lab.exchange("alice", "bob", "carol")
        let id = try #require(try lab.conflicts("alice").first?["id"] as? String)
        #expect((try lab.conflicts("carol").first?["values"] as? [Any])?.count == 3)
        // --theirs does not fit three values.
        let hash = try lab.stateHash("alice")
        let theirs = try lab.gloss("alice", ["resolve", id, "--theirs"])
        #expect(theirs.status != 0 && theirs.stderr.contains("--theirs needs exactly two competing values"))
        #expect(try lab.stateHash("alice") == hash)
        #expect(try lab.gloss("alice", ["resolve", id, "--pick", "carol"]).status == 0)
        #expect(try lab.gloss("bob", ["resolve", id, "--value", "bob's summary"]).status == 0)
        try lab.exchange("alice", "bob", "carol")
        for name in ["alice", "bob", "carol"] {
            let conflicts = try lab.conflicts(name)
            #expect(conflicts.map { $0["id"] as? String } == [id])
            let values = (conflicts.first?["values"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            #expect(Set(values) == ["x by carol", "bob's summary"])
        }
        // Resolving the smaller conflict once clears it everywhere.
        #expect(try lab.gloss("carol", ["resolve", id, "--pick", "bob"]).status == 0)
        try lab.exchange("alice", "bob", "carol")
        for name in ["alice", "bob", "carol"] {
            #expect(try lab.conflicts(name).isEmpty)
            #expect(try lab.record(name, "n1")?.string("body") == "bob's summary")
        }
    }

    @Test func badInputGetsAClearMessageAndChangesNothing() throws {
        let lab = try ConflictLab.noteConflict(base: Self.base, alice: Self.aliceBody, bob: Self.bobBody)
        defer { lab.remove() }
        let id = try #require(try lab.conflicts("bob").first?["id"] as? String)
        let failing = try lab.editorScript("fail.sh", "exit 3")
        let markersLeft = try lab.editorScript("half.sh", "sed -i -e 's/RFE/Radio Free Europe/' \"$1\"")
        let cases: [(args: [String], environment: [String: String], message: String)] = [
            (["resolve", "deadbeef", "--ours"], [:], "no open conflict matches \"deadbeef\""),
            (["resolve", id, "--keep"], [:], "--keep fits only delete/edit conflicts"),
            (["resolve", id, "--pick", "zed"], [:], "no replica named \"zed\""),
            (["resolve", id], [:], "give exactly one of --ours"),
            (["resolve", id, "--ours", "--theirs"], [:], "give exactly one of --ours"),
            (["resolve", id, "--edit"], ["EDITOR": failing], "exited with status 3"),
            (["resolve", id, "--edit"], ["EDITOR": "true"], "saved unchanged"),
            (["resolve", id, "--edit"], ["EDITOR": markersLeft], "conflict markers remain"),
            (["conflicts", "show", "nothing-like-this"], [:], "no open conflict matches"),
            (["log", "nope"], [:], "no record with ID \"nope\""),
        ]
        let hash = try lab.stateHash("bob")
        for c in cases {
            let result = try lab.gloss("bob", c.args, environment: c.environment)
            #expect(result.status != 0, "\(c.args)")
            #expect(result.stderr.contains(c.message), "\(c.args): \(result.stderr)")
            #expect(try lab.stateHash("bob") == hash, "\(c.args)")
        }
        #expect(try lab.with("bob") { try $0.resolutions() }.isEmpty)
    }

    @Test func resolveWithoutAnIDOffATerminalRefusesAndNamesTheFlags() throws {
        let lab = try ConflictLab.noteConflict(base: Self.base, alice: Self.aliceBody, bob: Self.bobBody)
        defer { lab.remove() }
        let hash = try lab.stateHash("bob")
        let result = try lab.gloss("bob", ["resolve"], stdin: "ours\n")
        #expect(result.status == 65)
        #expect(result.stderr.contains("standard input is not one"))
        #expect(result.stderr.contains("--ours, --theirs, --pick REPLICA, --value TEXT, --edit, --merge, --keep or --delete"))
        #expect(try lab.stateHash("bob") == hash)
    }

    @Test func aReplicaThatReceivedTheConflictReadyMadeCanPickButNotMergeOrTakeOurs() throws {
        let lab = try ConflictLab.noteConflict(base: Self.base, alice: Self.aliceBody, bob: Self.bobBody)
        defer { lab.remove() }
        let hub = try ConflictLab(["hub"])
        defer { hub.remove() }
        // The hub gets the already-merged state from bob: no ancestor in its history, no value of its own.
        try lab.with("bob") { b in
            try hub.with("hub") { h in
                try h.apply(try b.records(kind: .note, includeDeleted: true), from: b.replicaID)
                for (id, name) in try b.replicaNames() { try h.rememberReplica(id, name: name) }
            }
        }
        let id = try #require(try hub.conflicts("hub").first?["id"] as? String)
        #expect(try lab.conflicts("alice").first?["id"] as? String == id)
        let hash = try hub.stateHash("hub")
        let merge = try hub.gloss("hub", ["resolve", id, "--merge"])
        #expect(merge.status != 0 && merge.stderr.contains("common ancestor of the values is not in this replica's history"))
        let ours = try hub.gloss("hub", ["resolve", id, "--ours"])
        #expect(ours.status != 0 && ours.stderr.contains("wrote none of the values"))
        #expect(try hub.stateHash("hub") == hash)
        let show = try hub.gloss("hub", ["conflicts", "show", id])
        #expect(show.stdout.contains("Common ancestor: not in this replica's history"))
        #expect(show.stdout.contains("Diff [1] -> [2]:"))
        let pick = try hub.gloss("hub", ["resolve", id, "--pick", "alice"])
        #expect(pick.status == 0, "\(pick.stderr)")
        // Back to bob and alice: gone everywhere, alice's text kept.
        let resolved = try #require(try hub.record("hub", "n1"))
        _ = try lab.with("bob") { try $0.apply([resolved], from: nil) }
        try lab.exchange("alice", "bob")
        for name in ["alice", "bob"] {
            #expect(try lab.conflicts(name).isEmpty)
            #expect(try lab.record(name, "n1")?.string("body") == Self.aliceBody)
        }
    }

    @Test func logJSONNamesWhoChangedWhatAndTheResolution() throws {
        let lab = try ConflictLab.noteConflict(base: Self.base, alice: Self.aliceBody, bob: Self.bobBody)
        defer { lab.remove() }
        let id = try #require(try lab.conflicts("bob").first?["id"] as? String)
        #expect(try lab.gloss("bob", ["resolve", id, "--merge"]).status == 0)
        let result = try lab.gloss("bob", ["log", "n1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 4)  // created (from alice), bob's edit, alice's edit (conflict), the merge
        #expect(entries.first?["created"] as? Bool == true)
        #expect((entries.first?["writes"] as? [[String: Any]])?.first?["replicaName"] as? String == "alice")
        #expect(entries[2]["conflicted"] as? [String] == ["body"])
        let last = try #require(entries.last)
        #expect(last["settled"] as? [String] == ["body"])
        let resolution = try #require((last["resolutions"] as? [[String: Any]])?.first)
        #expect(resolution["strategy"] as? String == "merge" && resolution["replicaName"] as? String == "bob")
        #expect(resolution["chosen"] as? String == Self.merged)
        let replaced = (resolution["replaced"] as? [[String: Any]] ?? []).compactMap { $0["replicaName"] as? String }
        #expect(Set(replaced) == ["alice", "bob"])
        // Without an ID, the whole store's log, newest last in JSON.
        let all = try lab.gloss("bob", ["log", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [Any])?.count == 4)
    }
}
