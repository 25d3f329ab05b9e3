import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss show` on a document with many overlapping, nested and adjacent annotations, some made
/// on an older revision (mapped, fuzzy, orphaned), edited, tagged, deleted and merged after a
/// show: the store's fast path must print exactly what the straightforward reference below
/// prints (every annotation decoded from its record state, anchored afresh, rendered with the
/// original renderer).
@Suite struct ShowRenderingTests {
    static let words = [
        "Russian", "forces", "base", "Hmeimim", "withdrawal", "équipe", "naïve", "Войска", "базы", "Сирия",
        "q\u{301}uiet", "👍🏽", "🇸🇾", "東京", "said", "the", "of", "and", "3,000", "“quoted”",
    ]

    static func text(seed: UInt64, sentences: Int) -> String {
        var g = SeededRandom(seed: seed)
        var out = ""
        for i in 0..<sentences {
            out += (0..<(4 + g.int(10))).map { _ in words[g.int(words.count)] }.joined(separator: " ") + ". "
            if i % 5 == 4 { out += "\n\n" }
        }
        return ScalarText.nfc(out)
    }

    /// Scalar offsets between characters (where an annotation may start or end).
    static func boundaries(_ text: ScalarText) -> [Int] {
        var result = [0]
        var offset = 0
        for character in text.string {
            offset += character.unicodeScalars.count
            result.append(offset)
        }
        return result
    }

    /// A store with one document and `count` annotations on two revisions, edited after being
    /// shown once (so cached views and anchors exist and must be refreshed).
    static func populated(count: Int) throws -> (ReplicaStore, ReplicaStore, TemporaryDirectory, TemporaryDirectory, String) {
        let (store, dir) = try TestStores.make(name: "show-a")
        let (other, otherDir) = try TestStores.make(name: "show-b")
        let unique = "A unique passage about Tartus. "  // annotated, then cut: an orphan
        let first = text(seed: 1, sentences: 30) + unique + text(seed: 2, sentences: 30)
        guard case .imported(let document, _) = try store.importDocuments([ImportItem(name: "t", text: first, source: DocumentSource(title: "Show"))])[0] else {
            throw GlossError(.conflict, "not imported")
        }
        var g = SeededRandom(seed: 7)
        func annotateSome(_ n: Int) throws -> [Annotation] {
            let head = try store.headText(of: try store.document(document.id))
            let cuts = boundaries(head)
            var made: [Annotation] = []
            var previous: (Int, Int)? = nil
            for i in 0..<n {
                var range: (Int, Int)
                switch (i % 6, previous) {
                case (1, let p?): range = p  // identical range: numbered by ID
                case (2, let p?):  // nested inside the previous one, when it can be
                    let inner = cuts.filter { $0 > p.0 && $0 < p.1 }
                    range = inner.count >= 2 ? (inner[0], inner[inner.count - 1]) : p
                case (3, let p?):  // adjacent: starts where the previous one ends
                    let after = cuts.filter { $0 > p.1 }
                    range = after.isEmpty ? p : (p.1, after[min(after.count - 1, 1 + g.int(12))])
                default:
                    let a = g.int(cuts.count - 2)
                    range = (cuts[a], cuts[min(cuts.count - 1, a + 1 + g.int(25))])
                }
                if range.0 >= range.1 { range = (cuts[0], cuts[1]) }
                previous = range
                let claim = g.int(4) == 0 ? "Claim \(i)\nover two lines" : nil
                made.append(try store.annotate(AnnotationRequest(
                    document: document.id, selection: .range(start: range.0, end: range.1),
                    comment: g.int(2) == 0 ? "comment \(i) «\(words[g.int(words.count)])»\r\nsecond line" : nil,
                    // Said-by and credibility also without a claim (an edit can clear the claim).
                    claim: claim, saidBy: g.int(claim != nil ? 2 : 6) == 0 ? "MoD\nwest" : nil,
                    credibility: g.int(claim != nil ? 2 : 6) == 0 ? Int64(1 + g.int(6)) : nil,
                    tags: g.int(3) == 0 ? ["t\(g.int(3))", "z"] : [])))
            }
            return made
        }
        var old = try annotateSome(count / 2)
        old.append(try store.annotate(AnnotationRequest(document: document.id, selection: .quote(unique, occurrence: nil), comment: "cut")))
        _ = try store.anchoredAnnotations(document: document.id)  // views and anchors cached
        // A revision: a new opening, a sentence replaced, text cut out, so that annotations on
        // the old revision are mapped, fuzzy or orphaned.
        var revised = Array(first.replacingOccurrences(of: unique, with: "").unicodeScalars)
        revised.removeSubrange((revised.count / 2)..<(revised.count / 2 + 40))
        revised.insert(contentsOf: "A new opening paragraph.\n\n".unicodeScalars, at: 0)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: revised)
        _ = try store.revise(document: document.id, text: ScalarText.nfc(String(view)))
        _ = try store.anchoredAnnotations(document: document.id)
        let new = try annotateSome(count - count / 2)
        // Changes after the views were cached: edit, tag, delete locally, and an edit merged in.
        // (Every fifth by position: choosing by random ID left none edited in ~7% of runs.)
        for (i, a) in old.prefix(20).enumerated() where i % 5 == 0 {
            _ = try store.editAnnotation(a.id, AnnotationChanges(comment: "edited\nlater"))
        }
        for a in new.prefix(10) { _ = try store.tag(a.id, add: ["later"], remove: ["z"]) }
        for a in old.dropLast().suffix(5) { _ = try store.delete(a.id) }
        try other.apply(try store.records(kind: .revision) + store.records(kind: .document) + store.records(kind: .annotation), from: store.replicaID)
        _ = try other.editAnnotation(new[3].id, AnnotationChanges(claim: "merged claim", credibility: 2))
        try store.apply(try other.records(kind: .annotation), from: other.replicaID)
        return (store, other, dir, otherDir, document.id)
    }

    /// What `gloss show` prints (without the final newline `print` adds).
    static func rendered(_ store: ReplicaStore, _ docID: String, color: Bool) throws -> String {
        let shown = try store.shownDocument(docID)
        return String(decoding: DocumentRendering.bytes(shown.document, text: shown.text, anchored: shown.annotations, color: color), as: UTF8.self)
    }

    @Test func showPrintsWhatTheReferenceRenderingPrints() throws {
        let (store, other, dir, otherDir, docID) = try Self.populated(count: 240)
        defer { try? other.close(); try? store.close(); dir.remove(); otherDir.remove() }
        let document = try store.document(docID)
        let head = try store.headText(of: document)
        let expected = try Reference.anchored(store, document: document)
        #expect(Set(expected.map(\.anchor.status)).isSuperset(of: [.exact, .mapped, .orphan]), "the fixture covers every kind of anchor")
        #expect(expected.contains { $0.annotation.comment == "edited\nlater" } && expected.contains { $0.annotation.claim == "merged claim" })
        for color in [false, true] {
            let reference = Reference.render(document, text: head, anchored: expected, color: color)
            // Twice: the first show refreshes stale views and anchors, the second reads them.
            for _ in 0..<2 {
                #expect(try Self.rendered(store, docID, color: color) == reference)
                let anchored = try store.anchoredAnnotations(document: docID)
                #expect(anchored.map(\.annotation) == expected.map(\.annotation))
                #expect(anchored.map(\.anchor) == expected.map(\.anchor))
                #expect(DocumentRendering.render(document, text: head, anchored: anchored, color: color) == reference)
                #expect(try store.shownDocument(docID).annotations.map(\.annotation) == expected.map(\.annotation))
            }
        }
    }

    @Test func showFollowsARevisionThatArrivesByMergeAfterAShow() throws {
        let (store, other, dir, otherDir, docID) = try Self.populated(count: 60)
        defer { try? other.close(); try? store.close(); dir.remove(); otherDir.remove() }
        _ = try Self.rendered(store, docID, color: false)
        try other.apply(try store.records(kind: .annotation), from: store.replicaID)
        let otherHead = try other.headText(of: try other.document(docID))
        _ = try other.revise(document: docID, text: otherHead.string.replacingOccurrences(of: "the", with: "a"))
        try store.apply(try other.records(kind: .revision) + other.records(kind: .document), from: other.replicaID)
        let document = try store.document(docID)
        let expected = Reference.render(
            document, text: try store.headText(of: document), anchored: try Reference.anchored(store, document: document), color: false)
        #expect(try Self.rendered(store, docID, color: false) == expected)
        #expect(try Self.rendered(store, docID, color: false) == expected)
    }
}

/// The straightforward `gloss show`, as it was before it was made fast: annotations decoded from
/// their record states, each anchored on the head with a diff from its own revision, sorted in
/// text order (orphans last), rendered scalar by scalar.
enum Reference {
    /// An annotation and its anchor on the head.
    struct Entry { var annotation: Annotation; var anchor: Anchor }

    static func anchored(_ store: ReplicaStore, document: Document) throws -> [Entry] {
        let head = try #require(try store.revision(document.head!))
        let reanchorer = Reanchorer(revision: head.id, text: ScalarText(head.text))
        let list = try store.annotations(document: document.id).map { a -> Entry in
            var diff: RevisionDiff? = nil
            if a.revision != head.id, let old = try store.revision(a.revision) {
                diff = RevisionDiff(old: ScalarText(old.text).scalars, new: reanchorer.text.scalars)
            }
            return Entry(annotation: a, anchor: reanchorer.anchor(a.target, diff: diff))
        }
        return list.sorted { a, b in
            switch (a.anchor.position, b.anchor.position) {
            case let (x?, y?): return (x.start, x.end, a.annotation.id) < (y.start, y.end, b.annotation.id)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.annotation.id < b.annotation.id
            }
        }
    }

    static func render(_ document: Document, text: ScalarText, anchored: [Entry], color: Bool) -> String {
        var out = "\(document.title)  (\(document.id))\n"
        var source: [String] = []
        if let p = document.publisher { source.append(p) }
        if let a = document.author { source.append(a) }
        source.append("published \(document.published ?? "n.d.")")
        if let a = document.accessed { source.append("accessed \(a)") }
        if let g = document.grade { source.append("source grade \(g)" + (document.gradeNote.map { " (\($0))" } ?? "")) }
        if let u = document.url { source.append(u) }
        out += source.joined(separator: ", ") + "\n\n"
        let marks = anchored.enumerated().compactMap { i, a in a.anchor.position.map { (number: i + 1, position: $0) } }
        out += marked(text, marks: marks, color: color)
        if !out.hasSuffix("\n") { out += "\n" }
        guard !anchored.isEmpty else { return out }
        out += "\nAnnotations:\n"
        for (i, a) in anchored.enumerated() {
            let ann = a.annotation
            var status = a.anchor.status.rawValue
            if a.anchor.status == .fuzzy { status = "fuzzy, needs review" }
            var line = "[\(i + 1)] \(ann.id)  \(ann.motivation.rawValue)  (\(status))  “\(oneLine(ann.quote.exact))”"
            if let c = ann.comment { line += "\n      comment: \(oneLine(c))" }
            var assessed: [String] = []
            if let claim = ann.claim { assessed.append("claim: \(oneLine(claim))") }
            if let s = ann.saidBy { assessed.append(ann.claim == nil ? "said by \(oneLine(s))" : "(said by \(oneLine(s)))") }
            var assessment = assessed.joined(separator: " ")
            if let c = ann.credibility { assessment += (assessment.isEmpty ? "" : ", ") + "credibility \(c): \(Credibility.meaning(c))" }
            if !assessment.isEmpty { line += "\n      " + assessment }
            if !ann.tags.isEmpty { line += "\n      tags: " + ann.tags.map { "#\($0)" }.joined(separator: " ") }
            out += line + "\n"
        }
        return out
    }

    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Marks inserted scalar by scalar: at each offset the passages ending there close (by
    /// number), then those starting there open.
    static func marked(_ text: ScalarText, marks: [(number: Int, position: TextPositionSelector)], color: Bool) -> String {
        let open = "\u{1B}[4;33m", reset = "\u{1B}[0m", dim = "\u{1B}[2m"
        let valid = marks.filter { $0.position.start >= 0 && $0.position.end <= text.count && $0.position.start < $0.position.end }
        var out = ""
        var depth = 0
        for offset in 0...text.count {
            let closing = valid.filter { $0.position.end == offset }.map(\.number).sorted()
            if !closing.isEmpty {
                depth -= closing.count
                let labels = closing.map { "[\($0)]" }.joined()
                out += color ? reset + dim + labels + reset + (depth > 0 ? open : "") : "⟧" + labels
            }
            let opening = valid.filter { $0.position.start == offset }.count
            if opening > 0 {
                depth += opening
                out += color ? open : String(repeating: "⟦", count: opening)
            }
            if offset < text.count { out.unicodeScalars.append(Unicode.Scalar(text.scalars[offset])!) }
        }
        if color && depth > 0 { out += reset }
        return out
    }
}
