import Foundation

/// Where a property-test seed keeps its replicas.
///
/// A seed makes 3-8 replicas, runs a few dozen transactions on them and drops them, a thousand
/// times per test. On files, a store's fixed costs (a WAL pool with its reader connection, file
/// locks taken and released around every transaction, syncs) were a quarter of the tests' CPU
/// (33 of 138 CPU-seconds were the kernel's) and had nothing to do with the property under test,
/// which is about merging and syncing. In memory, a store runs the same schema, statements and
/// merge (`ReplicaStore.inMemory`). One seed in 20 still runs on files, so every run also covers
/// the code as `gloss` runs it: a `DatabasePool` in WAL mode, reads on their own connection.
public enum StoreMedium: String, Sendable {
    case memory
    case files

    /// One seed in `filesEvery` runs on files.
    public static let filesEvery: UInt64 = 20

    /// The medium of `seed`: files for one seed in `filesEvery`, memory for the rest, or the
    /// medium `GLOSS_STORE_MEDIUM` names (`files` or `memory`) for every seed. A seed's medium
    /// depends on the seed alone, so a failing seed replays as it ran.
    public static func of(seed: UInt64) -> StoreMedium {
        if let forced = ProcessInfo.processInfo.environment["GLOSS_STORE_MEDIUM"].flatMap(StoreMedium.init(rawValue:)) {
            return forced
        }
        return seed % filesEvery == 0 ? .files : .memory
    }

    /// How many of `seeds` run on files.
    public static func seedsOnFiles(_ seeds: Range<UInt64>) -> Int {
        seeds.count { of(seed: $0) == .files }
    }
}
