/// The parts two revisions have in common, as runs of equal scalars, found line by line and then
/// character by character inside changed lines. It maps offsets from the old text to the new.
///
/// Common prefix and suffix are stripped first (most revisions touch a small part of a text),
/// then lines are compared with Myers' algorithm, then each changed hunk scalar by scalar. Spans
/// that differ too much are treated as replaced: their offsets do not map (search takes over).
public struct RevisionDiff: Sendable {
    /// A run of `length` equal scalars at `old` in the old text and `new` in the new.
    public struct Segment: Sendable, Equatable {
        /// Offset in the old text.
        public var old: Int
        /// Offset in the new text.
        public var new: Int
        /// Number of equal scalars.
        public var length: Int
    }

    /// The equal runs, in order (increasing in both texts).
    public let segments: [Segment]
    /// Length of the old text.
    public let oldCount: Int
    /// Length of the new text.
    public let newCount: Int

    static let maxLineEdits = 3000
    static let maxCharEdits = 1500
    static let maxCharHunk = 60_000

    /// The diff of `old` against `new`.
    public init(old: [UInt32], new: [UInt32]) {
        oldCount = old.count
        newCount = new.count
        var prefix = 0
        let shorter = min(old.count, new.count)
        while prefix < shorter && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < shorter - prefix && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        var segments: [Segment] = []
        if prefix > 0 { segments.append(Segment(old: 0, new: 0, length: prefix)) }
        let oldMid = prefix..<(old.count - suffix)
        let newMid = prefix..<(new.count - suffix)
        if !oldMid.isEmpty && !newMid.isEmpty {
            segments += RevisionDiff.lineDiff(old, oldMid, new, newMid)
        }
        if suffix > 0 { segments.append(Segment(old: old.count - suffix, new: new.count - suffix, length: suffix)) }
        self.segments = RevisionDiff.coalesced(segments)
    }

    // MARK: Mapping

    /// The new offset of the scalar at old offset `p`, when it survived unchanged.
    public func map(_ p: Int) -> Int? {
        guard let i = segmentIndex(containing: p) else { return nil }
        let s = segments[i]
        return s.new + (p - s.old)
    }

    /// Maps the range `start..<end`: only when every scalar of it survived, contiguously.
    public func map(start: Int, end: Int) -> (start: Int, end: Int)? {
        guard end > start, let i = segmentIndex(containing: start) else { return nil }
        let s = segments[i]
        guard end <= s.old + s.length else { return nil }
        return (s.new + (start - s.old), s.new + (end - s.old))
    }

    /// Where the range `start..<end` went, loosely: each end mapped if it survived, else to the
    /// edge of the nearest surviving text. Used to find a candidate for approximate matching.
    public func mapLoosely(start: Int, end: Int) -> (start: Int, end: Int) {
        let newStart: Int
        if let p = map(start) {
            newStart = p
        } else if let i = lastSegment(startingAtOrBefore: start) {
            newStart = segments[i].new + segments[i].length
        } else {
            newStart = 0
        }
        var newEnd: Int
        if end > 0, let p = map(end - 1) {
            newEnd = p + 1
        } else if let i = lastSegment(startingAtOrBefore: end - 1), i + 1 < segments.count {
            newEnd = segments[i + 1].new
        } else if lastSegment(startingAtOrBefore: end - 1) == nil, let first = segments.first {
            newEnd = first.new
        } else {
            newEnd = newCount
        }
        newEnd = max(newEnd, newStart)
        return (newStart, newEnd)
    }

    private func lastSegment(startingAtOrBefore p: Int) -> Int? {
        var lo = 0, hi = segments.count - 1, found: Int? = nil
        while lo <= hi {
            let mid = (lo + hi) / 2
            if segments[mid].old <= p {
                found = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        return found
    }

    private func segmentIndex(containing p: Int) -> Int? {
        guard let i = lastSegment(startingAtOrBefore: p) else { return nil }
        return p < segments[i].old + segments[i].length ? i : nil
    }

    // MARK: Building

    static func coalesced(_ segments: [Segment]) -> [Segment] {
        var out: [Segment] = []
        out.reserveCapacity(segments.count)
        for s in segments where s.length > 0 {
            if var last = out.last, last.old + last.length == s.old, last.new + last.length == s.new {
                last.length += s.length
                out[out.count - 1] = last
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Line starts of `text[range]` (each line includes its newline).
    static func lines(_ text: [UInt32], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for i in range where text[i] == 0x0A {
            result.append(start..<(i + 1))
            start = i + 1
        }
        if start < range.upperBound { result.append(start..<range.upperBound) }
        return result
    }

    static func lineDiff(_ old: [UInt32], _ oldRange: Range<Int>, _ new: [UInt32], _ newRange: Range<Int>) -> [Segment] {
        let oldLines = lines(old, oldRange), newLines = lines(new, newRange)
        var ids: [ArraySlice<UInt32>: Int] = [:]
        func id(_ slice: ArraySlice<UInt32>) -> Int {
            if let existing = ids[slice] { return existing }
            let next = ids.count
            ids[slice] = next
            return next
        }
        let a = oldLines.map { id(old[$0]) }, b = newLines.map { id(new[$0]) }
        var segments: [Segment] = []
        // Lines that match become equal runs; the hunks between them are compared by scalar.
        let snakes = MyersDiff.snakes(a[...], b[...], maxEdits: maxLineEdits) ?? []
        var ai = 0, bi = 0
        func hunk(_ aEnd: Int, _ bEnd: Int) {
            guard ai < aEnd, bi < bEnd else { return }
            let o = oldLines[ai].lowerBound..<oldLines[aEnd - 1].upperBound
            let n = newLines[bi].lowerBound..<newLines[bEnd - 1].upperBound
            segments += charDiff(old, o, new, n)
        }
        for snake in snakes {
            hunk(snake.aStart, snake.bStart)
            let o = oldLines[snake.aStart].lowerBound
            let n = newLines[snake.bStart].lowerBound
            let len = oldLines[snake.aStart + snake.length - 1].upperBound - o
            segments.append(Segment(old: o, new: n, length: len))
            ai = snake.aStart + snake.length
            bi = snake.bStart + snake.length
        }
        hunk(oldLines.count, newLines.count)
        return segments
    }

    static func charDiff(_ old: [UInt32], _ o: Range<Int>, _ new: [UInt32], _ n: Range<Int>) -> [Segment] {
        guard o.count + n.count <= maxCharHunk,
            let snakes = MyersDiff.snakes(old[o], new[n], maxEdits: maxCharEdits)
        else { return [] }
        return snakes.map { Segment(old: $0.aStart, new: $0.bStart, length: $0.length) }
    }
}
