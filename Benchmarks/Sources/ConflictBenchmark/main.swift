import Foundation
import GlossCore
import GlossStore

// Figures for conflict handling: text diff and three-way merge on long notes, and listing,
// finding ancestors for, and resolving many conflicts in a store file.
// Run: cd Benchmarks && swift run -c release ConflictBenchmark

func measure(_ label: String, repeat count: Int = 1, _ body: () throws -> Void) rethrows {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<count { try body() }
    let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(count)
    print(label.padding(toLength: 68, withPad: " ", startingAt: 0) + String(format: "%10.2f ms", ms))
}

// Texts: a 2,000-line note; each side edits 20 lines in its own half.
let lines = (0..<2000).map { "Line \($0): Russian forces begin leaving the base at Hmeimim, sources say." }
let base = lines.joined(separator: "\n")
var oursLines = lines, theirsLines = lines
for i in stride(from: 10, to: 1000, by: 50) { oursLines[i] = "Line \(i): edited on A." }
for i in stride(from: 1010, to: 2000, by: 50) { theirsLines[i] = "Line \(i): edited on B." }
let ours = oursLines.joined(separator: "\n"), theirs = theirsLines.joined(separator: "\n")

measure("line diff, 2,000-line note, 20 lines changed", repeat: 20) { _ = TextDiff.lines(base, ours) }
measure("word diff, 2,000-line note (~22,000 words), 20 lines changed", repeat: 5) { _ = TextDiff.words(base, ours) }
measure("three-way merge, 2,000 lines, 20 + 20 edits apart", repeat: 20) {
    precondition(ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs).text != nil)
}
let other = (0..<2000).map { "Completely different line \($0)." }.joined(separator: "\n")
measure("line diff, two wholly different 2,000-line texts (capped search)", repeat: 3) { _ = TextDiff.lines(base, other) }

// A store with 2,000 notes, 500 of them edited concurrently on two replicas.
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-conflict-bench-\(UUID().uuidString.prefix(8))")
defer { try? FileManager.default.removeItem(at: dir) }
let a = try ReplicaStore.create(at: dir.appendingPathComponent("a/gloss.sqlite"), name: "alice")
let b = try ReplicaStore.create(at: dir.appendingPathComponent("b/gloss.sqlite"), name: "bob")
try a.write { w in
    for i in 0..<2000 {
        try w.update("note-\(i)", kind: .note) { $0.set("title", .string("Note \(i)")); $0.set("body", .string("one\ntwo\nthree\n")) }
    }
}
try b.apply(try a.records(kind: .note), from: a.replicaID)
try a.write { w in for i in 0..<500 { try w.update("note-\(i)", kind: .note) { $0.set("body", .string("ONE\ntwo\nthree\n")) } } }
try b.write { w in for i in 0..<500 { try w.update("note-\(i)", kind: .note) { $0.set("body", .string("one\ntwo\nTHREE\n")) } } }
try b.apply(try a.records(kind: .note), from: a.replicaID)

var conflicts: [Conflict] = []
try measure("list 500 open conflicts among 2,000 notes") { conflicts = try b.openConflicts() }
precondition(conflicts.count == 500)
try measure("find the common ancestor in history, 100 conflicts") {
    for c in conflicts.prefix(100) { let found = try b.ancestor(of: c); precondition(found != nil) }
}
try measure("resolve by three-way merge (write + resolutions row), 100 conflicts") {
    for c in conflicts.prefix(100) { try b.resolve(c, strategy: .merge) }
}
try measure("list the 400 conflicts left") { let left = try b.openConflicts(); precondition(left.count == 400) }
try measure("log of one resolved note (4 history states)", repeat: 50) { _ = try b.log(of: "note-0") }
