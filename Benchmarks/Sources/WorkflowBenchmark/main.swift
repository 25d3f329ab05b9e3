// Workflow benchmark: prints figures, asserts nothing.
//   cd Benchmarks && swift run -c release WorkflowBenchmark
// 1. `gloss show` equivalent on a document with 10,000 annotations (goal ≤ 100 ms): load the
//    anchored annotations from the store and render the marked text and the list.
// 2. Re-anchoring 10,000 annotations on a revised 1 MB document (goal ≤ 1 s): the diff and
//    every anchor (pure), then the same through the store (`revise`, which also saves anchors).
// Options: `show` runs part 1 only; `--keep-show-store PATH` copies part 1's store (10,000
// annotations on one document) to PATH, to time the real binary: `gloss show --store PATH DOC`.
import Foundation
import GlossCore
import GlossStore

struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

let vocabulary = """
    Russian forces troops Syria base Hmeimim Tartus withdrawal estimate aircraft helicopters ministry \
    said reported according officials negotiations government army campaign airstrikes naval presence \
    équipe naïve Kremlin Assad Damascus Latakia between and the of in to on with from that which
    """.split(separator: " ").map(String.init)

func makeText(bytes: Int, seed: UInt64) -> String {
    var g = Generator(state: seed)
    var out = ""
    var paragraph = 0
    while out.utf8.count < bytes {
        var sentence: [String] = []
        for _ in 0..<(8 + g.int(14)) { sentence.append(vocabulary[g.int(vocabulary.count)]) }
        if g.int(3) == 0 { sentence.insert("\(g.int(9000) + 100)", at: g.int(sentence.count)) }
        out += sentence.joined(separator: " ").capitalized + ". "
        if g.int(4) == 0 {
            paragraph += 1
            out += "[\(paragraph)]\n\n"
        }
    }
    return out
}

func revise(_ text: String, edits: Int, seed: UInt64) -> String {
    var scalars = Array(text.unicodeScalars)
    var g = Generator(state: seed)
    for _ in 0..<edits {
        let at = g.int(scalars.count - 200)
        switch g.int(3) {
        case 0: scalars.insert(contentsOf: "A new sentence was added here. ".unicodeScalars, at: at)
        case 1: scalars.removeSubrange(at..<(at + 5 + g.int(60)))
        default: scalars.replaceSubrange(at..<(at + 4), with: "edit".unicodeScalars)
        }
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
}

func targets(on text: ScalarText, revision: String, count: Int, seed: UInt64) -> [AnchorTarget] {
    var g = Generator(state: seed)
    return (0..<count).map { _ in
        let length = 20 + g.int(80)
        let start = g.int(text.count - length)
        return AnchorTarget(
            revision: revision, quote: TextQuoteSelector(text: text, start: start, end: start + length),
            position: TextPositionSelector(start: start, end: start + length))
    }
}

func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// CPU time (user + system) this process has used, in ms: on a machine shared with other work
/// it varies far less than the wall time.
func cpuMs() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
}

/// Writes annotations in one transaction (the benchmark's setup, not what it measures).
func bulkAnnotate(_ store: ReplicaStore, document: Document, text: ScalarText, ranges: [(Int, Int)], seed: UInt64) throws {
    var g = Generator(state: seed)
    try store.write { w in
        for (start, end) in ranges {
            let quote = TextQuoteSelector(text: text, start: start, end: end)
            try w.update(DomainID.annotation(), kind: .annotation) { e in
                e.set(FieldName.document, .string(document.id))
                e.set(DomainField.revision, .string(document.head!))
                e.set(FieldName.exact, .string(quote.exact))
                e.set(DomainField.prefix, .string(quote.prefix))
                e.set(DomainField.suffix, .string(quote.suffix))
                e.set(DomainField.start, .int(Int64(start)))
                e.set(DomainField.end, .int(Int64(end)))
                e.set(DomainField.motivation, .string(g.int(2) == 0 ? "commenting" : "highlighting"))
                if g.int(2) == 0 { e.set(FieldName.comment, .string("a comment")) }
                if g.int(3) == 0 { e.add("tagged", to: FieldName.tags) }
                e.set(DomainField.created, .int(w.time))
            }
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let onlyShow = arguments.contains("show")
let keepShowStore = arguments.firstIndex(of: "--keep-show-store").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }

// `profile-show PATH DOC N`: N shows of DOC in the store at PATH (for a profiler), then exit.
if arguments.first == "profile-show", arguments.count >= 3 {
    let store = try ReplicaStore.open(at: URL(fileURLWithPath: arguments[1]))
    var bytes = 0
    for _ in 0..<(arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20) {
        let shown = try store.shownDocument(arguments[2])
        bytes += DocumentRendering.bytes(shown.document, text: shown.text, anchored: shown.annotations, color: false).count
    }
    print("profile-show: \(bytes) bytes")
    exit(0)
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-workflow-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

// MARK: 1. show with 10,000 annotations

do {
    let store = try ReplicaStore.create(at: folder.appendingPathComponent("show.sqlite"), name: "bench")
    let text = ScalarText(makeText(bytes: 300_000, seed: 1))
    guard case .imported(let document, _) = try store.importDocuments([ImportItem(name: "bench", text: text.string, source: DocumentSource(title: "Bench"))])[0] else {
        fatalError("not imported")
    }
    var g = Generator(state: 2)
    let ranges = (0..<10_000).map { _ -> (Int, Int) in
        let length = 10 + g.int(60)
        let start = g.int(text.count - length)
        return (start, start + length)
    }
    let (_, insertMs) = try time { try bulkAnnotate(store, document: document, text: text, ranges: ranges, seed: 6) }
    var runs: [Double] = []
    var cpuRuns: [Double] = []
    var size = 0
    for _ in 0..<6 {
        let cpuBefore = cpuMs()
        defer { cpuRuns.append(cpuMs() - cpuBefore) }
        let (output, ms) = try time { () throws -> [UInt8] in
            // What ShowCommand does (after opening the store).
            let shown = try store.shownDocument(document.id)
            return DocumentRendering.bytes(shown.document, text: shown.text, anchored: shown.annotations, color: false)
        }
        size = output.count
        runs.append(ms)
    }
    print(String(format: "show: document of %d scalars with 10,000 annotations: median %.1f ms over 5 runs (goal ≤ 100 ms), CPU median %.1f ms; output %d bytes; first show after a bulk write (decodes states, computes anchors) %.0f ms; setup: 10,000 annotations written in %.0f ms",
                 text.count, median(Array(runs.dropFirst())), median(Array(cpuRuns.dropFirst())), size, runs[0], insertMs))
    // Where the time goes (one warm run).
    let doc = try store.document(document.id)
    let (headText, textMs) = try time { try store.headText(of: doc) }
    let (anchored, loadMs) = try time { try store.anchoredAnnotations(document: doc.id) }
    let (_, renderMs) = time { DocumentRendering.render(doc, text: headText, anchored: anchored, color: false) }
    let marks = anchored.enumerated().compactMap { i, a in a.anchor.position.map { AnnotatedTextRenderer.Mark(number: i + 1, position: $0) } }
    let (_, marksMs) = time { AnnotatedTextRenderer.render(headText, marks: marks, color: false) }
    let (_, listMs) = time { () -> Int in
        var out: [UInt8] = []
        for (i, a) in anchored.enumerated() { AnnotationLine.append(a, number: i + 1, to: &out) }
        return out.count
    }
    print(String(format: "show breakdown: text %.0f ms, annotations with anchors %.0f ms, render %.0f ms (marked text %.0f ms, list %.0f ms)",
                 textMs, loadMs, renderMs, marksMs, listMs))
    try store.close()
    if let keepShowStore {
        let target = URL(fileURLWithPath: keepShowStore)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("show.sqlite"), to: target)
        print("show store kept at \(target.path): gloss show --store \(target.path) \(document.id)")
    }
}

// MARK: 2. re-anchoring 10,000 annotations on a revised 1 MB document

if !onlyShow {
    let old = ScalarText(makeText(bytes: 1_000_000, seed: 3))
    let new = ScalarText(revise(old.string, edits: 300, seed: 4))
    let list = targets(on: old, revision: "old", count: 10_000, seed: 5)
    var runs: [Double] = []
    var counts: [AnchorStatus: Int] = [:]
    var diffMs = 0.0
    for _ in 0..<3 {
        let (anchors, ms) = time { () -> [Anchor] in
            let (diff, dMs) = time { RevisionDiff(old: old.scalars, new: new.scalars) }
            diffMs = dMs
            let reanchorer = Reanchorer(revision: "new", text: new)
            return list.map { reanchorer.anchor($0, diff: diff) }
        }
        counts = Dictionary(grouping: anchors, by: \.status).mapValues(\.count)
        runs.append(ms)
    }
    let summary = AnchorStatus.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
    print(String(format: "re-anchor (pure): 10,000 annotations, %d → %d scalars, 300 edits: median %.0f ms over 3 runs (diff %.0f ms) (goal ≤ 1000 ms); %@",
                 old.count, new.count, median(runs), diffMs, summary))

    // Through the store: import, 10,000 annotations, then `revise` (diff, anchors, saved rows).
    let store = try ReplicaStore.create(at: folder.appendingPathComponent("reanchor.sqlite"), name: "bench")
    guard case .imported(let document, _) = try store.importDocuments([ImportItem(name: "big", text: old.string, source: DocumentSource(title: "Big"))])[0] else {
        fatalError("not imported")
    }
    try bulkAnnotate(store, document: document, text: old, ranges: list.map { ($0.position.start, $0.position.end) }, seed: 7)
    _ = try store.anchoredAnnotations(document: document.id)  // as after `gloss annotate`: views cached
    let (result, ms) = try time { try store.revise(document: document.id, text: new.string) }
    let storeCounts = Dictionary(grouping: result.anchors, by: \.anchor.status).mapValues(\.count)
    print(String(format: "re-anchor (store, `gloss import --revise`): 10,000 annotations on the 1 MB document: %.0f ms (incl. saving the revision and 10,000 anchor rows); %@",
                 ms, AnchorStatus.allCases.map { "\(storeCounts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")))
    try store.close()
}
