import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Properties of the diff and the re-anchorer on random texts and random edits.
@Suite struct AnchoringPropertyTests {
    static let words = ["the", "Russian", "forces", "3,000", "6,000", "Syria", "base", "and", "between", "troops", "é", "naïve", "\n", "\n\n", "said", "Hmeimim"]

    static func randomText(_ rng: inout SeededRandom, words count: Int) -> [UInt32] {
        var text = ""
        for _ in 0..<count { text += rng.pick(words) + (rng.chance(0.8) ? " " : ", ") }
        return ScalarText(text).scalars
    }

    static func randomEdit(_ text: [UInt32], _ rng: inout SeededRandom) -> [UInt32] {
        var t = text
        for _ in 0..<Int(rng.next() % 4 + 1) {
            let at = t.isEmpty ? 0 : Int(rng.next() % UInt64(t.count))
            if rng.chance(0.5) {
                t.insert(contentsOf: ScalarText(rng.pick(words) + " ").scalars, at: at)
            } else {
                let len = min(Int(rng.next() % 12), t.count - at)
                t.removeSubrange(at..<(at + len))
            }
        }
        return t
    }

    static func lcsLength(_ a: [UInt32], _ b: [UInt32]) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = x == y ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }

    @Test func diffSegmentsAreEqualTextInOrder() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<200 {
            let old = Self.randomText(&rng, words: Int(rng.next() % 60))
            let new = Self.randomEdit(old, &rng)
            let diff = RevisionDiff(old: old, new: new)
            var lastOld = 0, lastNew = 0
            for s in diff.segments {
                #expect(s.old >= lastOld && s.new >= lastNew)
                #expect(Array(old[s.old..<(s.old + s.length)]) == Array(new[s.new..<(s.new + s.length)]))
                lastOld = s.old + s.length
                lastNew = s.new + s.length
            }
        }
    }

    @Test func withinALineTheDiffFindsALongestCommonSubsequence() {
        // Inside one line (a changed hunk) the diff is Myers' scalar diff: optimal. Across lines
        // it matches whole lines first, which may give up some scalars for speed.
        var rng = SeededRandom(seed: 12)
        for _ in 0..<150 {
            let old = Self.randomText(&rng, words: Int(rng.next() % 25)).filter { $0 != 0x0A }
            let new = Self.randomEdit(old, &rng).filter { $0 != 0x0A }
            let diff = RevisionDiff(old: old, new: new)
            #expect(diff.segments.reduce(0) { $0 + $1.length } == Self.lcsLength(old, new))
        }
    }

    @Test func identicalTextsMapEveryOffsetToItself() {
        var rng = SeededRandom(seed: 13)
        let text = Self.randomText(&rng, words: 80)
        let diff = RevisionDiff(old: text, new: text)
        for p in 0..<text.count { #expect(diff.map(p) == p) }
    }

    @Test func anEditOutsideThePassageKeepsItMapped() {
        var rng = SeededRandom(seed: 14)
        var checked = 0
        for _ in 0..<200 {
            let old = ScalarText(ScalarText.string(Self.randomText(&rng, words: 60)))
            guard old.count > 40 else { continue }
            let start = Int(rng.next() % UInt64(old.count - 20)), end = start + 10
            // Insert words somewhere outside start..<end.
            var new = old.scalars
            let at = rng.chance(0.5) ? Int(rng.next() % UInt64(start + 1)) : end + Int(rng.next() % UInt64(old.count - end + 1))
            new.insert(contentsOf: ScalarText("inserted words here ").scalars, at: at)
            let target = AnchorTarget(revision: "a", quote: TextQuoteSelector(text: old, start: start, end: end),
                                      position: TextPositionSelector(start: start, end: end))
            let newText = ScalarText(ScalarText.string(new))
            let anchor = Reanchorer(revision: "b", text: newText).anchor(target, diff: RevisionDiff(old: old.scalars, new: newText.scalars))
            #expect(anchor.status == .mapped)
            if let p = anchor.position { #expect(newText.slice(p.start, p.end) == old.slice(start, end)) }
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func anAnchorNeverLandsOnTextWithOtherNumbers() {
        // Whatever the edit, a non-orphan anchor's passage carries the quote's numbers.
        var rng = SeededRandom(seed: 15)
        for _ in 0..<300 {
            let old = ScalarText(ScalarText.string(Self.randomText(&rng, words: 50)))
            guard old.count > 30 else { continue }
            let start = Int(rng.next() % UInt64(old.count - 25)), end = start + 8 + Int(rng.next() % 16)
            let newText = ScalarText(ScalarText.string(Self.randomEdit(old.scalars, &rng)))
            let target = AnchorTarget(revision: "a", quote: TextQuoteSelector(text: old, start: start, end: end),
                                      position: TextPositionSelector(start: start, end: end))
            let anchor = Reanchorer(revision: "b", text: newText).anchor(target, diff: RevisionDiff(old: old.scalars, new: newText.scalars))
            if let p = anchor.position {
                let found = newText.scalars[p.start..<p.end]
                #expect(TextSimilarity.numbers(found) == TextSimilarity.numbers(old.scalars[start..<end]))
                if anchor.status != .fuzzy { #expect(Array(found) == Array(old.scalars[start..<end])) }
            }
        }
    }

    @Test func reanchoringIsDeterministic() {
        var rng = SeededRandom(seed: 16)
        let old = ScalarText(ScalarText.string(Self.randomText(&rng, words: 100)))
        let new = ScalarText(ScalarText.string(Self.randomEdit(old.scalars, &rng)))
        let target = AnchorTarget(revision: "a", quote: TextQuoteSelector(text: old, start: 20, end: 45),
                                  position: TextPositionSelector(start: 20, end: 45))
        let first = Reanchorer(revision: "b", text: new).anchor(target, diff: RevisionDiff(old: old.scalars, new: new.scalars))
        let second = Reanchorer(revision: "b", text: new).anchor(target, diff: RevisionDiff(old: old.scalars, new: new.scalars))
        #expect(first == second)
    }
}
