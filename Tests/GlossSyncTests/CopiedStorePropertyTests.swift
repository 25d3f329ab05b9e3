import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// Stores copied (a backup restored, a folder copied to a second machine) while replicas write
/// and sync pairwise: two stores then write under one replica ID and reuse its counters. Whatever
/// store a sync refuses is rekeyed, as its user is told to; in the end every store syncs with the
/// first until quiet. Then all hold the same state, none still needs a rekey, and no write was
/// lost: every value still current somewhere is in the final state.
///
/// "Lost" is judged by an oracle outside the stores: each write sets a value never used before,
/// and a write *supersedes* the values that its own store held for that field when it was made
/// (what its user saw and replaced). A value that no write superseded must survive, as the
/// field's value or one of its conflicting values; every tag added must survive (no tag is
/// removed here). Deletes and removals are left to `ConvergencePropertyTests`.
///
/// Losing a write is still possible, and reported as a known issue (`withKnownIssue`, so a fix
/// shows): 7 seeds in 2,300 (222 and 899 kept). Two stores under one ID write the same record
/// with the same counter (counters count writes per record). When their states meet
/// concurrently (each holds writes the other lacks), or after the value that showed the reuse was
/// replaced, nothing tells the reuse apart from each side having replaced the other's write, and
/// one or both writes are dropped. Telling them apart needs each write's own causal context, not
/// only the record's vector (not built). Any other failure fails the test.
@Suite struct CopiedStorePropertyTests {
    /// Seeds replayed on every run, whatever GLOSS_SEED_BASE says: add any seed that fails here.
    /// 9: a hub whose twin synced with a client accepted the client's epoch, and the client left
    /// out of its pushes what it got from the twin; 79 and 154: a pull cursor moved by a hub's
    /// twin skipped the hub's records after a rekey; 202 and 204: two copies writing one record
    /// under one counter dropped each other's write in a merge; 891 and 1176: a hub that took a
    /// new ID left out of its answers to a store's copy what the store had sent.
    static let regressionSeeds: [UInt64] = [0, 1, 2, 9, 79, 154, 202, 204, 891, 1176]
    /// Seeds that lose a write the known way (see above).
    static let knownLossSeeds: [UInt64] = [222, 899]

    @Test func randomHistoriesWithCopiedStoresConvergeAndLoseNoWrite() async throws {
        let seeds = SeedRunner.seeds(countVariable: "GLOSS_COPY_PROPERTY_SEEDS", defaultCount: 300)
        let started = Date()
        let outcome = await SeedRunner.run(seeds) { seed in try await Self.runScenario(seed: seed) }
        for (seed, error) in outcome.failed {
            Issue.record("seed \(seed) failed: \(error). Replay it by adding it to regressionSeeds.")
        }
        let copies = outcome.passed.map(\.copies).reduce(0, +), rekeys = outcome.passed.map(\.rekeys).reduce(0, +)
        let losing = outcome.passed.filter { !$0.lost.isEmpty }
        print("""
            copied-store property: \(outcome.ran) of \(seeds.count) seeds from \(seeds.lowerBound), \
            \(outcome.failed.count) failed, \(losing.count) lost a write the known way \(losing.map(\.seed)), \
            \(copies) copies, \(rekeys) rekeys, \(String(format: "%.1f", Date().timeIntervalSince(started))) s
            """)
        #expect(outcome.failed.isEmpty, "failing seeds: \(outcome.failed.map(\.seed))")
        // Copies were made and caught: the property was tested with counters reused.
        #expect(copies > outcome.passed.count / 2 && rekeys > outcome.passed.count / 2)
        withKnownIssue("two stores writing one record under one counter can lose a write (see the suite)", isIntermittent: true) {
            for figures in losing { Issue.record("seed \(figures.seed): \(figures.lost.joined(separator: "; "))") }
        }
    }

    @Test(arguments: regressionSeeds)
    func regressionSeedConverges(seed: UInt64) async throws {
        let figures = try await Self.runScenario(seed: seed)
        #expect(figures.lost.isEmpty, "seed \(seed): \(figures.lost)")
    }

    /// Still loses a write; when this reports no known issue, the loss is fixed.
    @Test(arguments: knownLossSeeds)
    func knownLossSeedStillConverges(seed: UInt64) async throws {
        let figures = try await Self.runScenario(seed: seed)
        withKnownIssue("two stores writing one record under one counter can lose a write (see the suite)") {
            #expect(figures.lost.isEmpty, "seed \(seed): \(figures.lost)")
        }
    }

    struct Figures: Sendable {
        var seed: UInt64
        var copies = 0
        var rekeys = 0
        /// Writes lost, described (empty when none was).
        var lost: [String] = []
    }

    /// One write: the value set (or the tag added) on a record's field, by which store, and
    /// whether a later write replaced it knowingly.
    struct Write {
        let record: String
        let field: String
        let value: String
        var superseded = false
    }

    /// One random history; throws when the stores diverge or still need a rekey, and returns
    /// the writes lost, if any.
    static func runScenario(seed: UInt64) async throws -> Figures {
        var random = SeededRandom(seed: seed)
        let dir = try ScratchDirectory.make(prefix: "gloss-copyprop")
        defer { dir.remove() }
        let clock = TestStores.steppingClock()
        var stores = try TestStores.replicas(Int.random(in: 3...4, using: &random), on: .files, in: dir, clock: clock)
        defer { for store in stores { try? store.close() } }
        var figures = Figures(seed: seed)
        var writes: [Write] = []
        var tags: [String: Set<String>] = [:]
        var next = 0
        // GLOSS_COPY_TRACE=1 prints each step, to follow a failing seed.
        let tracing = ProcessInfo.processInfo.environment["GLOSS_COPY_TRACE"] == "1"
        func trace(_ line: @autoclosure () -> String) { if tracing { print("seed \(seed): \(line())") } }

        func rekeyIfRequired(_ index: Int) throws {
            guard try stores[index].status().rekeyRequired else { return }
            try rekey(index)
        }
        func rekey(_ index: Int) throws {
            let store = stores[index]
            try store.rekey()
            try store.close()
            stores[index] = try ReplicaStore.open(at: store.fileURL, clock: clock)
            figures.rekeys += 1
            trace("store \(index) rekeyed \(store.replicaID.short) -> \(stores[index].replicaID.short)")
        }
        func sync(_ a: Int, _ b: Int, batch: Int) async throws {
            let engine = SyncEngine(
                store: stores[a], transport: InProcessTransport(store: stores[b], maxBatchRecords: batch),
                options: SyncOptions(batchRecords: batch, retry: .immediate(attempts: 1)))
            do {
                _ = try await engine.run()
                trace("sync \(a) (\(stores[a].replicaID.short)) with \(b) (\(stores[b].replicaID.short))")
            } catch let error as GlossError where error.code == .counterReuse || error.code == .conflict {
                trace("sync \(a) with \(b) refused: \(error.message.prefix(90))")
                // Refused: a copy was caught. The store told to rekey is rekeyed below; when
                // both have one ID, neither can tell which is the copy and its user, told to
                // rekey the copy, rekeys this one (either is safe).
                if stores[a].replicaID == stores[b].replicaID { try rekey(a) }
            }
            try rekeyIfRequired(a)
            try rekeyIfRequired(b)
        }

        let ids = ["n0", "n1", "n2"]
        for _ in 0..<Int.random(in: 6...14, using: &random) {
            let roll = Int.random(in: 0..<100, using: &random)
            if roll < 45 {
                let index = Int.random(in: 0..<stores.count, using: &random)
                let store = stores[index]
                guard try !store.status().rekeyRequired else { continue }
                let id = random.pick(ids)
                next += 1
                let value = "w\(next)"
                switch Int.random(in: 0..<3, using: &random) {
                case 0, 1:
                    let field = random.chance(0.5) ? "title" : "body"
                    // What this store holds for the field now is what the write replaces.
                    let held = Set(try store.record(id)?.fields[field]?.siblings.compactMap(\.value.string) ?? [])
                    for k in writes.indices where writes[k].record == id && writes[k].field == field && held.contains(writes[k].value) {
                        writes[k].superseded = true
                    }
                    _ = try store.write { w in try w.update(id, kind: .note) { $0.set(field, .string(value)) } }
                    trace("store \(index) (\(store.replicaID.short)) sets \(id).\(field) = \(value), replacing \(held.sorted())")
                    writes.append(Write(record: id, field: field, value: value))
                default:
                    _ = try store.write { w in try w.update(id, kind: .note) { $0.add(value, to: "tags") } }
                    trace("store \(index) (\(store.replicaID.short)) tags \(id) \(value)")
                    tags[id, default: []].insert(value)
                }
            } else if roll < 88 || figures.copies >= 2 {
                let a = Int.random(in: 0..<stores.count, using: &random)
                var b = Int.random(in: 0..<(stores.count - 1), using: &random)
                if b >= a { b += 1 }
                try await sync(a, b, batch: Int.random(in: 1...3, using: &random))
            } else {
                // A copy of a store's files, as a backup tool or a file manager makes it.
                let index = Int.random(in: 0..<stores.count, using: &random)
                let original = stores[index]
                try original.close()
                let copyURL = dir.path("copy-\(figures.copies).sqlite")
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: original.fileURL.path + suffix) {
                    try FileManager.default.copyItem(atPath: original.fileURL.path + suffix, toPath: copyURL.path + suffix)
                }
                stores[index] = try ReplicaStore.open(at: original.fileURL, clock: clock)
                stores.append(try ReplicaStore.open(at: copyURL, clock: clock))
                figures.copies += 1
                trace("store \(stores.count - 1) is a copy of store \(index) (\(original.replicaID.short))")
            }
        }

        // Everyone syncs with the first store, in rounds, rekeying whatever is refused.
        var quiet = false
        for _ in 0..<12 where !quiet {
            var moved = 0
            for index in 1..<stores.count {
                let engine = SyncEngine(
                    store: stores[index], transport: InProcessTransport(store: stores[0], maxBatchRecords: 50),
                    options: SyncOptions(batchRecords: 50, retry: .immediate(attempts: 1)))
                do {
                    let summary = try await engine.run()
                    moved += summary.pulled + summary.pushed
                    trace("final: \(index) (\(stores[index].replicaID.short)) with the first: \(summary.pulled) pulled, \(summary.pushed) pushed")
                } catch let error as GlossError where error.code == .counterReuse || error.code == .conflict {
                    moved += 1
                    trace("final: \(index) with the first refused: \(error.message.prefix(90))")
                    if stores[index].replicaID == stores[0].replicaID { try rekey(index) }
                }
                try rekeyIfRequired(index)
                try rekeyIfRequired(0)
            }
            quiet = moved == 0
        }
        let hashes = Set(try stores.map { try $0.stateHash() })
        for store in stores where tracing {
            for r in try store.records(kind: .note, includeDeleted: true) {
                trace("\(store.replicaID.short) \(r.id) \(r.fields.map { "\($0.key)=\($0.value.siblings.map { "\($0.value)@\($0.dot)" })" }.sorted()) tags=\(r.elements("tags"))")
            }
        }
        guard quiet, hashes.count == 1 else {
            throw GlossError(.conflict, "stores did not converge in 12 rounds: \(hashes.count) distinct state hashes")
        }
        for store in stores where try store.status().rekeyRequired {
            throw GlossError(.conflict, "\(store.name) still needs a rekey after converging")
        }
        // No write lost: checking one store checks all (their states are equal).
        let final = stores[0]
        for write in writes where !write.superseded {
            let held = try final.record(write.record)?.fields[write.field]?.siblings.compactMap(\.value.string) ?? []
            if !held.contains(write.value) { figures.lost.append("\(write.record).\(write.field) lost \(write.value) (holds \(held))") }
        }
        for (id, added) in tags.sorted(by: { $0.key < $1.key }) {
            let held = Set(try final.record(id)?.elements("tags") ?? [])
            if !added.isSubset(of: held) { figures.lost.append("\(id) lost tags \(added.subtracting(held).sorted())") }
        }
        return figures
    }
}
