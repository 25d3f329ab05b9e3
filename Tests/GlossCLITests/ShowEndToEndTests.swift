import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss show` prints, byte for byte, what it printed before it was made fast: nested,
/// overlapping and adjacent passages, a passage across a line break and an emoji, annotations
/// made on an older revision (mapped and orphaned), a tag change and an edit after a show.
/// (The expected text was printed by the `gloss` of commit a084a10, IDs replaced.)
@Suite struct ShowEndToEndTests {
    static let first = "Troops: between 3,000 and 6,000 soldiers at Hmeimim.\nÉquipe naïve 👍🏽 said “no”.\n\nOther estimates differ; some say 2,000.\n"
    static let second = "Intro line.\nTroops: between 3,000 and 7,000 soldiers at Hmeimim.\nÉquipe naïve 👍🏽 said “no”.\n\nOther estimates differ.\n"

    @Test func showPrintsExactlyTheMarkedTextAndTheList() throws {
        let s = try WorkflowStore("show")
        defer { s.remove() }
        let firstFile = s.dir.path("t1.txt"), secondFile = s.dir.path("t2.txt")
        try Self.first.write(to: firstFile, atomically: true, encoding: .utf8)
        try Self.second.write(to: secondFile, atomically: true, encoding: .utf8)
        let imported = try #require(try s.json([
            "import", firstFile.path, "--title", "Show test", "--publisher", "Desk", "--published", "2016-03-15",
            "--accessed", "2026-01-15", "--grade", "B",
        ]) as? [[String: String]])
        let doc = try #require(imported.first?["document"])
        var ids: [String] = []
        ids.append(try s.annotate(doc, ["--at", "8:31"]))  // between 3,000 and 6,000
        ids.append(try s.annotate(doc, ["--at", "16:21", "--comment", "nested\ninside"]))  // 3,000, nested
        ids.append(try s.annotate(doc, ["--at", "31:52", "--tag", "b", "--tag", "a"]))  // adjacent
        ids.append(try s.annotate(doc, ["--at", "60:75", "--claim", "troops at base", "--said-by", "US", "--credibility", "3"]))
        ids.append(try s.annotate(doc, ["--at", "45:70", "--motivation", "questioning"]))  // across the line break
        ids.append(try s.annotate(doc, ["--quote", "Other estimates differ", "--comment", "see below"]))
        _ = try s.ok(["show", doc])  // views and anchors cached, then changed below
        _ = try s.ok(["import", secondFile.path, "--revise", doc])
        ids.append(try s.annotate(doc, ["--quote", "Intro line.", "--comment", "new revision"]))
        ids.append(try s.annotate(doc, ["--at", "0:12"]))
        _ = try s.ok(["tag", ids[2], "+c", "-a"])
        _ = try s.ok(["edit", ids[5], "--comment", "edited"])
        var expected = Self.expected.replacingOccurrences(of: "DOC", with: doc)
        for (i, id) in ids.enumerated() { expected = expected.replacingOccurrences(of: "A\(i + 1) ", with: id + " ") }
        #expect(try s.ok(["show", doc]) == expected)
        #expect(try s.ok(["show", String(doc.prefix(6))]) == expected)
    }

    /// A store last written by an older gloss is upgraded by the first command that opens it,
    /// which says so on standard error (once), and shows the same as before.
    @Test func aStoreFromAnOlderGlossIsUpgradedOnceAndSaysSo() throws {
        let s = try WorkflowStore("upgrade")
        defer { s.remove() }
        let doc = try s.importSeed("001")
        _ = try s.annotate(doc, ["--quote", "between 3,000 and 6,000"])
        let before = try s.ok(["show", doc])
        try RawSQLite.execute(s.storePath.appendingPathComponent("gloss.sqlite"), """
            DROP INDEX anchors_by_revision;
            DELETE FROM grdb_migrations WHERE identifier = 'show-v1-anchors-by-revision';
            """)
        let upgrading = try s.gloss(["show", doc])
        #expect(upgrading.status == 0)
        #expect(upgrading.stdout == before)
        #expect(upgrading.stderr.contains("upgrading the store"))
        let after = try s.gloss(["show", doc])
        #expect(after.stdout == before)
        #expect(!after.stderr.contains("upgrading"))
    }

    static let expected = """
        Show test  (DOC)
        Desk, published 2016-03-15, accessed 2026-01-15, source grade B

        ⟦⟦Intro line.⟧[1]
        ⟧[2]Troops: between ⟦3,000⟧[3] and 7,000⟦ soldiers at H⟦meimim.⟧[4]
        Équipe ⟦naïve 👍🏽 s⟧[5]aid “⟧[6]no”.

        ⟦Other estimates differ⟧[7].

        Annotations:
        [1] A7  commenting  (exact)  “Intro line.”
              comment: new revision
        [2] A8  highlighting  (exact)  “Intro line.”
        [3] A2  commenting  (mapped)  “3,000”
              comment: nested inside
        [4] A3  highlighting  (mapped)  “ soldiers at Hmeimim.”
              tags: #b #c
        [5] A5  questioning  (mapped)  “meimim. Équipe naïve 👍🏽 s”
        [6] A4  assessing  (mapped)  “naïve 👍🏽 said “”
              claim: troops at base (said by US), credibility 3: possibly true
        [7] A6  commenting  (mapped)  “Other estimates differ”
              comment: edited
        [8] A1  highlighting  (orphan)  “between 3,000 and 6,000”


        """
}
