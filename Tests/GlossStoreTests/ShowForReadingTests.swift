import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss show` first tries a store opened for reading only (no write transaction, no checkpoint):
/// that path must show exactly what the general path shows, give way (nil) whenever views or
/// anchors need refreshing or the schema needs migrating, refuse wrong files as `open` does, and
/// write nothing.
@Suite struct ShowForReadingTests {
    static func rendered(_ shown: ShownDocument, color: Bool) -> String {
        DocumentRendering.render(shown.document, text: shown.text, anchored: shown.annotations, color: color)
    }

    @Test func theReadOnlyPathShowsWhatTheGeneralPathShowsAndGivesWayWhenStale() throws {
        let (store, other, dir, otherDir, docID) = try ShowRenderingTests.populated(count: 120)
        defer { try? other.close(); dir.remove(); otherDir.remove() }
        // Edits since the last show: the read-only path has nothing current to read.
        let stale = try #require(try ReplicaStore.openForReading(at: store.fileURL))
        #expect(try stale.currentShownDocument(docID) == nil)
        try stale.close()
        let general = try store.shownDocument(docID)  // refreshes views and anchors
        let fileURL = store.fileURL
        try store.close()

        let before = try Data(contentsOf: fileURL)
        let reader = try #require(try ReplicaStore.openForReading(at: fileURL))
        let shown = try #require(try reader.currentShownDocument(docID))
        for color in [false, true] { #expect(Self.rendered(shown, color: color) == Self.rendered(general, color: color)) }
        #expect(shown.annotations.map(\.annotation) == general.annotations.map(\.annotation))
        #expect(shown.annotations.map(\.anchor) == general.annotations.map(\.anchor))
        // A unique prefix finds the same document; an unknown one is the general path's error.
        #expect(try reader.currentShownDocument(String(docID.prefix(6))).map { Self.rendered($0, color: false) } == Self.rendered(general, color: false))
        let missing = #expect(throws: GlossError.self) { try reader.currentShownDocument("d-nothing-here") }
        #expect(missing?.code == .notFound)
        // It cannot write, and it wrote nothing.
        #expect(throws: GlossError.self) { try reader.setName("renamed") }
        try reader.close()
        #expect(try Data(contentsOf: fileURL) == before)

        // A new annotation is saved with its view and anchor: read as it is. An edit makes its
        // view stale: the read-only path gives way, the general path shows the edit.
        let writer = try ReplicaStore.open(at: fileURL)
        defer { try? writer.close() }
        let added = try writer.annotate(AnnotationRequest(document: docID, selection: .range(start: 0, end: 5), comment: "added"))
        let again = try #require(try ReplicaStore.openForReading(at: fileURL))
        defer { try? again.close() }
        let withAdded = try #require(try again.currentShownDocument(docID))
        #expect(withAdded.annotations.contains { $0.annotation.id == added.id })
        #expect(Self.rendered(withAdded, color: false) == Self.rendered(try writer.shownDocument(docID), color: false))
        _ = try writer.editAnnotation(added.id, AnnotationChanges(comment: "edited after"))
        #expect(try again.currentShownDocument(docID) == nil)
        let edited = try writer.shownDocument(docID)
        #expect(edited.annotations.contains { $0.annotation.id == added.id && $0.annotation.comment == "edited after" })
        let refreshed = try #require(try again.currentShownDocument(docID))
        #expect(Self.rendered(refreshed, color: false) == Self.rendered(edited, color: false))
    }

    /// A store from before `anchors_by_revision`: the read-only path gives way, `open` adds the
    /// index, and the document shows exactly as before, on either path.
    @Test func aStoreFromBeforeTheAnchorsIndexIsMigratedAndShowsTheSame() throws {
        let (store, other, dir, otherDir, docID) = try ShowRenderingTests.populated(count: 90)
        defer { try? other.close(); dir.remove(); otherDir.remove() }
        let before = Self.rendered(try store.shownDocument(docID), color: false)
        let fileURL = store.fileURL
        try store.close()
        try RawSQLite.execute(fileURL, """
            DROP INDEX anchors_by_revision;
            DELETE FROM grdb_migrations WHERE identifier = 'show-v1-anchors-by-revision';
            """)
        #expect(try ReplicaStore.openForReading(at: fileURL) == nil)
        let migrated = try ReplicaStore.open(at: fileURL)
        #expect(Self.rendered(try migrated.shownDocument(docID), color: false) == before)
        let indexes = try migrated.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'anchors'")
        }
        #expect(indexes.contains("anchors_by_revision"))
        try migrated.close()
        let reader = try #require(try ReplicaStore.openForReading(at: fileURL))
        defer { try? reader.close() }
        #expect(try reader.currentShownDocument(docID).map { Self.rendered($0, color: false) } == before)
    }

    /// The read-only path reads views and anchors apart: a live annotation whose view or whose
    /// anchor on the head is missing makes it give way (not show fewer annotations), and the
    /// general path puts it back.
    @Test func aMissingViewOrAnchorMakesTheReadOnlyPathGiveWay() throws {
        let (store, other, dir, otherDir, docID) = try ShowRenderingTests.populated(count: 60)
        defer { try? other.close(); dir.remove(); otherDir.remove() }
        let general = try store.shownDocument(docID)
        let expected = Self.rendered(general, color: false)
        let victim = try #require(general.annotations.last?.annotation.id)
        let fileURL = store.fileURL
        try store.close()
        for sql in ["DELETE FROM annotation_views WHERE annotation_id = '\(victim)'", "DELETE FROM anchors WHERE annotation_id = '\(victim)'"] {
            try RawSQLite.execute(fileURL, sql)
            let reader = try #require(try ReplicaStore.openForReading(at: fileURL))
            #expect(try reader.currentShownDocument(docID) == nil, "\(sql)")
            try reader.close()
            let writer = try ReplicaStore.open(at: fileURL)
            #expect(Self.rendered(try writer.shownDocument(docID), color: false) == expected)
            try writer.close()
            let again = try #require(try ReplicaStore.openForReading(at: fileURL))
            #expect(try again.currentShownDocument(docID).map { Self.rendered($0, color: false) } == expected)
            try again.close()
        }
    }

    @Test func aStoreWhoseSchemaIsBehindIsLeftToOpenWhichMigratesIt() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let id = store.replicaID
        try store.close()
        // As a store of the gloss before the last migration was.
        try RawSQLite.execute(store.fileURL, "DELETE FROM grdb_migrations WHERE identifier = 'history-v2-states-stored-once'")
        try RawSQLite.execute(store.fileURL, "ALTER TABLE history DROP COLUMN previous")
        #expect(try ReplicaStore.openForReading(at: store.fileURL) == nil)
        try ReplicaStore.open(at: store.fileURL).close()
        #expect(try ReplicaStore.openForReading(at: store.fileURL)?.replicaID == id)
    }

    @Test func wrongFilesAreRefusedAsOpenRefusesThem() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = dir.path("notes.txt")
        try Data("not a database\n".utf8).write(to: text)
        let other = dir.path("other.sqlite")
        try RawSQLite.execute(other, "CREATE TABLE t(x)")
        let (store, storeDir) = try TestStores.make()
        defer { storeDir.remove() }
        try store.close()
        try RawSQLite.execute(store.fileURL, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        for (file, code) in [(text, GlossError.Code.notAStore), (other, .notAStore), (store.fileURL, .schemaTooNew), (dir.path("none/gloss.sqlite"), .storeNotFound)] {
            let before = try? Data(contentsOf: file)
            let viaOpen = #expect(throws: GlossError.self) { try ReplicaStore.open(at: file) }
            let viaRead = #expect(throws: GlossError.self) { try ReplicaStore.openForReading(at: file) }
            #expect(viaRead?.code == code)
            #expect(viaRead?.message == viaOpen?.message)
            #expect((try? Data(contentsOf: file)) == before)
        }
    }
}
