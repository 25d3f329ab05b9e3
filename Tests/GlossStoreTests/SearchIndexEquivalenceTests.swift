import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// The search catch-up reads each record's entry from its stored JSON (`SearchEntryScanner`)
/// and inserts new records without a lookup. The index it builds must be exactly the one the
/// record-decoding path builds: for every record, the entry `SearchIndexer.entry(for:)` gives for
/// the decoded record (title, body parts joined by a newline, sorted tags), no row for a deleted
/// record or one without indexed text.
@Suite struct SearchIndexEquivalenceTests {
    static let a = ReplicaID("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")!
    static let b = ReplicaID("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")!
    static let c = ReplicaID("0123456789abcdef0123456789abcdef")!

    /// The index as rows (rowid, title, body, tags), in rowid order.
    static func index(_ store: ReplicaStore) throws -> [[String]] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, title, body, tags FROM search ORDER BY rowid").map { row in
                [String(row[0] as Int64), row[1] ?? "<null>", row[2] ?? "<null>", row[3] ?? "<null>"]
            }
        }
    }

    /// The index the decoding path makes for the store's records as they are now.
    static func expectedIndex(_ store: ReplicaStore) throws -> [[String]] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, state FROM records ORDER BY rowid").compactMap { row in
                let record = try GlossCore.Record.decode(row[1] as Data)
                guard !record.isDeleted, let entry = SearchIndexer.entry(for: record) else { return nil }
                return [String(row[0] as Int64), entry.title, entry.body, entry.tags]
            }
        }
    }

    /// Texts that need escaping in JSON, non-ASCII, empty, or look like JSON themselves.
    static let awkward = [
        "Troop numbers", "", "line one\nline two\ttabbed\r\n", "quote \" and backslash \\ and slash /",
        "control \u{01}\u{1F} bell \u{07}", "Пальмира — Тартус", "emoji 🇸🇾 and e\u{301}", "{\"f\":{\"title\":[]}}",
        "\"title\":", "日本語のテキスト", String(repeating: "long text ", count: 300),
    ]

    /// Records of every kind with every indexed field, tags, deletes, conflicts and a delete/edit
    /// conflict, as two replicas writing concurrently leave them.
    static func makeVariedStores() throws -> (ReplicaStore, ReplicaStore, [TemporaryDirectory]) {
        let (one, d1) = try TestStores.make(name: "one")
        let (two, d2) = try TestStores.make(name: "two")
        _ = try one.write { w in
            for (i, text) in awkward.enumerated() {
                try w.update("note-\(i)", kind: .note) { e in
                    e.set("title", .string(text))
                    e.set("body", .string("body \(i) " + text))
                    e.add("tag\(i % 3)", to: "tags")
                    e.add(i % 2 == 0 ? "syria" : "Сирия", to: "tags")
                    if i % 4 == 0 { e.add(text.isEmpty ? "x" : String(text.prefix(5)), to: "tags") }
                }
                try w.update("ann-\(i)", kind: .annotation) { e in
                    e.set("document", .string("doc-1"))
                    e.set("exact", .string(text))
                    if i % 2 == 0 { e.set("comment", .string("comment \(i)")) }
                    if i % 3 == 0 { e.set("claim", .string("claim \(text)")) }
                    e.set("start", .int(Int64(i)))
                }
            }
            try w.update("doc-1", kind: .document) { e in e.set("title", .string("Syria report")) }
            try w.update("rev-1", kind: .revision) { e in
                e.set("document", .string("doc-1"))
                e.set("text", .string(awkward.joined(separator: "\n\n")))
            }
            try w.update("untitled", kind: .note) { e in e.set("title", .int(42)) }  // no text: no row
            try w.update("flagged", kind: .note) { e in e.set("body", .bool(true)); e.set("title", .string("flag")) }
            try w.update("only-tags", kind: .note) { e in e.add("lonely", to: "tags") }
            try w.update("gone", kind: .note) { e in e.set("title", .string("deleted soon")) }
        }
        _ = try one.write { w in try w.update("gone", kind: .note) { $0.delete() } }
        // Concurrent edits on two replicas: conflicted fields (the winner is the greatest dot),
        // a delete meeting an edit, tags added and removed on both sides.
        try two.apply(try one.read { db in try allRecords(db) }, from: one.replicaID)
        _ = try one.write { w in
            try w.update("note-0", kind: .note) { e in e.set("title", .string("one's title")); e.remove("syria", from: "tags") }
            try w.update("note-1", kind: .note) { e in e.delete() }
            try w.update("ann-2", kind: .annotation) { e in e.set("comment", .string("one's comment")) }
        }
        _ = try two.write { w in
            try w.update("note-0", kind: .note) { e in e.set("title", .string("two's title")); e.add("zebra", to: "tags") }
            try w.update("note-1", kind: .note) { e in e.set("body", .string("edited while deleted")) }
            try w.update("ann-2", kind: .annotation) { e in e.set("comment", .string("two's comment")); e.set("claim", .int(7)) }
            try w.update("note-new", kind: .note) { e in e.set("title", .string("only on two")) }
        }
        try one.apply(try two.read { db in try allRecords(db) }, from: two.replicaID)
        return (one, two, [d1, d2])
    }

    static func allRecords(_ db: Database) throws -> [GlossCore.Record] {
        try Data.fetchAll(db, sql: "SELECT state FROM records ORDER BY seq").map { try GlossCore.Record.decode($0) }
    }

    @Test func aFirstSyncIndexesExactlyWhatDecodingEveryRecordWould() throws {
        let (one, _, dirs) = try Self.makeVariedStores()
        let (fresh, d3) = try TestStores.make(name: "fresh")
        defer { dirs.forEach { $0.remove() }; d3.remove() }
        let records = try one.read { db in try Self.allRecords(db) }
        #expect(records.contains { $0.isConflicted } && records.contains { $0.hasDeleteEditConflict })
        // As a first sync applies them: inserted without a lookup, canonical bytes kept.
        try fresh.apply(records, canonical: records.map { $0.canonicalData() }, from: one.replicaID, cursor: nil, insertFirst: true)
        #expect(try fresh.updateSearchIndex() == records.count)
        let expected = try Self.expectedIndex(fresh)
        #expect(expected.count > 20)
        #expect(try Self.index(fresh) == expected)
        try one.updateSearchIndex()
        #expect(try Self.index(one) == Self.expectedIndex(one))
    }

    @Test func catchingUpOnEditsDeletesAndConflictsLeavesTheSameIndexAsDecoding() throws {
        let (one, two, dirs) = try Self.makeVariedStores()
        defer { dirs.forEach { $0.remove() } }
        try one.updateSearchIndex()
        try two.updateSearchIndex()
        // Changes to indexed and unindexed records, new records, deletes and new conflicts.
        _ = try two.write { w in
            try w.update("note-2", kind: .note) { e in e.set("title", .string("retitled")) }
            try w.update("note-3", kind: .note) { e in e.delete() }
            try w.update("ann-4", kind: .annotation) { e in e.set("start", .int(99)) }  // same entry
            try w.update("untitled", kind: .note) { e in e.set("title", .string("titled now")) }
            try w.update("brand-new", kind: .note) { e in e.set("body", .string("new body")) }
        }
        _ = try one.write { w in
            try w.update("note-2", kind: .note) { e in e.set("title", .string("concurrently retitled")) }
            try w.update("only-tags", kind: .note) { e in e.remove("lonely", from: "tags") }
        }
        try one.apply(try two.read { db in try Self.allRecords(db) }, from: two.replicaID)
        try one.updateSearchIndex()
        #expect(try Self.index(one) == Self.expectedIndex(one))
        #expect(try one.search(SearchQuery(text: "retitled")).map(\.id) == ["note-2"])
        #expect(try one.search(SearchQuery(text: "lonely")).isEmpty)
    }

    @Test func theScannerReadsEveryCanonicalStateAsDecodingDoes() throws {
        let (one, _, dirs) = try Self.makeVariedStores()
        defer { dirs.forEach { $0.remove() } }
        var records = try one.read { db in try Self.allRecords(db) }
        // A counter reuse (two values under one dot) is left to the decoder.
        var copy = GlossCore.Record(id: "reused", kind: .note)
        copy.edit(by: Self.a, at: 1) { $0.set("title", .string("first")) }
        var other = GlossCore.Record(id: "reused", kind: .note)
        other.edit(by: Self.a, at: 2) { $0.set("title", .string("second")) }
        let collided = copy.merged(with: other)
        #expect(collided.hasDotCollision)
        records.append(collided)
        var undecided: [String] = []
        for record in records {
            let data = record.canonicalData()
            let outcome = data.withUnsafeBytes { SearchEntryScanner.scan($0) }
            let expected = record.isDeleted ? nil : SearchIndexer.entry(for: record)
            if outcome == .undecided { undecided.append(record.id); continue }
            #expect(outcome == .entry(expected), "\(record.id)")
        }
        // Only the collision needs the decoder; conflicts with distinct dots do not.
        #expect(undecided == ["reused"])
    }

    /// States in other JSON forms than the canonical one (whitespace, member order, escapes,
    /// repeated names, siblings out of order) and broken ones: the scanner gives the decoding
    /// path's entry or leaves the state to it, never another entry.
    @Test func theScannerNeverDisagreesWithTheDecoderOnOtherForms() throws {
        let a = Self.a.rawValue, b = Self.b.rawValue
        func sib(_ n: Int, _ r: String, _ v: String) -> String { "{\"n\":\(n),\"r\":\"\(r)\",\"t\":5,\"v\":\(v)}" }
        let vv = "\"vv\":{\"\(a)\":3,\"\(b)\":3}"
        let head = "\"id\":\"x\",\"kind\":\"note\""
        let cases: [(String, Bool)] = [  // (state, the scanner must decide it)
            ("{\"f\":{\"title\":[\(sib(1, a, "\"T\""))]},\(head),\"s\":{},\(vv)}", true),
            (" { \"f\" : { \"title\" : [ \(sib(1, a, "\"T\"")) ] } , \(head) , \"s\" : { } , \(vv) } ", true),
            ("{\(vv),\"s\":{\"tags\":{\"a\":[{\"counter\":1,\"replica\":\"\(a)\"}]}},\(head),\"f\":{\"body\":[\(sib(2, a, "\"B\\nC \\u0041\\/\""))]}}", true),
            // Two siblings, greatest dot last (by counter, then by replica).
            ("{\"f\":{\"title\":[\(sib(1, b, "\"old\"")),\(sib(2, a, "\"new\""))]},\(head),\"s\":{},\(vv)}", true),
            ("{\"f\":{\"title\":[\(sib(2, a, "\"A\"")),\(sib(2, b, "\"B\""))]},\(head),\"s\":{},\(vv)}", true),
            // Out of order, or one dot twice: the decoder sorts them.
            ("{\"f\":{\"title\":[\(sib(2, a, "\"new\"")),\(sib(1, b, "\"old\""))]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[\(sib(2, b, "\"B\"")),\(sib(2, a, "\"A\""))]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[\(sib(2, a, "\"B\"")),\(sib(2, a, "\"A\""))]},\(head),\"s\":{},\(vv)}", false),
            // A non-ASCII escape and a surrogate pair in a value: read by the decoder's own code.
            ("{\"f\":{\"title\":[\(sib(1, a, "\"caf\\u00e9\""))]},\(head),\"s\":{},\(vv)}", true),
            ("{\"f\":{\"title\":[\(sib(1, a, "\"\\ud83d\\ude00\""))]},\(head),\"s\":{},\(vv)}", true),
            // A name repeated, an escaped name, a lone surrogate.
            ("{\"f\":{\"title\":[\(sib(1, a, "\"one\""))],\"title\":[\(sib(2, a, "\"two\""))]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"t\\u0069tle\":[\(sib(1, a, "\"T\""))]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[\(sib(1, a, "\"\\ud83d x\""))]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[\(sib(1, a, "\"T\""))]},\"f\":{},\(head),\"s\":{},\(vv)}", false),
            // Tags out of order, repeated, or repeated with no dot the second time.
            ("{\"f\":{},\(head),\"s\":{\"tags\":{\"b\":[{\"counter\":1,\"replica\":\"\(a)\"}],\"a\":[{\"counter\":1,\"replica\":\"\(a)\"}]}},\(vv)}", false),
            ("{\"f\":{},\(head),\"s\":{\"tags\":{\"a\":[{\"counter\":1,\"replica\":\"\(a)\"}],\"a\":[]}},\(vv)}", false),
            ("{\"f\":{},\(head),\"s\":{\"tags\":{\"a\":[],\"b\":[{\"counter\":1,\"replica\":\"\(a)\"}]}},\(vv)}", true),
            ("{\"f\":{},\(head),\"s\":{\"tags\":{\"a\\\"b\":[{\"counter\":1,\"replica\":\"\(a)\"}],\"a\\\\c\":[{\"counter\":1,\"replica\":\"\(a)\"}]}},\(vv)}", true),
            // Deleted; deleted = false; a value of each other type.
            ("{\"f\":{\"deleted\":[\(sib(3, a, "true"))],\"title\":[\(sib(1, a, "\"T\""))]},\(head),\"s\":{},\(vv)}", true),
            ("{\"f\":{\"deleted\":[\(sib(3, a, "false"))],\"title\":[\(sib(1, a, "\"T\""))]},\(head),\"s\":{},\(vv)}", true),
            ("{\"f\":{\"body\":[\(sib(1, a, "-12"))],\"title\":[\(sib(1, b, "false"))]},\(head),\"s\":{},\(vv)}", true),
            // Broken: the decoder refuses these, so the scanner must not index them.
            ("{\"f\":{\"title\":[\(sib(1, a, "1.5"))]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[\(sib(1, a, "null"))]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[{\"n\":1,\"r\":\"\(a)\",\"v\":\"no time\"}]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[{\"n\":0,\"r\":\"\(a)\",\"t\":1,\"v\":\"zero\"}]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[{\"n\":1,\"r\":\"\(a.uppercased())\",\"t\":1,\"v\":\"upper\"}]},\(head),\"s\":{},\(vv)}", false),
            ("{\"f\":{\"title\":[\(sib(1, a, "\"T\""))]},\(head),\"s\":{},\(vv)} x", false),
            ("{\"f\":{\"title\":[\(sib(1, a, "\"T\""))]},\(head),\"s\":{},\(vv)", false),
            ("{\"f\":{\"title\":[\(sib(1, a, "\"raw\u{01}control\""))]},\(head),\"s\":{},\(vv)}", false),
        ]
        for (text, decides) in cases {
            let data = Data(text.utf8)
            let outcome = data.withUnsafeBytes { SearchEntryScanner.scan($0) }
            let decoded = try? GlossCore.Record.decode(data)
            if decides {
                let record = try #require(decoded, "\(text)")
                #expect(outcome == .entry(record.isDeleted ? nil : SearchIndexer.entry(for: record)), "\(text)")
            } else {
                #expect(outcome == .undecided, "\(text)")
            }
        }
        // Invalid UTF-8 inside a value.
        var bytes = Array("{\"f\":{\"title\":[\(sib(1, a, "\"ab\""))]},\(head),\"s\":{},\(vv)}".utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "b"))!] = 0xFF
        #expect(bytes.withUnsafeBytes { SearchEntryScanner.scan($0) } == .undecided)
        #expect(throws: (any Error).self) { try GlossCore.Record.decode(Data(bytes)) }
    }
}
