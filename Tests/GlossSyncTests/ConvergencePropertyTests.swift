import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// Replicas that edit apart and sync pairwise over a network that loses, duplicates and reorders
/// batches end up identical once they all sync until quiet, and identical to the join of every
/// state any of them held: no write is lost.
@Suite struct ConvergencePropertyTests {
    /// Seeds replayed on every run, whatever GLOSS_SEED_BASE says: add any seed that fails here.
    /// No seed has failed since the test was written; 0-2 are smoke seeds so the list runs.
    static let regressionSeeds: [UInt64] = [0, 1, 2]

    @Test func thousandRandomHistoriesConvergeOverAFaultyNetwork() async throws {
        let seeds = SeedRunner.seeds(countVariable: "GLOSS_PROPERTY_SEEDS", defaultCount: 1_000)
        let started = Date()
        // Seeds run on one worker per core (GLOSS_SEED_WORKERS overrides); each is independent.
        let outcome = await SeedRunner.run(seeds) { seed in try await Self.runScenario(seed: seed) }
        for (seed, error) in outcome.failed {
            Issue.record("seed \(seed) failed: \(error). Replay it by adding it to regressionSeeds.")
        }
        let totalFaults = outcome.passed.reduce(0, +)
        print("""
            convergence property: \(outcome.ran) of \(seeds.count) seeds from \(seeds.lowerBound) \
            (\(StoreMedium.seedsOnFiles(seeds.lowerBound..<(seeds.lowerBound + UInt64(outcome.ran)))) on files) on \(SeedRunner.defaultWorkers) workers, \
            \(outcome.failed.count) failed, \(totalFaults) injected faults, \(String(format: "%.1f", Date().timeIntervalSince(started))) s
            """)
        #expect(outcome.failed.isEmpty, "failing seeds: \(outcome.failed.map(\.seed))")
        // The network really was faulty: the property was tested under faults (over the seeds
        // that passed: a run stops early after three failing seeds).
        #expect(totalFaults > outcome.passed.count)
    }

    /// Each kept seed replays on files and in memory, whatever medium it first failed on.
    @Test(arguments: regressionSeeds, [StoreMedium.files, .memory])
    func regressionSeedConverges(seed: UInt64, medium: StoreMedium) async throws {
        _ = try await Self.runScenario(seed: seed, medium: medium)
    }

    /// One random history; throws when the replicas do not converge. Returns the faults injected.
    static func runScenario(seed: UInt64, medium: StoreMedium? = nil) async throws -> Int {
        var random = SeededRandom(seed: seed)
        let count = Int.random(in: 3...8, using: &random)
        let dir = try ScratchDirectory.make(prefix: "gloss-prop")
        defer { dir.remove() }
        let clock = TestStores.steppingClock()
        let stores = try TestStores.replicas(count, on: medium ?? .of(seed: seed), in: dir, clock: clock)
        defer { for store in stores { try? store.close() } }
        let ids = ["n0", "n1", "n2", "n3"]
        let values = ["alpha", "beta", "gamma"]
        var transports: [FaultyTransport] = []
        var faults = 0
        let steps = Int.random(in: 4...9, using: &random)
        for _ in 0..<steps {
            if random.chance(0.55) {
                let store = random.pick(stores)
                let id = random.pick(ids)
                let op = Int.random(in: 0..<6, using: &random)
                let value = random.pick(values)
                _ = try store.write { w in
                    try w.update(id, kind: .note) { e in
                        switch op {
                        case 0: e.set("title", .string(value))
                        case 1: e.set("body", .string(value + " body"))
                        case 2: e.add(value, to: "tags")
                        case 3: e.remove(value, from: "tags")
                        case 4: e.delete()
                        default:
                            e.set("title", .string(value))
                            e.add("multi", to: "tags")
                        }
                    }
                }
            } else {
                let a = Int.random(in: 0..<count, using: &random)
                var b = Int.random(in: 0..<(count - 1), using: &random)
                if b >= a { b += 1 }
                let batch = Int.random(in: 1...4, using: &random)
                let faulty = FaultyTransport(
                    InProcessTransport(store: stores[b], maxBatchRecords: Int.random(in: 1...4, using: &random)),
                    seed: random.next(), faultRate: 0.3)
                transports.append(faulty)
                let engine = SyncEngine(
                    store: stores[a], transport: faulty,
                    options: SyncOptions(batchRecords: batch, retry: .immediate(attempts: 3)))
                do {
                    _ = try await engine.run()
                } catch let error as GlossError where error.code == .transport {
                    // Gave up after retries: a failed sync that must leave nothing half done.
                }
            }
        }
        // Late deliveries of delayed pushes, then everything must still converge.
        for faulty in transports {
            await faulty.flush()
            faults += faulty.faults
        }
        // The expected outcome: the join of every record state any replica holds now.
        var expected: [String: Record] = [:]
        for store in stores {
            for record in try store.records(kind: .note, includeDeleted: true) {
                expected[record.id] = expected[record.id].map { $0.merged(with: record) } ?? record
            }
        }
        // Everyone syncs with the first replica, in rounds, until all hold the same state.
        var hashes: [String] = []
        for _ in 0..<6 {
            try await SyncTesting.syncRound(stores)
            hashes = try stores.map { try $0.stateHash() }
            if Set(hashes).count == 1 { break }
        }
        guard Set(hashes).count == 1 else {
            throw GlossError(.conflict, "replicas diverged after 6 rounds: \(Set(hashes).count) distinct state hashes")
        }
        // Equal hashes mean equal record states: checking one store against the join checks all.
        for store in stores.prefix(1) {
            let records = try store.records(kind: .note, includeDeleted: true)
            guard records.count == expected.count else {
                throw GlossError(.conflict, "\(store.name) has \(records.count) records, expected \(expected.count)")
            }
            for record in records where expected[record.id] != record {
                throw GlossError(.conflict, "\(store.name) holds \(record.id) other than the join of all states")
            }
        }
        return faults
    }
}
