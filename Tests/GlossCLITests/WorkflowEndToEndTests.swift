import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// The analyst's workflow on the real seeds, through the built `gloss` binary.
@Suite struct WorkflowEndToEndTests {
    static let rferlSource = ["--title", "Russian Forces Begin Drawdown In Syria", "--publisher", "RFE/RL", "--published", "2016-03-15", "--accessed", "2026-01-15", "--grade", "B"]
    static let viceSource = ["--title", "Russian Warplanes Have Now Started Leaving Syria", "--publisher", "VICE News", "--published", "2016-03-15", "--accessed", "2026-01-15", "--grade", "b"]
    static let lavrovSource = ["--title", "Russia leaving Syria? Lavrov dispels rumors", "--publisher", "unknown news site", "--published", "2017-07", "--grade", "D"]
    static let lavrovQuote = "The withdrawal of the Russian military group from Syria depends on what is happening on the ground"

    @Test func importAnnotateCiteSearchAndExportTheSeeds() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let euaa = try s.importSeed("000", ["--publisher", "EUAA", "--published", "2025-03", "--grade", "B"])
        let rferl = try s.importSeed("001", Self.rferlSource)
        _ = try s.importSeed("002")
        let vice = try s.importSeed("003", Self.viceSource)
        let lavrov = try s.importSeed("004", Self.lavrovSource)

        // docs lists all five with their sources.
        let docs = try #require(try s.json(["docs"]) as? [[String: Any]])
        #expect(docs.count == 5)
        let titles = docs.compactMap { ($0["document"] as? [String: Any])?["title"] as? String }
        #expect(titles.contains("3.2. Russia"))  // default title: the first heading
        #expect(titles.contains("Russian Forces Begin Drawdown In Syria"))
        #expect(euaa.hasPrefix("d-"))

        let a1 = try s.annotate(rferl, ["--quote", "between 3,000 and 6,000", "--tag", "troops", "--claim", "3,000-6,000 troops", "--said-by", "US", "--credibility", "3"])
        let a2 = try s.annotate(vice, ["--quote", "between 3,000 and 6,000", "--tag", "troops", "--comment", "same US estimate"])
        let a3 = try s.annotate(lavrov, ["--quote", Self.lavrovQuote, "--tag", "withdrawal"])

        // The annotation stores both selectors against the NFC text.
        let shown = try #require(try s.json(["show", rferl]) as? [String: Any])
        let text = ScalarText(try #require(shown["text"] as? String))
        let anchored = try #require((shown["annotations"] as? [[String: Any]])?.first)
        let annotation = try #require(anchored["annotation"] as? [String: Any])
        let position = try #require(annotation["position"] as? [String: Int])
        #expect(text.slice(position["start"]!, position["end"]!) == "between 3,000 and 6,000")
        let quote = try #require(annotation["quote"] as? [String: String])
        #expect(quote["prefix"] == text.slice(position["start"]! - 32, position["start"]!))
        #expect(quote["suffix"]?.hasPrefix(" Russian troops in Syria") == true)

        // show marks the passage and lists the annotation.
        let plain = try s.ok(["show", String(vice.prefix(6))])
        #expect(plain.contains("⟦between 3,000 and 6,000⟧[1]"))
        #expect(plain.contains("[1] \(a2)  commenting  (exact)"))
        #expect(plain.contains("comment: same US estimate"))

        let noteOut = try s.ok([
            "note", "add", "--title", "Russian troop strength", "--body", "Two outlets give the same US estimate.",
            "--cite", a1, "--cite", a2, "--cite", String(a3.prefix(8)), "--tag", "troops",
        ])
        #expect(noteOut.contains("(3 citations)"))
        let notes = try #require(try s.json(["note", "list"]) as? [[String: Any]])
        let noteID = try #require(notes.first?["id"] as? String)
        let noteShown = try s.ok(["note", "show", noteID])
        #expect(noteShown.contains("“between 3,000 and 6,000”"))
        #expect(noteShown.contains("RFE/RL, Russian Forces Begin Drawdown In Syria, published 2016-03-15, accessed 2026-01-15, source grade B"))
        #expect(noteShown.contains("VICE News, Russian Warplanes Have Now Started Leaving Syria"))
        #expect(noteShown.contains(Self.lavrovQuote))

        // Search finds the passages, the note, and the documents' text.
        let hits = try #require(try s.json(["search", "between 3,000 and 6,000"]) as? [[String: Any]])
        let hitIDs = Set(hits.compactMap { $0["id"] as? String })
        #expect(hitIDs.isSuperset(of: [a1, a2, rferl, vice]))
        #expect(!hitIDs.contains(lavrov))
        let annotationHits = try #require(try s.json(["search", "3,000", "--kind", "annotation", "--doc", vice]) as? [[String: Any]])
        #expect(annotationHits.compactMap { $0["id"] as? String } == [a2])
        let snippet = annotationHits.first?["snippet"] as? String ?? ""
        #expect(snippet.contains("«3,000»") || snippet.contains("«3»,«000»"))
        let noteHits = try #require(try s.json(["search", "troop", "strength", "--kind", "note"]) as? [[String: Any]])
        #expect(noteHits.compactMap { $0["id"] as? String } == [noteID])
        let tagged = try #require(try s.json(["search", "withdrawal", "--tag", "withdrawal"]) as? [[String: Any]])
        #expect(tagged.compactMap { $0["id"] as? String } == [a3])

        // W3C export: JSON-LD with both selectors on each annotation.
        let w3cFile = s.dir.path("export.jsonld")
        _ = try s.ok(["export", "--format", "w3c", "--output", w3cFile.path])
        let collection = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: w3cFile)) as? [String: Any])
        #expect(collection["type"] as? String == "AnnotationCollection")
        let items = try #require((collection["first"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.count == 3)
        for item in items {
            let selectors = try #require((item["target"] as? [String: Any])?["selector"] as? [[String: Any]])
            #expect(Set(selectors.compactMap { $0["type"] as? String }) == ["TextQuoteSelector", "TextPositionSelector"])
            #expect(item["creator"] != nil && item["created"] != nil && item["modified"] != nil)
        }
        let exacts = items.compactMap { (((($0["target"] as? [String: Any])?["selector"] as? [[String: Any]])?.first)?["exact"] as? String) }
        #expect(exacts.filter { $0 == "between 3,000 and 6,000" }.count == 2)
        let tagBodies = items.flatMap { item -> [[String: Any]] in
            if let list = item["body"] as? [[String: Any]] { return list }
            return (item["body"] as? [String: Any]).map { [$0] } ?? []
        }.filter { $0["purpose"] as? String == "tagging" }
        #expect(Set(tagBodies.compactMap { $0["value"] as? String }) == ["troops", "withdrawal"])
        #expect(try W3CValidator.passes(w3cFile) != false, "the W3C suite rejects the export")

        // Markdown report: the note with footnoted citations giving the source.
        let report = try s.ok(["export", "--format", "markdown", "--note", noteID])
        #expect(report.contains("### Russian troop strength"))
        // The note's citations are footnotes of its own ([^note.citation]); the annotations' follow.
        #expect(report.contains("> “between 3,000 and 6,000”[^1.1]"))
        #expect(report.contains("[^1.1]: RFE/RL, *Russian Forces Begin Drawdown In Syria*, published 2016-03-15, accessed 2026-01-15, source grade B: “between 3,000 and 6,000”"))
        #expect(report.contains("[^1.2]: VICE News, *Russian Warplanes Have Now Started Leaving Syria*, published 2016-03-15"))
        #expect(report.contains("[^1.3]: unknown news site, *Russia leaving Syria? Lavrov dispels rumors*, published 2017-07"))
        #expect(report.contains("[^1]: RFE/RL, *Russian Forces Begin Drawdown In Syria*"))

        // JSON export: loss-free (every record's full state is there).
        let full = try #require(try JSONSerialization.jsonObject(with: Data(try s.ok(["export", "--format", "json"]).utf8)) as? [String: Any])
        let recordCount = (full["records"] as? [Any])?.count ?? 0
        #expect(recordCount == 14)  // 5 documents, 5 revisions, 3 annotations, 1 note
        #expect((full["annotations"] as? [Any])?.count == 3)
    }

    /// The repro: two notes, the second's body referring to its own citation with `[^1]`,
    /// which pointed at the first note's footnote.
    @Test func theMarkdownReportScopesEachNotesFootnotes() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let rferl = try s.importSeed("001", Self.rferlSource)
        let lavrov = try s.importSeed("004", Self.lavrovSource + ["--accessed", "2026-01-15", "--url", "https://example.org/lavrov", "--author", "A. Writer"])
        let a1 = try s.annotate(rferl, ["--quote", "between 3,000 and 6,000"])
        let a2 = try s.annotate(lavrov, ["--quote", Self.lavrovQuote])
        _ = try s.ok(["note", "add", "--title", "Strength", "--body", "The US estimate [^1].", "--cite", a1])
        _ = try s.ok(["note", "add", "--title", "Withdrawal", "--body", "Lavrov claimed a drawdown [^1].", "--cite", a2])
        let report = try s.ok(["export", "--format", "markdown"])
        #expect(report.contains("The US estimate [^1.1]."))
        #expect(report.contains("Lavrov claimed a drawdown [^2.1]."))
        #expect(report.contains("[^2.1]: unknown news site, A. Writer, *Russia leaving Syria? Lavrov dispels rumors*, published 2017-07, accessed 2026-01-15, source grade D, <https://example.org/lavrov>: “\(Self.lavrovQuote)”"))
    }

    /// After `import --revise`, the W3C export's positions select the annotation's passage in
    /// the document's current text; an orphan keeps its quote only; the export stays valid.
    @Test func theW3CExportOfARevisedDocumentSelectsItsCurrentText() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let original = try String(contentsOf: try Seeds.path("003"), encoding: .utf8)
        let doc = try s.importSeed("003", Self.viceSource)
        let kept = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        let lost = try s.annotate(doc, ["--quote", "Tartous"])
        let revised = s.dir.path("revised.txt")
        try Data(("A new opening paragraph.\n\n" + original.replacingOccurrences(of: "Tartous", with: "the port")).utf8).write(to: revised)
        _ = try s.ok(["import", "--revise", doc, revised.path])
        let text = ScalarText(try #require((try s.json(["show", doc]) as? [String: Any])?["text"] as? String))

        let file = s.dir.path("revised.jsonld")
        _ = try s.ok(["export", "--format", "w3c", "--output", file.path])
        let collection = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let items = try #require((collection["first"] as? [String: Any])?["items"] as? [[String: Any]])
        func selectors(_ ann: String) throws -> [String: [String: Any]] {
            let item = try #require(items.first { $0["id"] as? String == "urn:gloss:annotation:\(ann)" })
            let list = try #require((item["target"] as? [String: Any])?["selector"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: list.map { ($0["type"] as? String ?? "", $0) })
        }
        let position = try #require(try selectors(kept)["TextPositionSelector"])
        let start = try #require(position["start"] as? Int), end = try #require(position["end"] as? Int)
        #expect(text.slice(start, end) == "between 3,000 and 6,000")
        #expect(try selectors(lost)["TextPositionSelector"] == nil)
        #expect(try selectors(lost)["TextQuoteSelector"]?["exact"] as? String == "Tartous")
        #expect(try W3CValidator.passes(file) != false, "the W3C suite rejects the export")
    }

    /// Citations do not repeat an annotation: `note add` names it twice (ID and prefix), cites it
    /// once; `note edit --cite` of one already cited is refused, nothing changed.
    @Test func aNoteCitesEachAnnotationOnce() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003", Self.viceSource)
        let ann = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        let added = try s.ok(["note", "add", "--title", "d", "--body", "b", "--cite", ann, "--cite", String(ann.prefix(8)), "--cite", ann])
        #expect(added.contains("(1 citation)"))
        let noteID = try #require((try s.json(["note", "list"]) as? [[String: Any]])?.first?["id"] as? String)
        let refused = try s.gloss(["note", "edit", noteID, "--cite", ann])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("already cites \(ann)"))
        _ = try s.fails(["note", "edit", noteID, "--title", "renamed", "--cite", ann])
        let cited = (try #require(try s.json(["note", "show", noteID]) as? [String: Any])["citations"] as? [[String: Any]])?
            .compactMap { $0["annotation"] as? String }
        #expect(cited == [ann])
    }

    @Test func reimportingIdenticalTextIsANoOpThatSaysSo() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("001")
        let before = try s.stateHash()
        let again = try s.ok(["import", try Seeds.path("001").path])
        #expect(again.contains("Unchanged"))
        #expect(again.contains(doc))
        let revised = try s.ok(["import", "--revise", doc, try Seeds.path("001").path])
        #expect(revised.contains("Unchanged"))
        #expect(try s.stateHash() == before)
        // New source options on a re-import are not applied; the output says how to apply them.
        let graded = try s.ok(["import", try Seeds.path("001").path, "--grade", "A"])
        #expect(graded.contains("source details were not changed") && graded.contains("gloss import --revise \(doc)"), "\(graded)")
        #expect(try s.stateHash() == before)
        #expect(!again.contains("source details"))
    }

    @Test func aNoteKeepsItsQuoteWhenTheAnnotationIsDeleted() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003", Self.viceSource)
        let ann = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        _ = try s.ok(["note", "add", "--title", "Troops", "--body", "See the estimate.", "--cite", ann])
        let rm = try s.ok(["rm", ann])
        #expect(rm.contains("Deleted annotation \(ann)"))
        let noteID = try #require((try s.json(["note", "list"]) as? [[String: Any]])?.first?["id"] as? String)
        let shown = try s.ok(["note", "show", noteID])
        #expect(shown.contains("“between 3,000 and 6,000”"))
        #expect(shown.contains("annotation deleted; quote kept in the note"))
    }

    @Test func editAndTagChangeTheAnnotation() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        let ann = try s.annotate(doc, ["--quote", "between 3,000 and 6,000", "--tag", "draft"])
        _ = try s.ok(["edit", ann, "--comment", "US figure", "--claim", "3,000-6,000", "--credibility", "2"])
        let tags = try s.ok(["tag", ann, "+troops", "-draft"])
        #expect(tags.contains("Tags now: #troops") && !tags.contains("Nothing changed"))
        // Changes with nothing to do say so, and write nothing.
        let hash = try s.stateHash()
        let again = try s.ok(["tag", ann, "+troops", "-draft"])
        #expect(again.contains("Already tagged #troops") && again.contains("Had no tag #draft") && again.contains("Nothing changed."), "\(again)")
        #expect(try s.stateHash() == hash)
        let shown = try #require(try s.json(["show", doc]) as? [String: Any])
        let annotation = try #require(((shown["annotations"] as? [[String: Any]])?.first)?["annotation"] as? [String: Any])
        #expect(annotation["comment"] as? String == "US figure")
        #expect(annotation["credibility"] as? Int == 2)
        #expect(annotation["tags"] as? [String] == ["troops"])
    }

    @Test func showUsesColourOnlyWhenAllowed() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        _ = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        // Not a terminal (a pipe), NO_COLOR set by the harness: plain markers, no escapes.
        let plain = try s.ok(["show", doc])
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("⟦between 3,000 and 6,000⟧[1]"))
    }

    @Test func showOnATerminalUsesColourUnlessNoColorIsSet() throws {
        // `script` gives the command a pseudo-terminal, as a person's shell would.
        let scriptTool = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: scriptTool.path) else { return }
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        _ = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        func onTerminal(noColor: String) throws -> String {
            let process = Process()
            process.executableURL = scriptTool
            process.arguments = ["-qec", "'\(GlossBinary.url.path)' show \(doc)", "/dev/null"]
            process.environment = GlossBinary.baseEnvironment.merging(["GLOSS_STORE": s.storePath.path, "NO_COLOR": noColor, "TERM": "xterm"]) { $1 }
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let coloured = try onTerminal(noColor: "")
        #expect(coloured.contains("\u{1B}[4;33mbetween 3,000 and 6,000\u{1B}[0m"))
        let plain = try onTerminal(noColor: "1")
        #expect(!plain.contains("\u{1B}[4;33m"))
        #expect(plain.contains("⟦between 3,000 and 6,000⟧[1]"))
    }

    @Test func checkFailsWhileAConflictIsOpen() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        let ann = try s.annotate(doc, ["--quote", "between 3,000 and 6,000", "--comment", "ours"])
        _ = try s.ok(["edit", ann, "--comment", "ours, edited"])
        // Another replica edited the same comment concurrently (from the state before our edit).
        let store = try ReplicaStore.open(at: s.storePath.appendingPathComponent("gloss.sqlite"))
        let base = try #require(try store.history(of: ann).first?.state)
        var theirs = base
        theirs.edit(by: ReplicaID.random(), at: 1) { $0.set(FieldName.comment, .string("theirs")) }
        try store.apply([theirs], from: nil)
        try store.close()
        let check = try s.gloss(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("Orphans 0, anchors needing review 0, conflicts 1"))
    }

    @Test func checkIsCleanWithAnchoredAnnotations() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        _ = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        let result = try s.gloss(["check"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Orphans 0, anchors needing review 0, conflicts 0"))
        #expect(try s.ok(["orphans"]).contains("No orphans"))
    }
}

/// Notes written in $EDITOR and edited afterwards.
@Suite struct WorkflowNoteEditingEndToEndTests {
    @Test func aNoteCanBeWrittenInTheEditorAndEdited() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        let first = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        let second = try s.annotate(doc, ["--quote", "Tartous"])
        let editor = s.dir.path("editor.sh")
        // It also records the file's permissions: a note's text is as private as the store.
        let mode = s.dir.path("mode.txt")
        try Data("#!/bin/sh\nstat -c %a \"$1\" > '\(mode.path)'\nprintf 'Written in the editor.' > \"$1\"\n".utf8).write(to: editor)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
        let added = try GlossBinary.run(
            ["note", "add", "--title", "From the editor", "--cite", first], cwd: s.dir.url,
            environment: ["GLOSS_STORE": s.storePath.path, "EDITOR": editor.path])
        #expect(added.status == 0, "\(added.stderr)")
        let note = try #require((try s.json(["note", "list"]) as? [[String: Any]])?.first)
        let id = try #require(note["id"] as? String)
        #expect(try s.ok(["note", "show", id]).contains("Written in the editor."))
        #expect(try String(contentsOf: mode, encoding: .utf8) == "600\n")

        _ = try s.ok(["note", "edit", id, "--title", "Renamed", "--cite", second, "--uncite", first])
        let edited = try #require(try s.json(["note", "show", id]) as? [String: Any])
        #expect(edited["title"] as? String == "Renamed")
        let cited = (edited["citations"] as? [[String: Any]])?.compactMap { $0["annotation"] as? String }
        #expect(cited == [second])
        #expect(try s.fails(["note", "edit", id, "--uncite", "a-ffffffffffff"]).contains("does not cite"))

        // --uncite takes an ID or a unique prefix among the citations, as every other ID
        // argument does: a prefix of both cited annotations removes neither.
        _ = try s.ok(["note", "edit", id, "--cite", first])
        #expect(try s.fails(["note", "edit", id, "--uncite", "a-"]).contains("matches several"))
        #expect(try s.fails(["note", "edit", id, "--uncite", ""]).contains("empty"))
        let shared = zip(first, second).prefix { $0 == $1 }.count
        _ = try s.ok(["note", "edit", id, "--uncite", String(first.prefix(shared + 1))])
        let left = (try #require(try s.json(["note", "show", id]) as? [String: Any])["citations"] as? [[String: Any]])?
            .compactMap { $0["annotation"] as? String }
        #expect(left == [second])
    }
}

/// Values another replica wrote outside their field's range (a faulty or newer peer): stored
/// as received, shown as absent, listed by `gloss check`.
@Suite struct ValuesOutOfRangeEndToEndTests {
    @Test func aCredibilityOutOfRangeFromAPeerIsShownAsNoneAndListedByCheck() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let doc = try s.importSeed("003")
        let ann = try s.annotate(doc, ["--quote", "between 3,000 and 6,000", "--claim", "troop numbers", "--credibility", "2"])
        // Another replica set credibility 1000 and motivation "shouting" (gloss refuses both).
        let store = try ReplicaStore.open(at: s.storePath.appendingPathComponent("gloss.sqlite"))
        var theirs = try #require(try store.record(ann))
        theirs.edit(by: ReplicaID.random(), at: 1) { e in
            e.set(DomainField.credibility, .int(1000))
            e.set(DomainField.motivation, .string("shouting"))
        }
        try store.apply([theirs], from: nil)
        #expect(try store.invalidValues().map { "\($0.recordID) \($0.field) \($0.value)" }.sorted()
            == ["\(ann) credibility 1000", "\(ann) motivation shouting"])
        #expect(try store.anchoredAnnotations(document: doc).first?.annotation.credibility == nil)
        try store.close()

        let check = try s.gloss(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("Values out of range, written by another replica and shown as absent: 2"))
        #expect(check.stdout.contains("\(ann) credibility \"1000\": credibility must be 1 to 6"))
        #expect(check.stdout.contains("gloss edit \(ann) --credibility"))
        #expect(!(try s.ok(["show", doc])).contains("1000"))

        _ = try s.ok(["edit", ann, "--credibility", "3", "--motivation", "assessing"])
        let after = try s.gloss(["check"])
        #expect(after.status == 0, "\(after.stdout)")
        #expect(!after.stdout.contains("out of range"))
    }
}
