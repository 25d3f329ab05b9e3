/// The matched index pairs of a longest common subsequence (Myers' shortest edit script, see
/// `MyersDiff`). Shared by the display diff and the three-way merge.
enum LongestCommonSubsequence {
    /// Index pairs `(i, j)` with `a[i] == b[j]`, strictly increasing in both.
    static func matches<T: Hashable>(_ a: [T], _ b: [T]) -> [(Int, Int)] {
        // Compare small integers instead of strings: string equality is Unicode-aware and the
        // search compares the same tokens many times.
        var codes: [T: Int] = [:]
        func code(_ token: T) -> Int {
            if let known = codes[token] { return known }
            codes[token] = codes.count
            return codes.count - 1
        }
        let ca = a.map(code), cb = b.map(code)
        return matchesOfCodes(ca, cb)
    }

    private static func matchesOfCodes(_ a: [Int], _ b: [Int]) -> [(Int, Int)] {
        // Trim the common prefix and suffix first: most edits touch a small part of a text.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
              a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var result: [(Int, Int)] = (0..<prefix).map { ($0, $0) }
        let middleA = Array(a[prefix..<(a.count - suffix)]), middleB = Array(b[prefix..<(b.count - suffix)])
        for (i, j) in myers(middleA, middleB) { result.append((i + prefix, j + prefix)) }
        for k in 0..<suffix { result.append((a.count - suffix + k, b.count - suffix + k)) }
        return result
    }

    /// The most edits Myers' search explores before giving up on finding matches in the middle:
    /// its trace grows with D², so two long, wholly different texts would otherwise take
    /// gigabytes. Past it the middle is reported as replaced wholesale: still a correct diff
    /// (both texts rebuild), and for a merge an overlap, so it refuses rather than guess.
    static let maxEdits = 2000

    private static func myers(_ a: [Int], _ b: [Int]) -> [(Int, Int)] {
        guard let snakes = MyersDiff.snakes(a[...], b[...], maxEdits: maxEdits) else { return [] }
        return snakes.flatMap { snake in (0..<snake.length).map { (snake.aStart + $0, snake.bStart + $0) } }
    }
}
