import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// Several clients write and sync continuously against one real `gloss serve` for a bounded
/// time: no sync may fail and no write may be lost (every write of every client is counted in the
/// hub's version vectors at the end); the sync latency percentiles are printed.
///
/// Defaults (CI): 3 clients x 20 changes/s x 20 s. Longer runs: `GLOSS_LOAD_CLIENTS`,
/// `GLOSS_LOAD_RATE` (changes per second per client), `GLOSS_LOAD_SECONDS`.
// Timing-sensitive: in the full, parallel suite on 2 cores, blocking tests starve the
// cooperative thread pool and these measure the machine, not the server. `.ci/run` runs them in
// a step of their own (GLOSS_TIMING_TESTS=1).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GLOSS_TIMING_TESTS"] == "1"))
struct LoadTests {
    static let token = "load-token"

    static func setting(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
    }

    /// What one client did.
    struct ClientRun: Sendable {
        var writes: [String: UInt64] = [:]  // record ID -> local writes made to it
        var latencies: [Double] = []
        var errors: [String] = []
        var pulled = 0
    }

    /// One client: writes on schedule (one transaction per change: new notes, edits of its own
    /// notes, edits of the shared notes everyone edits), and syncs as fast as it can in between.
    static func runClient(_ index: Int, store: ReplicaStore, url: URL, rate: Int, until deadline: Date) async -> ClientRun {
        var run = ClientRun()
        var random = SeededRandom(seed: UInt64(index) &* 7919)
        let started = Date()
        var written = 0
        var rounds = 0
        do {
            let client = try SyncClient(baseURL: url, token: token, timeout: 30)
            let options = SyncOptions(batchRecords: 500, retry: RetryPolicy(attempts: 1))
            while Date() < deadline {
                let due = Int(Date().timeIntervalSince(started) * Double(rate))
                while written < due {
                    let id: String
                    switch Int.random(in: 0..<10, using: &random) {
                    case 0..<4: id = "c\(index)-note-\(written)"
                    case 4..<8: id = "c\(index)-note-\(Int.random(in: 0...max(0, written - 1), using: &random))"
                    default: id = "shared-\(Int.random(in: 0..<5, using: &random))"
                    }
                    let value = "client \(index) write \(written)"
                    _ = try store.write { w in try w.update(id, kind: .note) { $0.set("title", .string(value)) } }
                    run.writes[id, default: 0] += 1
                    written += 1
                }
                let start = Date()
                do {
                    let summary = try await SyncEngine(store: store, transport: client, options: options).run()
                    run.latencies.append(Date().timeIntervalSince(start))
                    run.pulled += summary.pulled
                } catch {
                    run.errors.append("client \(index) sync \(rounds): \(error)")
                }
                rounds += 1
            }
        } catch {
            run.errors.append("client \(index): \(error)")
        }
        return run
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    @Test func clientsSyncingContinuouslyLoseNothingAndNeverFail() async throws {
        let clients = Self.setting("GLOSS_LOAD_CLIENTS", 3)
        let rate = Self.setting("GLOSS_LOAD_RATE", 20)
        let seconds = Self.setting("GLOSS_LOAD_SECONDS", 20)
        let dir = try TemporaryDirectory(prefix: "gloss-load")
        defer { dir.remove() }
        let hubFile = dir.path("hub.sqlite")
        try ReplicaStore.create(at: hubFile, name: "hub").close()
        let server = try ServeProcess(store: hubFile, token: Self.token)
        defer { server.stop() }
        let url = URL(string: server.url)!
        var stores: [ReplicaStore] = []
        for i in 0..<clients { stores.append(try ReplicaStore.create(at: dir.path("client\(i).sqlite"), name: "client\(i)")) }
        defer { for store in stores { try? store.close() } }

        let deadline = Date().addingTimeInterval(Double(seconds))
        let runs = await withTaskGroup(of: (Int, ClientRun).self) { group in
            for (i, store) in stores.enumerated() {
                group.addTask { (i, await Self.runClient(i, store: store, url: url, rate: rate, until: deadline)) }
            }
            var all: [(Int, ClientRun)] = []
            for await run in group { all.append(run) }
            // In client order (the group yields them as they finish).
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // Quiesce: two rounds of every client, so everyone has everyone's writes.
        for _ in 0..<2 {
            for store in stores {
                let client = try SyncClient(baseURL: url, token: Self.token)
                _ = try await SyncEngine(store: store, transport: client).run()
            }
        }

        let errors = runs.flatMap(\.errors)
        let latencies = runs.flatMap(\.latencies).sorted()
        let writes = runs.reduce(0) { $0 + $1.writes.values.reduce(0, +) }
        // Lost writes: a client's writes to a record are its counter in the hub's version of it.
        var lost = 0
        let hub = try ReplicaStore.open(at: hubFile)
        defer { try? hub.close() }
        for (store, run) in zip(stores, runs) {
            for (id, count) in run.writes {
                let held = try hub.record(id)?.version[store.replicaID] ?? 0
                // Fewer writes in the hub is a loss; more would mean one was recorded twice.
                if held != UInt64(count) { lost += max(1, Int(UInt64(count) - min(held, UInt64(count)))) }
            }
        }
        let hubHash = try hub.stateHash()
        let converged = try stores.allSatisfy { try $0.stateHash() == hubHash }
        let problems = try StoreInvariants.violations(in: hub) + stores.flatMap { try StoreInvariants.violations(in: $0) }
        print("""
            load: \(clients) clients x \(rate) changes/s x \(seconds) s against one gloss serve: \(writes) writes, \
            \(latencies.count) syncs, \(errors.count) errors, \(lost) lost writes, converged: \(converged); sync latency \
            p50 \(String(format: "%.1f", Self.percentile(latencies, 0.5) * 1000)) ms, \
            p99 \(String(format: "%.1f", Self.percentile(latencies, 0.99) * 1000)) ms, \
            max \(String(format: "%.1f", (latencies.last ?? 0) * 1000)) ms
            """)
        for error in errors.prefix(10) { Issue.record("\(error)") }
        #expect(errors.isEmpty)
        #expect(lost == 0)
        #expect(converged)
        #expect(problems.isEmpty, "\(problems)")
        // The load was real: most of the scheduled writes happened, and clients synced often.
        #expect(writes >= clients * rate * seconds * 8 / 10)
        #expect(latencies.count >= clients * seconds)
    }
}
