import Foundation
import GRDB
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// Kills `gloss` with SIGKILL at random points and checks what a crash may never do: corrupt the
/// file, lose a write that was acknowledged, record a write twice, leave cursors pointing past
/// what was stored, or stop the next sync from converging.
///
/// Four kinds of kill, in turn:
/// - (a) `gloss sync` pulling from a hub, killed mid-way;
/// - (b) `gloss serve` killed while a client pushes into it;
/// - (c) `gloss bundle apply` of a big bundle (a write-heavy local command), killed mid-way;
/// - (d) purely local CLI writes: `gloss import` of 40 files in one command, then `gloss
///   annotate` and `gloss note add` in turn, killed wherever the sequence is (half of these
///   kills aim at the import) (CrashConsistencyTests+LocalWrites.swift).
///
/// The kill time is uniform over the duration of an uninterrupted run of the same command
/// (measured first), so kills land in startup, mid-batch, between batches and at commit time;
/// a run that finishes before its kill narrows that window for the next rounds of its kind.
/// Rounds continue until `GLOSS_CRASH_KILLS` kills (10 by default, for CI) interrupted a run
/// (at most 4 times as many rounds); `GLOSS_CRASH_SEED` replays a run; the figures are printed
/// at the end.
@Suite(.serialized) struct CrashConsistencyTests {
    static let token = "crash-token"
    static var kills: Int { ProcessInfo.processInfo.environment["GLOSS_CRASH_KILLS"].flatMap { Int($0) } ?? 10 }

    /// Tallies of one harness run.
    struct Tally {
        var kills = [0, 0, 0, 0]
        var finishedFirst = 0
        /// (d)'s kills by the command they interrupted.
        var localKilled: [String: Int] = [:]
        var violations: [String] = []
    }

    static func makeStore(_ file: URL, name: String, notes: Int, prefix: String) throws {
        let store = try ReplicaStore.create(at: file, name: name)
        defer { try? store.close() }
        guard notes > 0 else { return }
        _ = try store.write { w in
            for i in 0..<notes {
                try w.update("\(prefix)-\(i)", kind: .note) { e in
                    e.set("title", .string("\(prefix) note \(i)"))
                    e.set("body", .string("1,140 withdrawn [Lavrov 2017]; grade B2. \(i)"))
                    e.add("syria", to: "tags")
                }
            }
        }
    }

    static let indexesSQL = "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"

    static func with<T>(_ file: URL, _ body: (ReplicaStore) throws -> T) throws -> T {
        let store = try ReplicaStore.open(at: file)
        defer { try? store.close() }
        return try body(store)
    }

    /// Runs `args` to completion and returns the seconds it took (failing the test if it fails).
    static func timed(_ args: [String], cwd: URL) throws -> Double {
        let start = Date()
        let result = try GlossBinary.run(args, cwd: cwd)
        guard result.status == 0 else { throw ServeProcessError(message: "gloss \(args.first ?? "") failed: \(result.stderr)") }
        return Date().timeIntervalSince(start)
    }

    /// Starts `args`, kills it after `delay` seconds; true when it was still running then.
    static func killed(_ args: [String], cwd: URL, after delay: Double) throws -> Bool {
        let process = try BackgroundGloss(args, cwd: cwd)
        Thread.sleep(forTimeInterval: delay)
        let running = process.process.isRunning
        process.kill()
        return running
    }

    /// The local notes `prefix-0..<count` are all in `file` with the content written.
    static func acknowledgedNotesMissing(_ file: URL, prefix: String, count: Int) throws -> [String] {
        try with(file) { store in
            try (0..<count).compactMap { i in
                try store.record("\(prefix)-\(i)")?.string("title") == "\(prefix) note \(i)" ? nil : "acknowledged note \(prefix)-\(i) is missing"
            }
        }
    }

    @Test func sigkillAtRandomPointsLosesNothingAndCorruptsNothing() throws {
        let seed = ProcessInfo.processInfo.environment["GLOSS_CRASH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0..<1_000_000)
        var random = SeededRandom(seed: seed)
        let dir = try TemporaryDirectory(prefix: "gloss-crash")
        defer { dir.remove() }
        let cwd = dir.url
        let started = Date()
        var tally = Tally()

        // (a)'s hub, and (c)'s bundle: made once.
        let hub = dir.path("hub.sqlite")
        try Self.makeStore(hub, name: "hub", notes: 1_500, prefix: "hub")
        let hubServer = try ServeProcess(store: hub, token: Self.token)
        defer { hubServer.stop() }
        let source = dir.path("source.sqlite")
        try Self.makeStore(source, name: "source", notes: 3_000, prefix: "src")
        let bundle = dir.path("big.gloss-bundle").path
        _ = try Self.timed(["bundle", "create", bundle, "--store", source.path], cwd: cwd)
        let sourceRecords = try Self.with(source) { try $0.records(kind: .note) }

        // The indexes of a new store, which a killed sync must not leave missing.
        let freshIndexes = try Self.with(source) { s in try s.read { db in try String.fetchAll(db, sql: Self.indexesSQL) } }

        // (b)'s hub is fresh each round, on a port kept across its restart.
        var pushServer: ServeProcess?
        defer { pushServer?.stop() }

        func check(_ label: String, _ problems: [String]) {
            for problem in problems { tally.violations.append("seed \(seed) \(label): \(problem)") }
        }

        // Measure an uninterrupted run of each command, to spread kill times over it.
        var durations = [0.0, 0.0, 0.0, 0.0]
        // (d)'s import is short beside the commands after it: half of (d)'s kills aim at it.
        var importEnds = 0.0
        do {
            let client = dir.path("calibrate-a.sqlite")
            try Self.makeStore(client, name: "cal-a", notes: 0, prefix: "x")
            durations[0] = try Self.timed(["sync", hubServer.url, "--token", Self.token, "--store", client.path, "--batch-records", "50"], cwd: cwd)
            let pushHub = dir.path("calibrate-b-hub.sqlite")
            try Self.makeStore(pushHub, name: "cal-b-hub", notes: 0, prefix: "x")
            let server = try ServeProcess(store: pushHub, token: Self.token)
            defer { server.stop() }
            let pusher = dir.path("calibrate-b.sqlite")
            try Self.makeStore(pusher, name: "cal-b", notes: 600, prefix: "p")
            durations[1] = try Self.timed(["sync", server.url, "--token", Self.token, "--store", pusher.path, "--batch-records", "20"], cwd: cwd)
            let target = dir.path("calibrate-c.sqlite")
            try Self.makeStore(target, name: "cal-c", notes: 0, prefix: "x")
            durations[2] = try Self.timed(["bundle", "apply", bundle, "--store", target.path], cwd: cwd)
            let calibrateD = dir.path("calibrate-d")
            try FileManager.default.createDirectory(at: calibrateD, withIntermediateDirectories: true)
            (durations[3], importEnds) = try Self.timedLocalWriteRun(folder: calibrateD)
        }

        var round = 0
        while tally.kills.reduce(0, +) < Self.kills && round < Self.kills * 4 {
            defer { round += 1 }
            let mode = round % 4
            let roundDir = dir.path("round-\(round)")
            try FileManager.default.createDirectory(at: roundDir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: roundDir) }
            let aimAtImport = mode == 3 && random.chance(0.5)
            let delay = Double.random(in: 0...((aimAtImport ? importEnds : durations[mode]) * 1.1), using: &random)
            let local = Int.random(in: 1...20, using: &random)
            let label = "round \(round) (\("abcd".map { String($0) }[mode]), kill at \(String(format: "%.3f", delay)) s)"
            var finishedFirst = false
            defer {
                // The run took less than `delay`: later kills of this kind aim within that.
                if finishedFirst && !aimAtImport { durations[mode] = min(durations[mode], delay) }
            }
            switch mode {
            case 0:
                // (a) Kill the pulling client.
                let client = roundDir.appendingPathComponent("client.sqlite")
                // Every other such round starts from an empty client, whose first sync takes the
                // fast path throughout (new records inserted without a lookup).
                let local = (round / 4).isMultiple(of: 2) ? 0 : local
                try Self.makeStore(client, name: "client-\(round)", notes: local, prefix: "r\(round)")
                let args = ["sync", hubServer.url, "--token", Self.token, "--store", client.path, "--batch-records", "50"]
                if try Self.killed(args, cwd: cwd, after: delay) { tally.kills[0] += 1 } else { finishedFirst = true }
                check(label, try StoreInvariants.violations(at: client))
                // A killed sync leaves every index of a new store in place (none is dropped
                // or deferred during a load).
                let indexes = try Self.with(client) { c in try c.read { db in try String.fetchAll(db, sql: Self.indexesSQL) } }
                if indexes != freshIndexes { check(label, ["indexes after the kill: \(indexes), a new store has \(freshIndexes)"]) }
                check(label, try Self.acknowledgedNotesMissing(client, prefix: "r\(round)", count: local))
                check(label, try Self.with(client) { c in try Self.with(hub) { h in try StoreInvariants.cursorViolations(client: c, server: h) } })
                _ = try Self.timed(args, cwd: cwd)
                let (clientHash, hubHash) = (try Self.with(client) { try $0.stateHash() }, try Self.with(hub) { try $0.stateHash() })
                if clientHash != hubHash { check(label, ["the sync after the kill did not converge"]) }
                check(label, try StoreInvariants.violations(at: client) + StoreInvariants.violations(at: hub))
                // A killed first sync (new records inserted without a lookup) leaves no hole in
                // the search index: the hub's 1,500 notes and the client's own are all found.
                let (hubFound, ownFound) = try Self.with(client) { c in
                    (try c.search(SearchQuery(text: "hub", kind: .note, limit: 5_000)).count,
                     try c.search(SearchQuery(text: "r\(round)", kind: .note, limit: 5_000)).count)
                }
                if hubFound != 1_500 || ownFound != local {
                    check(label, ["after the re-run, search finds \(hubFound) of the hub's 1500 notes and \(ownFound) of the client's \(local)"])
                }
            case 1:
                // (b) Kill the server receiving a push (and the client with it).
                let pushHub = roundDir.appendingPathComponent("push-hub.sqlite")
                try Self.makeStore(pushHub, name: "push-hub-\(round)", notes: 0, prefix: "x")
                let port = try ServeProcess.freePort()
                pushServer = try ServeProcess(store: pushHub, token: Self.token, port: port)
                let client = roundDir.appendingPathComponent("pusher.sqlite")
                try Self.makeStore(client, name: "pusher-\(round)", notes: 600, prefix: "mine")
                let args = ["sync", pushServer!.url, "--token", Self.token, "--store", client.path, "--batch-records", "20"]
                let process = try BackgroundGloss(args, cwd: cwd)
                Thread.sleep(forTimeInterval: delay)
                if process.process.isRunning { tally.kills[1] += 1 } else { finishedFirst = true }
                pushServer!.crash()
                process.kill()
                check(label, try StoreInvariants.violations(at: pushHub) + StoreInvariants.violations(at: client))
                check(label, try Self.with(client) { c in try Self.with(pushHub) { h in try StoreInvariants.cursorViolations(client: c, server: h) } })
                pushServer = try ServeProcess(store: pushHub, token: Self.token, port: port)
                _ = try Self.timed(args, cwd: cwd)
                pushServer!.stop()
                pushServer = nil
                let (clientHash, hubHash) = (try Self.with(client) { try $0.stateHash() }, try Self.with(pushHub) { try $0.stateHash() })
                if clientHash != hubHash { check(label, ["the sync after the server crash did not converge"]) }
                check(label, try Self.acknowledgedNotesMissing(pushHub, prefix: "mine", count: 600))
                check(label, try StoreInvariants.violations(at: pushHub))
            case 2:
                // (c) Kill a write-heavy local command.
                let target = roundDir.appendingPathComponent("target.sqlite")
                try Self.makeStore(target, name: "target-\(round)", notes: local, prefix: "mine")
                let args = ["bundle", "apply", bundle, "--store", target.path]
                if try Self.killed(args, cwd: cwd, after: delay) { tally.kills[2] += 1 } else { finishedFirst = true }
                check(label, try StoreInvariants.violations(at: target))
                check(label, try Self.acknowledgedNotesMissing(target, prefix: "mine", count: local))
                _ = try Self.timed(args, cwd: cwd)
                let records = try Self.with(target) { try $0.records(kind: .note) }
                let held = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
                let lost = sourceRecords.filter { held[$0.id] != $0 }.count
                if lost > 0 || records.count != sourceRecords.count + local {
                    check(label, ["after re-applying, \(lost) bundle records differ and the store holds \(records.count) records"])
                }
                let history = try Self.with(target) { try $0.historyCount() }
                if history != records.count { check(label, ["\(history) history rows for \(records.count) records written once each"]) }
                check(label, try StoreInvariants.violations(at: target))
            default:
                // (d) Kill a sequence of local CLI writes.
                let (killed, problems) = try Self.localWriteRound(round: round, folder: roundDir, delay: delay)
                if let killed {
                    tally.kills[3] += 1
                    tally.localKilled[killed, default: 0] += 1
                } else {
                    finishedFirst = true
                }
                check(label, problems)
            }
            if finishedFirst { tally.finishedFirst += 1 }
        }
        let seconds = Date().timeIntervalSince(started)
        print("""
            crash harness: seed \(seed), \(round) rounds, \(tally.kills.reduce(0, +)) kills mid-run (a sync pull: \(tally.kills[0]), \
            b server during push: \(tally.kills[1]), c bundle apply: \(tally.kills[2]), d local CLI writes: \(tally.kills[3]) \(tally.localKilled.sorted { $0.key < $1.key })), \
            \(tally.finishedFirst) runs finished before their kill, \(tally.violations.count) violations, \
            \(String(format: "%.0f", seconds)) s; kill windows at the end: a \(String(format: "%.2f", durations[0])) s, \
            b \(String(format: "%.2f", durations[1])) s, c \(String(format: "%.2f", durations[2])) s, d \(String(format: "%.2f", durations[3])) s
            """)
        for violation in tally.violations.prefix(20) { Issue.record("\(violation)") }
        #expect(tally.violations.isEmpty)
        // Kills that land after a run finished test nothing: enough must have interrupted one.
        #expect(tally.kills.reduce(0, +) >= Self.kills, "only \(tally.kills) of \(round) rounds interrupted a run")
    }
}
