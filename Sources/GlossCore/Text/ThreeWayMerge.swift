/// A line-based three-way merge (diff3): given the common ancestor and two descendants, applies
/// both sides' changes when they touch different lines, and refuses with the overlapping hunks
/// otherwise. Pure: no I/O.
public enum ThreeWayMerge {
    /// A stretch where both sides changed the same lines (or adjacent ones) differently.
    public struct Hunk: Hashable, Sendable {
        /// 1-based line number in the ancestor where the hunk starts.
        public let baseLine: Int
        /// The ancestor's lines in the hunk.
        public let base: [String]
        /// Our lines in the hunk.
        public let ours: [String]
        /// Their lines in the hunk.
        public let theirs: [String]
    }

    /// What a merge produced.
    public enum Outcome: Hashable, Sendable {
        /// Every change applied.
        case merged(String)
        /// Changes overlap: nothing merged; the overlapping hunks.
        case conflicts([Hunk])

        /// The merged text, when the merge succeeded.
        public var text: String? { if case .merged(let t) = self { return t } else { return nil } }
    }

    /// Merges `ours` and `theirs`, both descended from `base`.
    public static func merge(base: String, ours: String, theirs: String) -> Outcome {
        if ours == theirs || theirs == base { return .merged(ours) }
        if ours == base { return .merged(theirs) }
        let o = lines(base), a = lines(ours), b = lines(theirs)
        var toA = [Int?](repeating: nil, count: o.count), toB = [Int?](repeating: nil, count: o.count)
        for (i, j) in LongestCommonSubsequence.matches(o, a) { toA[i] = j }
        for (i, j) in LongestCommonSubsequence.matches(o, b) { toB[i] = j }

        var output: [String] = []
        var hunks: [Hunk] = []
        var i = 0, x = 0, y = 0
        while true {
            // Stable lines: unchanged on both sides.
            while i < o.count, toA[i] == x, toB[i] == y {
                output.append(o[i]); i += 1; x += 1; y += 1
            }
            if i >= o.count, x >= a.count, y >= b.count { break }
            // The next line both sides kept ends this unstable stretch.
            var j = i
            while j < o.count, toA[j] == nil || toB[j] == nil { j += 1 }
            let endA = j < o.count ? toA[j]! : a.count, endB = j < o.count ? toB[j]! : b.count
            let chunkO = Array(o[i..<j]), chunkA = Array(a[x..<endA]), chunkB = Array(b[y..<endB])
            if chunkA == chunkO {
                output += chunkB
            } else if chunkB == chunkO || chunkA == chunkB {
                output += chunkA
            } else {
                hunks.append(Hunk(baseLine: i + 1, base: chunkO, ours: chunkA, theirs: chunkB))
            }
            i = j; x = endA; y = endB
        }
        return hunks.isEmpty ? .merged(output.joined(separator: "\n")) : .conflicts(hunks)
    }

    /// Lines split on "\n"; a trailing newline gives a final empty line, so joining with "\n"
    /// rebuilds the text exactly.
    static func lines(_ text: String) -> [String] {
        // On UTF-8 bytes: "\r\n" is one Character, so a Character split would not see its "\n".
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
}
