import Foundation

/// Runs the seeds of a randomized property test on several workers at once (each seed is an
/// independent scenario with its own stores), stopping early after a few failing seeds.
///
/// A seed's outcome does not depend on which worker ran it or in what order: a failing seed
/// replays alone.
public enum SeedRunner {
    /// The seeds `base ..< base + count` of a test whose count and base come from the environment
    /// variables `countVariable` and `GLOSS_SEED_BASE` (defaults `defaultCount` and 0).
    public static func seeds(countVariable: String, defaultCount: UInt64) -> Range<UInt64> {
        let environment = ProcessInfo.processInfo.environment
        let count = environment[countVariable].flatMap { UInt64($0) } ?? defaultCount
        let base = environment["GLOSS_SEED_BASE"].flatMap { UInt64($0) } ?? 0
        return base..<(base + count)
    }

    /// Workers to run seeds on: `GLOSS_SEED_WORKERS`, else one per core.
    public static var defaultWorkers: Int {
        ProcessInfo.processInfo.environment["GLOSS_SEED_WORKERS"].flatMap { Int($0) }.map { max($0, 1) }
            ?? max(ProcessInfo.processInfo.activeProcessorCount, 1)
    }

    /// What a run found.
    public struct Outcome<Figures: Sendable>: Sendable {
        /// The figures of every seed that passed.
        public var passed: [Figures] = []
        /// Every seed that failed, with its error, in seed order.
        public var failed: [(seed: UInt64, error: any Error)] = []
        /// Seeds run (fewer than asked when the run stopped early).
        public var ran = 0
    }

    /// Runs `scenario` for each seed in `seeds`, `workers` at a time, and stops handing out new
    /// seeds once `maxFailures` have failed.
    public static func run<Figures: Sendable>(
        _ seeds: Range<UInt64>, workers: Int = defaultWorkers, maxFailures: Int = 3,
        scenario: @escaping @Sendable (UInt64) async throws -> Figures
    ) async -> Outcome<Figures> {
        let queue = SeedQueue(seeds, maxFailures: maxFailures)
        return await withTaskGroup(of: Outcome<Figures>.self) { group in
            for _ in 0..<max(workers, 1) {
                group.addTask {
                    var outcome = Outcome<Figures>()
                    while let seed = queue.next() {
                        outcome.ran += 1
                        do {
                            outcome.passed.append(try await scenario(seed))
                        } catch {
                            outcome.failed.append((seed, error))
                            queue.failed()
                        }
                    }
                    return outcome
                }
            }
            var all = Outcome<Figures>()
            for await part in group {
                all.passed += part.passed
                all.failed += part.failed
                all.ran += part.ran
            }
            all.failed.sort { $0.seed < $1.seed }
            return all
        }
    }
}

/// Hands out seeds in order to workers, and none after enough failures.
final class SeedQueue: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var next_: UInt64
    private let end: UInt64
    private var failures = 0
    private let maxFailures: Int

    init(_ seeds: Range<UInt64>, maxFailures: Int) {
        next_ = seeds.lowerBound
        end = seeds.upperBound
        self.maxFailures = maxFailures
    }

    func next() -> UInt64? {
        lock.withLock {
            guard next_ < end, failures < maxFailures else { return nil }
            defer { next_ += 1 }
            return next_
        }
    }

    func failed() { lock.withLock { failures += 1 } }
}
