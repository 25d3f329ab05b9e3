import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The merge is a join: commutative, associative, idempotent, over random histories.
/// Each test runs 1,000 seeds; a failure names its seed (add it to `regressionSeeds`).
@Suite struct MergeLawTests {
    static let seeds: [UInt64] = Array(0..<1000)
    /// Seeds that once failed, kept forever.
    static let regressionSeeds: [UInt64] = []

    @Test func mergeIsCommutative() {
        for seed in Self.seeds + Self.regressionSeeds {
            let s = RandomHistory.states(seed: seed)
            #expect(s[0].merged(with: s[1]) == s[1].merged(with: s[0]), "commutativity fails for seed \(seed)")
        }
    }

    @Test func mergeIsAssociative() {
        for seed in Self.seeds + Self.regressionSeeds {
            let s = RandomHistory.states(seed: seed)
            let left = s[0].merged(with: s[1]).merged(with: s[2])
            let right = s[0].merged(with: s[1].merged(with: s[2]))
            #expect(left == right, "associativity fails for seed \(seed)")
        }
    }

    @Test func mergeIsIdempotent() {
        for seed in Self.seeds + Self.regressionSeeds {
            let s = RandomHistory.states(seed: seed)
            #expect(s[0].merged(with: s[0]) == s[0], "idempotence fails for seed \(seed)")
            let ab = s[0].merged(with: s[1])
            #expect(ab.merged(with: s[1]) == ab, "re-delivery changes the state for seed \(seed)")
        }
    }

    @Test func sameWritesGiveSameStateWhateverTheDeliveryOrderAndDuplication() {
        for seed in Self.seeds + Self.regressionSeeds {
            let states = RandomHistory.states(seed: seed, replicas: 5)
            var rng = SeededRandom(seed: seed ^ 0xABCDEF)
            var finals: Set<Record> = []
            for _ in 0..<4 {
                // Deliver every state at least once, some twice, in a random order.
                var deliveries = states + states.filter { _ in rng.chance(0.3) }
                deliveries.shuffle(using: &rng)
                finals.insert(deliveries.reduce(Record(id: "rec", kind: .note)) { $0.merged(with: $1) })
            }
            #expect(finals.count == 1, "delivery order changes the result for seed \(seed)")
        }
    }

    @Test func encodingRoundTripsAndIsCanonical() throws {
        for seed in Self.seeds.prefix(300) {
            let s = RandomHistory.states(seed: seed)
            let merged = s[0].merged(with: s[1])
            let decoded = try Record.decode(merged.canonicalData())
            #expect(decoded == merged, "round trip fails for seed \(seed)")
            #expect(s[1].merged(with: s[0]).canonicalData() == merged.canonicalData(), "encoding not canonical, seed \(seed)")
            // The fast codec and Codable agree both ways.
            #expect(try JSONDecoder().decode(Record.self, from: merged.canonicalData()) == merged, "seed \(seed)")
            #expect(try Record.decode(JSONEncoder().encode(merged)) == merged, "seed \(seed)")
        }
    }
}
