import Foundation
import GlossCore
import GlossStore
import GlossSync

/// Sync helpers for tests.
public enum SyncTesting {
    /// Syncs `a` with `b` (a pulls from and pushes to b) over a reliable in-process transport,
    /// repeating until a sync moves nothing; returns the number of rounds. Fails after `maxRounds`.
    @discardableResult
    public static func syncUntilQuiet(
        _ a: ReplicaStore, _ b: ReplicaStore, batchRecords: Int = 7, maxRounds: Int = 10
    ) async throws -> Int {
        for round in 1...maxRounds {
            let engine = SyncEngine(
                store: a, transport: InProcessTransport(store: b, maxBatchRecords: batchRecords),
                options: SyncOptions(batchRecords: batchRecords, retry: .immediate(attempts: 1)))
            let summary = try await engine.run()
            if summary.pulled == 0 && summary.pushed == 0 { return round }
        }
        throw GlossError(.conflict, "sync of \(a.name) with \(b.name) did not become quiet in \(maxRounds) rounds")
    }

    /// Syncs every store after the first with the first (a hub), once, over a reliable transport;
    /// returns the records moved.
    @discardableResult
    public static func syncRound(_ stores: [ReplicaStore], batchRecords: Int = 50) async throws -> Int {
        var moved = 0
        for store in stores.dropFirst() {
            let engine = SyncEngine(
                store: store, transport: InProcessTransport(store: stores[0], maxBatchRecords: batchRecords),
                options: SyncOptions(batchRecords: batchRecords, retry: .immediate(attempts: 1)))
            let summary = try await engine.run()
            moved += summary.pulled + summary.pushed
        }
        return moved
    }

    /// Syncs every store with the first (a hub), in rounds, until a whole round moves nothing.
    public static func syncAllUntilQuiet(_ stores: [ReplicaStore], batchRecords: Int = 50, maxRounds: Int = 10) async throws {
        for _ in 1...maxRounds {
            var moved = 0
            for store in stores.dropFirst() {
                for other in [stores[0]] {
                    let engine = SyncEngine(
                        store: store, transport: InProcessTransport(store: other, maxBatchRecords: batchRecords),
                        options: SyncOptions(batchRecords: batchRecords, retry: .immediate(attempts: 1)))
                    let summary = try await engine.run()
                    moved += summary.pulled + summary.pushed
                }
            }
            if moved == 0 { return }
        }
        throw GlossError(.conflict, "replicas did not become quiet in \(maxRounds) rounds")
    }
}
