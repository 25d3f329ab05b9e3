@testable import GlossCore
import GlossTestSupport
import Testing

/// Line-based three-way merge: one-sided changes pass through, changes to different lines both
/// apply, changes to the same lines are refused with the hunks.
@Suite struct ThreeWayMergeTests {
    static func randomText(_ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0..<12, using: &rng)).map { _ in rng.pick(["alpha", "beta", "gamma", "", "delta"]) }
            .joined(separator: "\n") + (rng.chance(0.5) ? "\n" : "")
    }

    @Test(arguments: 0..<200)
    func oneSidedChangesPassThrough(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed))
        let base = Self.randomText(&rng), x = Self.randomText(&rng)
        #expect(ThreeWayMerge.merge(base: base, ours: x, theirs: base) == .merged(x), "seed \(seed)")
        #expect(ThreeWayMerge.merge(base: base, ours: base, theirs: x) == .merged(x), "seed \(seed)")
        #expect(ThreeWayMerge.merge(base: base, ours: x, theirs: x) == .merged(x), "seed \(seed)")
    }

    /// Edits confined to the first and second halves of a text of distinct lines, with an
    /// untouched line between them.
    @Test(arguments: 0..<200)
    func editsToDifferentLinesAreBothApplied(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed) &+ 7)
        let n = Int.random(in: 4...14, using: &rng)
        let base = (0..<n).map { "line \($0)" }
        let middle = n / 2
        func edit(_ lines: [String], in range: Range<Int>, tag: String) -> [String] {
            var out: [String] = []
            for (i, line) in lines.enumerated() {
                guard range.contains(i) else { out.append(line); continue }
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: out.append("\(tag) replaced \(i)")
                case 1: break  // deleted
                case 2: out += [line, "\(tag) inserted after \(i)"]
                default: out.append(line)
                }
            }
            return out
        }
        let ours = edit(base, in: 0..<middle, tag: "ours")
        let theirs = edit(base, in: (middle + 1)..<n, tag: "theirs")
        let expected = Array(ours.prefix { $0 != "line \(middle)" })
            + ["line \(middle)"] + Array(theirs.drop { $0 != "line \(middle)" }.dropFirst())
        let join = { (lines: [String]) in lines.joined(separator: "\n") }
        #expect(ThreeWayMerge.merge(base: join(base), ours: join(ours), theirs: join(theirs)) == .merged(join(expected)), "seed \(seed)")
        #expect(ThreeWayMerge.merge(base: join(base), ours: join(theirs), theirs: join(ours)) == .merged(join(expected)), "seed \(seed)")
    }

    @Test func differentChangesToTheSameLineAreRefusedWithTheHunk() {
        let base = "Forces begin drawdown.\nBases stay.\nLavrov comments.\n"
        let ours = "Forces complete drawdown.\nBases stay.\nLavrov comments.\n"
        let theirs = "Forces pause drawdown.\nBases stay.\nLavrov comments.\n"
        let outcome = ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
        #expect(outcome == .conflicts([
            .init(baseLine: 1, base: ["Forces begin drawdown."], ours: ["Forces complete drawdown."], theirs: ["Forces pause drawdown."])
        ]))
        #expect(outcome.text == nil)
    }

    @Test func insertionsAtTheSamePlaceConflictButIdenticalOnesDoNot() {
        let base = "a\nb\n"
        #expect(ThreeWayMerge.merge(base: base, ours: "a\nx\nb\n", theirs: "a\ny\nb\n").text == nil)
        #expect(ThreeWayMerge.merge(base: base, ours: "a\nx\nb\nc\n", theirs: "a\nx\nb\n") == .merged("a\nx\nb\nc\n"))
    }

    @Test func aNoteEditedAtTopAndBottomMergesBoth() {
        let base = "# Drawdown\n\nRussian forces begin leaving.\n\nSources: RFE/RL.\n"
        let ours = "# Drawdown in Syria\n\nRussian forces begin leaving.\n\nSources: RFE/RL.\n"
        let theirs = "# Drawdown\n\nRussian forces begin leaving.\n\nSources: RFE/RL, VICE.\n"
        #expect(ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
            == .merged("# Drawdown in Syria\n\nRussian forces begin leaving.\n\nSources: RFE/RL, VICE.\n"))
    }

    @Test func windowsLineEndingsMergeLineByLine() {
        let base = "a\r\nb\r\nc\r\nd\r\n"
        #expect(ThreeWayMerge.merge(base: base, ours: "A\r\nb\r\nc\r\nd\r\n", theirs: "a\r\nb\r\nc\r\nD\r\n")
            == .merged("A\r\nb\r\nc\r\nD\r\n"))
        #expect(TextDiff.lines("a\r\nb\r\n", "a\r\nB\r\n") == [.equal("a\r\n"), .delete("b\r\n"), .insert("B\r\n")])
    }
}
