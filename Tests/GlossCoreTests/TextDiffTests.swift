@testable import GlossCore
import GlossTestSupport
import Testing

/// The display diff: it must rebuild both texts exactly and show a changed word as one change.
@Suite struct TextDiffTests {
    @Test func wordDiffShowsAChangedWordAsOneDeletionAndOneInsertion() {
        let diff = TextDiff.words("Russian forces begin drawdown", "Russian forces complete drawdown")
        #expect(diff == [.equal("Russian forces "), .delete("begin"), .insert("complete"), .equal(" drawdown")])
    }

    @Test func lineDiffKeepsUnchangedLinesEqual() {
        let diff = TextDiff.lines("a\nb\nc\n", "a\nB\nc\n")
        #expect(diff == [.equal("a\n"), .delete("b\n"), .insert("B\n"), .equal("c\n")])
    }

    @Test func identicalTextsGiveOnlyEqualRuns() {
        #expect(TextDiff.words("same text here", "same text here") == [.equal("same text here")])
        #expect(TextDiff.lines("", "") == [])
    }

    @Test(arguments: 0..<200)
    func diffsRebuildBothTextsOnRandomInputs(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed))
        let vocabulary = ["a", "b", "c", "the", "fox", " ", "  ", "\n", "x y", "é"]
        func text() -> String { (0..<Int.random(in: 0..<25, using: &rng)).map { _ in rng.pick(vocabulary) }.joined() }
        let old = text(), new = text()
        for diff in [TextDiff.words(old, new), TextDiff.lines(old, new)] {
            #expect(TextDiff.oldText(diff) == old, "seed \(seed)")
            #expect(TextDiff.newText(diff) == new, "seed \(seed)")
            // Runs are maximal: no two neighbours of the same kind.
            for (x, y) in zip(diff, diff.dropFirst()) {
                switch (x, y) {
                case (.equal, .equal), (.delete, .delete), (.insert, .insert): Issue.record("adjacent runs of one kind, seed \(seed)")
                default: break
                }
            }
        }
    }

    @Test(arguments: 0..<100)
    func lcsMatchesAreACommonSubsequenceAsLongAsTheDynamicProgrammingOne(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed) &+ 1000)
        let a = (0..<Int.random(in: 0..<30, using: &rng)).map { _ in rng.pick(["p", "q", "r", "s"]) }
        let b = (0..<Int.random(in: 0..<30, using: &rng)).map { _ in rng.pick(["p", "q", "r", "s"]) }
        let matches = LongestCommonSubsequence.matches(a, b)
        for (i, j) in matches { #expect(a[i] == b[j]) }
        for (m, n) in zip(matches, matches.dropFirst()) { #expect(m.0 < n.0 && m.1 < n.1) }
        // Reference length by the textbook O(n·m) table.
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        #expect(matches.count == table[0][0], "seed \(seed)")
    }

    @Test func whollyDifferentLongTextsStillGiveACorrectDiff() {
        // More edits than the search explores: the middle is reported replaced, texts still rebuild.
        let old = (0..<3000).map { "old\($0)" }.joined(separator: " ")
        let new = "same start " + (0..<3000).map { "new\($0)" }.joined(separator: " ") + " same end"
        let diff = TextDiff.words("same start " + old + " same end", new)
        #expect(TextDiff.oldText(diff) == "same start " + old + " same end")
        #expect(TextDiff.newText(diff) == new)
        #expect(diff.first == .equal("same start "))
        #expect(diff.last == .equal(" same end"))
    }
}
