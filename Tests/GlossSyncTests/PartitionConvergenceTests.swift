import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// The convergence property at scale: 3-8 replicas write every kind of record (documents with a
/// head, immutable revisions, annotations with tags, notes with citations), delete, and resolve
/// conflicts, while the network partitions them into groups that cannot talk for a while and
/// loses, duplicates and reorders batches. Once healed and synced until quiet, every replica holds
/// the same state, equal to the join of every state any replica held (no write lost), and a
/// resolution made on one replica clears the conflicts everywhere.
///
/// `GLOSS_SEEDS` sets the number of seeds (1,000 by default) and `GLOSS_SEED_BASE` the first.
@Suite struct PartitionConvergenceTests {
    /// Seeds that once failed (2953, 3269, 5425: a false copy alarm after a lost session answer);
    /// each is replayed on every run.
    static let regressionSeeds: [UInt64] = [0, 7, 42, 2953, 3269, 5425]

    static var seedCount: UInt64 { ProcessInfo.processInfo.environment["GLOSS_SEEDS"].flatMap { UInt64($0) } ?? 1_000 }
    static var seedBase: UInt64 { ProcessInfo.processInfo.environment["GLOSS_SEED_BASE"].flatMap { UInt64($0) } ?? 0 }

    /// Figures of one scenario.
    struct Figures {
        var faults = 0
        var partitions = 0
        var conflictsResolved = 0
        var writes = 0
        var syncs = 0
    }

    @Test func randomHistoriesWithPartitionsConvergeAndResolutionsClearConflicts() async throws {
        let started = Date()
        // Seeds run on one worker per core (GLOSS_SEED_WORKERS overrides); each is independent.
        let outcome = await SeedRunner.run(Self.seedBase..<(Self.seedBase + Self.seedCount)) { seed in
            try await Self.runScenario(seed: seed)
        }
        let failures = outcome.failed.map(\.seed)
        for (seed, error) in outcome.failed {
            Issue.record("seed \(seed) failed: \(error). Replay it by adding it to regressionSeeds.")
        }
        var total = Figures()
        for figures in outcome.passed {
            total.faults += figures.faults
            total.partitions += figures.partitions
            total.conflictsResolved += figures.conflictsResolved
            total.writes += figures.writes
            total.syncs += figures.syncs
        }
        print("""
            partition convergence: \(outcome.ran) of \(Self.seedCount) seeds from \(Self.seedBase) \
            (\(StoreMedium.seedsOnFiles(Self.seedBase..<(Self.seedBase + UInt64(outcome.ran)))) on files) on \(SeedRunner.defaultWorkers) workers, \(failures.count) failed, \
            \(total.writes) writes, \(total.syncs) syncs, \(total.faults) injected faults, \(total.partitions) partitions, \
            \(total.conflictsResolved) conflicted records resolved, \(String(format: "%.1f", Date().timeIntervalSince(started))) s
            """)
        #expect(failures.isEmpty, "failing seeds: \(failures)")
        // The property was tested under the conditions it claims (over the seeds that passed: a run
        // stops early after three failing seeds).
        #expect(total.faults > outcome.passed.count)
        #expect(total.partitions > outcome.passed.count / 4)
        #expect(total.conflictsResolved > outcome.passed.count / 10)
    }

    /// Each kept seed replays on files and in memory, whatever medium it first failed on.
    @Test(arguments: regressionSeeds, [StoreMedium.files, .memory])
    func regressionSeedConverges(seed: UInt64, medium: StoreMedium) async throws {
        _ = try await Self.runScenario(seed: seed, medium: medium)
    }

    static let documents = ["d0", "d1"]
    static let annotations = ["a0", "a1", "a2"]
    static let notes = ["n0", "n1"]
    static let words = ["alpha", "beta", "gamma"]

    /// One random local write on `store`.
    static func randomWrite(_ store: ReplicaStore, _ random: inout SeededRandom) throws {
        let word = random.pick(words)
        let roll = Int.random(in: 0..<100, using: &random)
        if roll >= 80 {
            // A resolution: a write covering every sibling of a conflicted record seen here.
            let conflicted = try allRecords(store).filter(\.isConflicted)
            if conflicted.isEmpty { return }
            let record = random.pick(conflicted)
            _ = try store.write { w in try resolve(record, in: w) }
            return
        }
        _ = try store.write { w in
            switch roll {
            case 0..<20:
                // A new revision of a document: an immutable record named by its text's hash,
                // then the document's head moved to it (a conflict when two replicas do it apart).
                let document = random.pick(documents)
                let text = "\(document) text \(word) \(Int.random(in: 0..<3, using: &random))"
                let revision = "rev-" + String(SHA256.hex(text).prefix(16))
                if try w.record(revision) == nil {
                    try w.update(revision, kind: .revision) { e in
                        e.set(FieldName.document, .string(document))
                        e.set(FieldName.text, .string(text))
                    }
                }
                try w.update(document, kind: .document) { e in
                    e.set("head", .string(revision))
                    e.set(FieldName.title, .string("\(document) \(word)"))
                }
            case 20..<45:
                let id = random.pick(annotations)
                let op = Int.random(in: 0..<5, using: &random)
                try w.update(id, kind: .annotation) { e in
                    switch op {
                    case 0: e.set(FieldName.comment, .string("comment \(word)"))
                    case 1: e.add(word, to: FieldName.tags)
                    case 2: e.remove(word, from: FieldName.tags)
                    case 3: e.set("credibility", .int(Int64(word.count % 6 + 1)))
                    default:
                        e.set(FieldName.document, .string(random.pick(documents)))
                        e.set(FieldName.exact, .string("3,000-6,000 \(word)"))
                    }
                }
            case 45..<70:
                let id = random.pick(notes)
                let op = Int.random(in: 0..<4, using: &random)
                try w.update(id, kind: .note) { e in
                    switch op {
                    case 0: e.set(FieldName.body, .string("troop numbers: \(word)"))
                    case 1: e.add(random.pick(annotations), to: "citations")
                    case 2: e.remove(random.pick(annotations), from: "citations")
                    default: e.set(FieldName.title, .string("note \(word)"))
                    }
                }
            default:
                // A delete (of an annotation, a note or a document).
                let id = random.pick(annotations + notes + documents)
                if let existing = try w.record(id) {
                    try w.update(id, kind: existing.kind) { $0.delete() }
                }
            }
        }
    }

    /// Every record of every kind, deleted ones included.
    static func allRecords(_ store: ReplicaStore) throws -> [GlossCore.Record] {
        try store.allRecords(includeDeleted: true)
    }

    /// Resolves every conflict of `record` in one local write, keeping the shown winner (a delete
    /// that met an edit is confirmed).
    static func resolve(_ record: GlossCore.Record, in w: LocalWriter) throws {
        try w.update(record.id, kind: record.kind) { e in
            if record.hasDeleteEditConflict {
                e.delete()
                return
            }
            for field in record.conflictedFields {
                if let value = record.value(field) { e.set(field, value) }
            }
        }
    }

    /// One random history with partitions; throws when the replicas do not converge.
    static func runScenario(seed: UInt64, medium: StoreMedium? = nil) async throws -> Figures {
        var random = SeededRandom(seed: seed)
        var figures = Figures()
        let count = Int.random(in: 3...8, using: &random)
        let dir = try ScratchDirectory.make(prefix: "gloss-partition")
        defer { dir.remove() }
        let clock = TestStores.steppingClock()
        let stores = try TestStores.replicas(count, on: medium ?? .of(seed: seed), in: dir, clock: clock)
        defer { for store in stores { try? store.close() } }
        // group[i]: the side of the partition replica i is on (all 0 when healed).
        var group = Array(repeating: 0, count: count)
        var transports: [FaultyTransport] = []
        let steps = Int.random(in: 6...16, using: &random)
        for _ in 0..<steps {
            let roll = Double.random(in: 0..<1, using: &random)
            if roll < 0.1 {
                if group.allSatisfy({ $0 == 0 }) {
                    group = (0..<count).map { _ in Int.random(in: 0...1, using: &random) }
                    figures.partitions += 1
                } else {
                    group = Array(repeating: 0, count: count)
                }
            } else if roll < 0.6 {
                try randomWrite(random.pick(stores), &random)
                figures.writes += 1
            } else {
                let a = Int.random(in: 0..<count, using: &random)
                let peers = (0..<count).filter { $0 != a && group[$0] == group[a] }
                guard !peers.isEmpty else { continue }
                let b = random.pick(peers)
                let faulty = FaultyTransport(
                    InProcessTransport(store: stores[b], maxBatchRecords: Int.random(in: 1...4, using: &random)),
                    seed: random.next(), faultRate: 0.3)
                transports.append(faulty)
                let engine = SyncEngine(
                    store: stores[a], transport: faulty,
                    options: SyncOptions(batchRecords: Int.random(in: 1...4, using: &random), retry: .immediate(attempts: 3)))
                figures.syncs += 1
                do {
                    _ = try await engine.run()
                } catch let error as GlossError where error.code == .transport {
                    // Gave up after retries: a failed sync must leave nothing half done.
                }
            }
        }
        // Heal: late deliveries land, then everything must converge to the join of all states.
        for faulty in transports {
            await faulty.flush()
            figures.faults += faulty.faults
        }
        var expected: [String: GlossCore.Record] = [:]
        for store in stores {
            for record in try allRecords(store) {
                expected[record.id] = expected[record.id].map { $0.merged(with: record) } ?? record
            }
        }
        try await SyncTesting.syncAllUntilQuiet(stores)
        try expectIdentical(stores, expected: expected)

        // A resolution on one replica clears every conflict everywhere once synced.
        let conflicted = try allRecords(stores[0]).filter(\.isConflicted)
        if !conflicted.isEmpty {
            _ = try stores[0].write { w in
                for record in conflicted { try resolve(record, in: w) }
            }
            figures.conflictsResolved += conflicted.count
            try await SyncTesting.syncAllUntilQuiet(stores)
            for store in stores {
                let left = try store.conflictedRecordIDs()
                guard left.isEmpty else { throw GlossError(.conflict, "\(store.name) still has conflicts \(left) after resolution") }
            }
            try expectIdentical(stores, expected: nil)
        }
        for store in stores {
            let problems = try StoreInvariants.violations(in: store)
            guard problems.isEmpty else { throw GlossError(.conflict, "\(store.name): \(problems)") }
        }
        return figures
    }

    /// All stores hold the same states (and exactly `expected`, when given).
    static func expectIdentical(_ stores: [ReplicaStore], expected: [String: GlossCore.Record]?) throws {
        let hashes = try stores.map { try $0.stateHash() }
        guard Set(hashes).count == 1 else {
            throw GlossError(.conflict, "replicas diverged: \(Set(hashes).count) distinct state hashes")
        }
        guard let expected else { return }
        // Equal hashes mean equal record states: checking one store against the join checks all.
        for store in stores.prefix(1) {
            let records = try allRecords(store)
            guard records.count == expected.count else {
                throw GlossError(.conflict, "\(store.name) has \(records.count) records, expected \(expected.count)")
            }
            for record in records where expected[record.id] != record {
                throw GlossError(.conflict, "\(store.name) holds \(record.id) other than the join of all states")
            }
        }
    }
}
