/// An add-wins observed-remove set of strings (tags, citations).
///
/// Each element carries the dots of the adds that put it there. A removal drops the dots it has
/// seen, so it never resurrects after merging an older state; an add concurrent with a removal
/// carries a dot the remover has not seen, so the add wins.
public struct AddWinsSet: Hashable, Sendable {
    /// Element to the dots of its live adds. No element maps to an empty set.
    public private(set) var entries: [String: Set<Dot>]

    /// An empty set.
    public init() { entries = [:] }

    /// A set with the given entries; empty dot sets are dropped.
    public init(entries: [String: Set<Dot>]) {
        // Filtering copies the dictionary: only do it when there is something to drop.
        self.entries = entries.values.contains(where: \.isEmpty) ? entries.filter { !$0.value.isEmpty } : entries
    }

    /// The elements, sorted.
    public var elements: [String] { entries.keys.sorted() }

    /// True when `element` is present.
    public func contains(_ element: String) -> Bool { entries[element] != nil }

    /// True when the set holds nothing.
    public var isEmpty: Bool { entries.isEmpty }

    /// A local add, stamped with `dot`.
    public mutating func add(_ element: String, dot: Dot) { entries[element] = [dot] }

    /// A local removal of every observed add of `element`.
    public mutating func remove(_ element: String) { entries[element] = nil }

    /// Removes every element (used by delete).
    public mutating func clear() { entries = [:] }

    /// The join of two sets, given each side's version vector.
    public static func merge(
        _ a: AddWinsSet, _ aContext: VersionVector,
        _ b: AddWinsSet, _ bContext: VersionVector
    ) -> AddWinsSet {
        if a.entries == b.entries { return a }
        var result: [String: Set<Dot>] = [:]
        for key in Set(a.entries.keys).union(b.entries.keys) {
            let da = a.entries[key] ?? [], db = b.entries[key] ?? []
            var kept = Set<Dot>()
            for d in da where db.contains(d) || !bContext.covers(d) { kept.insert(d) }
            for d in db where da.contains(d) || !aContext.covers(d) { kept.insert(d) }
            if !kept.isEmpty { result[key] = kept }
        }
        return AddWinsSet(entries: result)
    }
}

extension AddWinsSet: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: [Dot]].self)
        for (_, dots) in raw {
            for dot in dots where dot.counter == 0 || dot.counter >= UInt64(1) << 53 {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "version counter out of range (1...2^53-1): \(dot.counter)")
            }
        }
        self.init(entries: raw.mapValues { Set($0) })
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries.mapValues { $0.sorted() })
    }
}
