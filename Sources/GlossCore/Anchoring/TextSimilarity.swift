/// Similarity measures on scalar arrays, used to rank candidate anchors.
public enum TextSimilarity {
    /// The Levenshtein edit distance (insertions, deletions, substitutions).
    public static func editDistance(_ a: ArraySlice<UInt32>, _ b: ArraySlice<UInt32>) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for (i, x) in a.enumerated() {
            current[0] = i + 1
            for (j, y) in b.enumerated() {
                let substitution = previous[j] + (x == y ? 0 : 1)
                current[j + 1] = min(substitution, previous[j + 1] + 1, current[j] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// 1 for equal texts, 0 for texts with nothing in common: 1 - distance / longer length.
    public static func similarity(_ a: ArraySlice<UInt32>, _ b: ArraySlice<UInt32>) -> Double {
        let longest = max(a.count, b.count)
        if longest == 0 { return 1 }
        return 1 - Double(editDistance(a, b)) / Double(longest)
    }

    /// The numbers in a text, as written ("3,000", "6.5", "2024"), in order. Re-anchoring refuses
    /// an approximate match that changed any of them: a passage whose figures changed is a
    /// different claim, not the same passage.
    public static func numbers(_ scalars: ArraySlice<UInt32>) -> [String] {
        var result: [String] = []
        var current: [UInt32] = []
        let values = Array(scalars)
        func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
        var i = 0
        while i < values.count {
            let v = values[i]
            if isDigit(v) {
                current.append(v)
            } else if !current.isEmpty, v == 0x2C || v == 0x2E, i + 1 < values.count, isDigit(values[i + 1]) {
                current.append(v)
            } else if !current.isEmpty {
                result.append(ScalarText.string(current))
                current = []
            }
            i += 1
        }
        if !current.isEmpty { result.append(ScalarText.string(current)) }
        return result
    }

    /// The best approximate occurrence of `pattern` inside `text[window]` (Sellers' algorithm:
    /// edit distance with a free start and end in the text). Returns its range and distance.
    public static func bestMatch(
        of pattern: [UInt32], in text: [UInt32], window: Range<Int>
    ) -> (start: Int, end: Int, distance: Int)? {
        let m = pattern.count
        guard m > 0, !window.isEmpty else { return nil }
        var cost = Array(0...m)
        var origin = [Int](repeating: window.lowerBound, count: m + 1)
        var nextCost = [Int](repeating: 0, count: m + 1)
        var nextOrigin = [Int](repeating: 0, count: m + 1)
        var best: (start: Int, end: Int, distance: Int)? = nil
        for j in window {
            let t = text[j]
            nextCost[0] = 0
            nextOrigin[0] = j + 1
            for i in 1...m {
                var c = cost[i - 1] + (pattern[i - 1] == t ? 0 : 1)
                var o = origin[i - 1]
                if cost[i] + 1 < c {
                    c = cost[i] + 1
                    o = origin[i]
                }
                if nextCost[i - 1] + 1 < c {
                    c = nextCost[i - 1] + 1
                    o = nextOrigin[i - 1]
                }
                nextCost[i] = c
                nextOrigin[i] = o
            }
            if best == nil || nextCost[m] < best!.distance {
                best = (nextOrigin[m], j + 1, nextCost[m])
            }
            swap(&cost, &nextCost)
            swap(&origin, &nextOrigin)
        }
        return best
    }
}
