/// Myers' O((N+M)·D) shortest edit script, returned as the matched index pairs of a longest
/// common subsequence. Shared by the display diff and the three-way merge.
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
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return [] }
        let max = n + m
        let limit = Swift.min(max, maxEdits)
        var v = [Int](repeating: 0, count: 2 * max + 2)
        // trace[d] holds v[-d...d] as it was before step d (only k in -(d-1)...(d-1) is read).
        var trace: [[Int]] = []
        var found = false
        for d in 0...limit {
            trace.append(Array(v[(max - d)...(max + d)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) {
                    x = v[max + k + 1]
                } else {
                    x = v[max + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[max + k] = x
                if x >= n, y >= m { found = true; break }
            }
            if found { break }
        }
        guard found else { return [] }
        // Walk the trace back from the end, collecting the diagonal (matching) moves.
        var pairs: [(Int, Int)] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && v[d + k - 1] < v[d + k + 1]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = d == 0 ? 0 : v[d + prevK], prevY = prevX - prevK
            while x > prevX, y > prevY {
                x -= 1; y -= 1
                pairs.append((x, y))
            }
            if d > 0 { x = prevX; y = prevY }
        }
        return pairs.reversed()
    }
}
