/// Places annotations on one revision of a document. Pure and deterministic: every replica
/// that has the same revisions computes the same anchors.
///
/// Steps, from most to least certain (a wrong anchor is worse than an orphan):
/// 1. the annotation's own revision: the stored position (`exact`);
/// 2. offsets mapped through a diff of the two revisions, when the passage survived intact
///    (`mapped`);
/// 3. the unchanged quote found elsewhere, ranked by how well its prefix and suffix still match
///    and by distance from where the diff says it should be; accepted only with matching context
///    and a clear lead over any other occurrence (`mapped`);
/// 4. an approximate match, accepted only above a score threshold, with a clear lead over the
///    runner-up, and with every number of the quote unchanged (`fuzzy`: needs review);
/// otherwise `orphan`.
public final class Reanchorer {
    /// The revision annotations are placed on.
    public let revision: String
    /// Its text.
    public let text: ScalarText
    private var gramIndex: GramIndex?

    /// Minimum context similarity for an exact quote found away from its mapped place.
    public static let contextThreshold = 0.5
    /// Minimum combined score for an approximate match.
    public static let fuzzyThreshold = 0.75
    /// Minimum quote similarity for an approximate match.
    public static let quoteThreshold = 0.7
    /// Lead the best candidate needs over the runner-up.
    public static let requiredLead = 0.1
    /// Quotes at least this long (in scalars) name their passage without their context: the
    /// diff's mapping of one is accepted whatever text now surrounds it.
    public static let selfIdentifyingLength = 32
    /// Quotes longer than this are not matched approximately (cost grows with the square).
    public static let maxFuzzyLength = 2000

    /// A re-anchorer onto `text`, the text of `revision`.
    public init(revision: String, text: ScalarText) {
        self.revision = revision
        self.text = text
    }

    /// Places `target` on this revision. `diff` is the diff from the target's revision to this
    /// one (nil when that revision's text is unknown here).
    public func anchor(_ target: AnchorTarget, diff: RevisionDiff?) -> Anchor {
        let exact = ScalarText(target.quote.exact).scalars
        guard !exact.isEmpty else { return .orphan }
        // Clamped so that no offset arithmetic below can trap (`AnchorTarget` is public).
        let p = target.position.clamped
        if target.revision == revision, p.start >= 0, p.end <= text.count, p.start < p.end,
            Array(text.scalars[p.start..<p.end]) == exact
        {
            return Anchor(position: p, status: .exact, score: 1)
        }
        let prefix = ScalarText(target.quote.prefix).scalars
        let suffix = ScalarText(target.quote.suffix).scalars
        let edges = WordEdges(exact: exact, prefix: prefix, suffix: suffix)
        // 2. The diff's mapping, when the passage survived intact, is still a whole word where
        // the quote was (a character diff of moved text can map "Russia" into "Russian"), and,
        // for a quote too short to name its passage alone, keeps enough of its context.
        if let diff, let m = diff.map(start: p.start, end: p.end), Array(text.scalars[m.start..<m.end]) == exact,
            edges.kept(at: m.start, m.end, in: text.scalars),
            exact.count >= Reanchorer.selfIdentifyingLength
                || contextSimilarity(prefix, suffix, m.start, m.end) >= Reanchorer.contextThreshold
        {
            return Anchor(position: TextPositionSelector(start: m.start, end: m.end), status: .mapped, score: 1)
        }
        let expected: (start: Int, end: Int) = diff?.mapLoosely(start: p.start, end: p.end) ?? (start: p.start, end: p.end)

        // 3. The unchanged quote elsewhere (not inside a longer word where it was a whole one).
        let hits = occurrences(of: exact).filter { edges.kept(at: $0, $0 + exact.count, in: text.scalars) }
        var candidates: [Candidate] = hits.map { start in
            let context = contextSimilarity(prefix, suffix, start, start + exact.count)
            return Candidate(start: start, end: start + exact.count, quoteSimilarity: 1, context: context,
                             distance: abs(start - expected.start))
        }
        if let accepted = pickExact(candidates) {
            return Anchor(position: TextPositionSelector(start: accepted.start, end: accepted.end), status: .mapped,
                          score: accepted.context)
        }

        // 4. Approximate match.
        guard exact.count <= Reanchorer.maxFuzzyLength else { return .orphan }
        candidates += approximateCandidates(exact, prefix, suffix, expected: expected)
        return pickFuzzy(candidates, exact: exact)
    }

    // MARK: Candidates

    struct Candidate {
        var start: Int
        var end: Int
        var quoteSimilarity: Double
        var context: Double
        var distance: Int
        var score: Double { 0.6 * quoteSimilarity + 0.4 * context }
        func overlaps(_ other: Candidate) -> Bool { start < other.end && other.start < end }
    }

    private func pickExact(_ candidates: [Candidate]) -> Candidate? {
        // Rank by context, then by closeness to the expected place (a small tie-breaker only).
        let span = Double(max(text.count, 1))
        func rank(_ c: Candidate) -> Double { c.context - 0.05 * min(1, Double(c.distance) / span) }
        let sorted = candidates.sorted { rank($0) > rank($1) || (rank($0) == rank($1) && $0.start < $1.start) }
        guard let best = sorted.first, best.context >= Reanchorer.contextThreshold else { return nil }
        if sorted.count > 1, rank(best) - rank(sorted[1]) < Reanchorer.requiredLead { return nil }
        return best
    }

    private func pickFuzzy(_ candidates: [Candidate], exact: [UInt32]) -> Anchor {
        let sorted = candidates.sorted {
            $0.score > $1.score || ($0.score == $1.score && ($0.distance, $0.start) < ($1.distance, $1.start))
        }
        guard let best = sorted.first else { return .orphan }
        guard best.score >= Reanchorer.fuzzyThreshold, best.quoteSimilarity >= Reanchorer.quoteThreshold else {
            return .orphan
        }
        if let runnerUp = sorted.dropFirst().first(where: { !$0.overlaps(best) }),
            best.score - runnerUp.score < Reanchorer.requiredLead
        {
            return .orphan
        }
        guard TextSimilarity.numbers(text.scalars[best.start..<best.end]) == TextSimilarity.numbers(exact[...]) else {
            return .orphan
        }
        return Anchor(position: TextPositionSelector(start: best.start, end: best.end), status: .fuzzy,
                      score: (best.score * 1000).rounded() / 1000)
    }

    private func approximateCandidates(
        _ exact: [UInt32], _ prefix: [UInt32], _ suffix: [UInt32], expected: (start: Int, end: Int)
    ) -> [Candidate] {
        let length = exact.count
        var windows: [Range<Int>] = []
        // Where the diff says the passage went.
        let pad = length / 2 + TextQuoteSelector.contextLength
        windows.append(clamp((expected.start - pad)..<(expected.end + pad)))
        // Where pieces of the quote occur.
        if length >= GramIndex.gramLength {
            let index = grams()
            let pieces = min(6, max(1, length / GramIndex.gramLength))
            var votes: [Int] = []
            for k in 0..<pieces {
                let offset = pieces == 1 ? 0 : k * (length - GramIndex.gramLength) / (pieces - 1)
                let found = index.positions(ofGramIn: exact, at: offset)
                if found.count > 200 { continue }  // too common a piece to say anything
                votes += found.map { $0 - offset }
            }
            votes.sort()
            var clusters: [(start: Int, count: Int)] = []
            for v in votes {
                if let last = clusters.last, v - last.start <= 16 {
                    clusters[clusters.count - 1].count += 1
                } else {
                    clusters.append((v, 1))
                }
            }
            for cluster in clusters.sorted(by: { $0.count > $1.count || ($0.count == $1.count && $0.start < $1.start) }).prefix(3) {
                windows.append(clamp((cluster.start - pad)..<(cluster.start + length + pad)))
            }
        }
        var result: [Candidate] = []
        for window in windows where !window.isEmpty {
            guard let match = TextSimilarity.bestMatch(of: exact, in: text.scalars, window: window),
                match.end > match.start
            else { continue }
            // The edit distance alone may stop short inside a reworded end (or start late);
            // snapping to where the stored context resumes gives the passage its true bounds.
            let snapped = snap(match.start, match.end, prefix, suffix, slack: length / 2 + 8)
            for (start, end) in [(match.start, match.end), snapped] where start < end {
                let candidate = Candidate(
                    start: start, end: end,
                    quoteSimilarity: TextSimilarity.similarity(exact[...], text.scalars[start..<end]),
                    context: contextSimilarity(prefix, suffix, start, end),
                    distance: abs(start - expected.start))
                if !result.contains(where: { $0.start == candidate.start && $0.end == candidate.end }) {
                    result.append(candidate)
                }
            }
        }
        return result
    }

    /// Moves `start` to just after the nearest occurrence of the prefix's last scalars, and
    /// `end` to just before the nearest occurrence of the suffix's first scalars, within `slack`.
    private func snap(_ start: Int, _ end: Int, _ prefix: [UInt32], _ suffix: [UInt32], slack: Int) -> (Int, Int) {
        let keyLength = 8
        var newStart = start, newEnd = end
        if prefix.count >= keyLength {
            let key = Array(prefix.suffix(keyLength))
            let window = clamp((start - slack - keyLength)..<(start + slack))
            let hits = ScalarText.occurrences(of: key, in: Array(text.scalars[window])).map { window.lowerBound + $0 + keyLength }
            if let best = hits.min(by: { abs($0 - start) < abs($1 - start) }) { newStart = best }
        }
        if suffix.count >= keyLength {
            let key = Array(suffix.prefix(keyLength))
            let window = clamp((end - slack)..<(end + slack + keyLength))
            let hits = ScalarText.occurrences(of: key, in: Array(text.scalars[window])).map { window.lowerBound + $0 }
            if let best = hits.min(by: { abs($0 - end) < abs($1 - end) }) { newEnd = best }
        }
        return (newStart, newEnd)
    }

    /// `r` cut to the text: empty (at an end) when it lies wholly outside it.
    private func clamp(_ r: Range<Int>) -> Range<Int> {
        let lower = min(max(0, r.lowerBound), text.count)
        return lower..<max(lower, min(text.count, r.upperBound))
    }

    private func contextSimilarity(_ prefix: [UInt32], _ suffix: [UInt32], _ start: Int, _ end: Int) -> Double {
        var parts: [Double] = []
        if !prefix.isEmpty {
            parts.append(TextSimilarity.similarity(prefix[...], text.scalars[max(0, start - prefix.count)..<start]))
        }
        if !suffix.isEmpty {
            parts.append(TextSimilarity.similarity(suffix[...], text.scalars[end..<min(text.count, end + suffix.count)]))
        }
        return parts.isEmpty ? 1 : parts.reduce(0, +) / Double(parts.count)
    }

    // MARK: Search

    /// Every offset where `needle` occurs in this revision.
    public func occurrences(of needle: [UInt32]) -> [Int] {
        guard needle.count >= GramIndex.gramLength, text.count > 8192 else {
            return ScalarText.occurrences(of: needle, in: text.scalars)
        }
        let scalars = text.scalars
        return grams().positions(ofGramIn: needle, at: 0).filter { start in
            start + needle.count <= scalars.count && scalars[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    private func grams() -> GramIndex {
        if let gramIndex { return gramIndex }
        let built = GramIndex(text.scalars)
        gramIndex = built
        return built
    }
}
