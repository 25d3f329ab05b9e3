/// Eugene Myers' O(ND) difference algorithm: the longest common subsequence of two sequences
/// as "snakes" (runs of equal elements), or nil when the sequences differ by more than `maxEdits`
/// (the caller then treats the span as replaced rather than spend quadratic time). Used by
/// revision anchoring (`RevisionDiff`) and by `LongestCommonSubsequence` (display diff, merge).
enum MyersDiff {
    /// A run of `length` equal elements at `a[aStart...]` and `b[bStart...]`.
    struct Snake: Equatable {
        var aStart: Int
        var bStart: Int
        var length: Int
    }

    static func snakes<T: Equatable>(_ a: ArraySlice<T>, _ b: ArraySlice<T>, maxEdits: Int) -> [Snake]? {
        let n = a.count, m = b.count
        let a0 = a.startIndex, b0 = b.startIndex
        if n == 0 || m == 0 { return [] }
        let limit = min(maxEdits, n + m)
        let off = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        var trace: [[Int]] = []
        var found = -1
        search: for d in 0...limit {
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[off + k - 1] < v[off + k + 1]) {
                    x = v[off + k + 1]
                } else {
                    x = v[off + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[a0 + x] == b[b0 + y] {
                    x += 1
                    y += 1
                }
                v[off + k] = x
                if x >= n && y >= m {
                    trace.append(Array(v[(off - d)...(off + d)]))
                    found = d
                    break search
                }
                k += 2
            }
            trace.append(Array(v[(off - d)...(off + d)]))
        }
        guard found >= 0 else { return nil }
        // Walk back from the end, collecting the snakes.
        var result: [Snake] = []
        var x = n, y = m
        var d = found
        while d > 0 {
            let prev = trace[d - 1]
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && prev[k - 1 + (d - 1)] < prev[k + 1 + (d - 1)]) {
                prevK = k + 1
            } else {
                prevK = k - 1
            }
            let prevX = prev[prevK + (d - 1)]
            let prevY = prevX - prevK
            let midX = prevK == k + 1 ? prevX : prevX + 1
            let midY = midX - k
            if x > midX { result.append(Snake(aStart: a0 + midX, bStart: b0 + midY, length: x - midX)) }
            x = prevX
            y = prevY
            d -= 1
        }
        if x > 0 { result.append(Snake(aStart: a0, bStart: b0, length: x)) }
        return result.reversed()
    }
}
