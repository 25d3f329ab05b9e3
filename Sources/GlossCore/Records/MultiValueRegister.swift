/// A causal multi-value register: the siblings of one field.
///
/// Merge keeps a sibling of one side if the other side has it too or has not seen its write.
/// Siblings are kept sorted by dot, so equal registers compare equal.
public struct MultiValueRegister: Hashable, Sendable {
    /// The siblings, sorted by dot (greatest last).
    public private(set) var siblings: [Sibling]

    /// An empty register.
    public init() { siblings = [] }

    /// A register holding `siblings` (sorted and de-duplicated here).
    public init(siblings: [Sibling]) {
        // One sibling is by far the common case: skip hashing and sorting.
        switch siblings.count {
        case 0, 1: self.siblings = siblings
        case 2:
            // Two siblings (a plain conflict) are common too: order them without hashing.
            let (a, b) = (siblings[0], siblings[1])
            self.siblings = a == b ? [a] : MultiValueRegister.order(a, b) ? [a, b] : [b, a]
        default: self.siblings = Array(Set(siblings)).sorted(by: MultiValueRegister.order)
        }
    }

    static func order(_ a: Sibling, _ b: Sibling) -> Bool {
        if a.dot != b.dot { return a.dot < b.dot }
        // Two values under one dot means a reused counter; order them deterministically anyway,
        // down to the time (a forged or corrupted state may repeat dot and value with another
        // time: without it their order, and the canonical bytes, followed the input order).
        let (x, y) = (String(describing: a.value), String(describing: b.value))
        return x != y ? x < y : a.time < b.time
    }

    /// True when the field holds no value.
    public var isEmpty: Bool { siblings.isEmpty }

    /// The deterministic winner: the sibling with the greatest dot.
    public var winner: Sibling? { siblings.last }

    /// True when the siblings hold more than one distinct value.
    public var isConflicted: Bool {
        guard siblings.count > 1 else { return false }
        let first = siblings[0].value
        return siblings.contains { $0.value != first }
    }

    /// True when one dot carries two different values: a counter was reused (a store copied or
    /// restored from a backup kept writing under its old ID). Both values are kept.
    public var hasDotCollision: Bool {
        // Siblings are sorted by dot, so two values under one dot sit side by side.
        guard siblings.count > 1 else { return false }
        for index in 1..<siblings.count
        where siblings[index].dot == siblings[index - 1].dot && siblings[index].value != siblings[index - 1].value {
            return true
        }
        return false
    }


    /// A local write: replaces every sibling (all are seen locally) with one new value.
    public mutating func assign(_ sibling: Sibling) { siblings = [sibling] }

    /// Removes every sibling (used by delete).
    public mutating func clear() { siblings = [] }

    /// The join of two registers, given each side's version vector.
    public static func merge(
        _ a: MultiValueRegister, _ aContext: VersionVector,
        _ b: MultiValueRegister, _ bContext: VersionVector
    ) -> MultiValueRegister {
        if a.siblings == b.siblings { return a }
        // Common case, one sibling each: a plain causal comparison of two dots.
        if a.siblings.count == 1 && b.siblings.count == 1 {
            let x = a.siblings[0], y = b.siblings[0]
            if x.dot != y.dot {
                let keepX = !bContext.covers(x.dot), keepY = !aContext.covers(y.dot)
                switch (keepX, keepY) {
                case (true, true): return MultiValueRegister(siblings: [x, y])
                case (true, false): return a
                case (false, true): return b
                case (false, false): return MultiValueRegister()
                }
            }
        }
        let aSet = Set(a.siblings), bSet = Set(b.siblings)
        // A dot present on both sides with different values means a reused counter: the other
        // side's vector "covers" the dot only by accident, so both values are kept (a conflict
        // flagged by `hasDotCollision`) rather than both silently dropped.
        let aDots = Set(a.siblings.map(\.dot)), bDots = Set(b.siblings.map(\.dot))
        var kept: [Sibling] = []
        for s in a.siblings where bSet.contains(s) || bDots.contains(s.dot) || !bContext.covers(s.dot) { kept.append(s) }
        for s in b.siblings where !aSet.contains(s) && (aDots.contains(s.dot) || !aContext.covers(s.dot)) { kept.append(s) }
        return MultiValueRegister(siblings: kept)
    }
}
