import GlossCore

/// Random histories of one record across several replicas: local writes, tag adds and removals,
/// deletes and pairwise merges, all driven by a seed. Property tests run the merge laws over them.
public enum RandomHistory {
    /// `replicas` fixed replica IDs (the same for every seed, so failures replay).
    public static func replicaIDs(_ count: Int) -> [ReplicaID] {
        (0..<count).map { i in ReplicaID(String(repeating: String(i % 10), count: 24) + String(format: "%08x", i))! }
    }

    /// The final states of each replica after `steps` random operations.
    public static func states(seed: UInt64, replicas count: Int = 4, steps: Int = 30) -> [Record] {
        var rng = SeededRandom(seed: seed)
        let ids = replicaIDs(count)
        var states = Array(repeating: Record(id: "rec", kind: .note), count: count)
        var time: Int64 = 0
        for _ in 0..<steps {
            let r = Int.random(in: 0..<count, using: &rng)
            let op = Double.random(in: 0..<1, using: &rng)
            time += 1
            if op < 0.35 {
                let field = rng.pick(["a", "b", "c"])
                let value = Int64.random(in: 0..<5, using: &rng)
                states[r].edit(by: ids[r], at: time) { $0.set(field, .int(value)) }
            } else if op < 0.55 {
                let tag = rng.pick(["x", "y", "z"])
                states[r].edit(by: ids[r], at: time) { $0.add(tag, to: "tags") }
            } else if op < 0.7 {
                let tag = rng.pick(["x", "y", "z"])
                states[r].edit(by: ids[r], at: time) { $0.remove(tag, from: "tags") }
            } else if op < 0.75 {
                states[r].edit(by: ids[r], at: time) { $0.delete() }
            } else {
                let other = Int.random(in: 0..<count, using: &rng)
                states[r] = states[r].merged(with: states[other])
            }
        }
        return states
    }
}
