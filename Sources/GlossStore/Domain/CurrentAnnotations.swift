import Foundation
import GRDB
import GRDBSQLite
import GlossCore

/// Reads a document's live annotations with their anchors on its head from the derived tables
/// (`annotation_views`, `anchors`) when every one is current, for `gloss show` (see
/// `AnchorMaintenance.current`).
///
/// Three single-table queries, matched in memory by annotation ID, instead of one join: the
/// join looked up each annotation's view and anchor by its TEXT key (two index seeks and two
/// row seeks per annotation, about 60% of the query), while the records' IDs and seqs, the
/// document's views and the head's anchors each come in one index range (`anchors_by_revision`
/// covers the anchors). Rows are read through SQLite's C API: GRDB's `Row` checked each
/// column's type and copied each text through `strlen`.
enum CurrentAnnotations {
    /// The live annotations of `docID` with their anchors on `head`, in text order, orphans
    /// last; nil when any live annotation has no current view (its seq differs from the
    /// record's) or no anchor on `head`.
    static func read(document docID: String, head: String, _ db: Database) throws -> [AnchoredAnnotation]? {
        // 1. The live annotations: ID -> slot, with the record's seq.
        // Sized up front (the index alone counts them, deleted ones included): growing the
        // table rehashed every ID several times.
        let expected = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM records WHERE kind = 'annotation' AND parent = ?", arguments: [docID]) ?? 0
        var slotOf: [String: Int] = [:]
        slotOf.reserveCapacity(expected)
        var seqs: [Int64] = []
        seqs.reserveCapacity(expected)
        let records = try Query(db, sql: "SELECT id, seq FROM records WHERE kind = 'annotation' AND parent = ? AND deleted = 0")
        records.bind(1, docID)
        defer { records.reset() }
        while try records.step(db) {
            slotOf[records.text(0)] = seqs.count
            seqs.append(records.int64(1))
        }
        let count = seqs.count
        guard count > 0 else { return [] }

        // 2. Their views, in the order read (a view of a deleted annotation, or of another
        // document, is skipped), each with a placeholder anchor until step 3. Not in an array of
        // optionals by slot: at ~300 bytes an annotation, every extra array of them, and every
        // copy, is megabytes of fresh pages and moves.
        var result: [AnchoredAnnotation] = []
        result.reserveCapacity(count)
        var indexOfSlot = [Int](repeating: -1, count: count)
        let views = try Query(db, sql: """
            SELECT annotation_id, seq, revision, exact, prefix, suffix, start, "end", motivation, comment, claim, said_by,
                   credibility, tags, created, modified
            FROM annotation_views WHERE document = ?
            """)
        views.bind(1, docID)
        defer { views.reset() }
        var revision = ""
        while try views.step(db) {
            let id = views.text(0)
            guard let slot = slotOf[id] else { continue }
            guard views.int64(1) == seqs[slot], indexOfSlot[slot] < 0 else { return nil }
            indexOfSlot[slot] = result.count
            let annotation = Annotation(
                id: id, document: docID, revision: views.text(2, reusing: &revision),
                quote: TextQuoteSelector(exact: views.text(3), prefix: views.text(4), suffix: views.text(5)),
                position: TextPositionSelector(start: Int(views.int64(6)), end: Int(views.int64(7))),
                motivation: Motivation(rawValue: views.text(8)) ?? .highlighting,
                comment: views.optionalText(9), claim: views.optionalText(10), saidBy: views.optionalText(11),
                credibility: views.optionalInt64(12),
                tags: AnnotationViews.tags(views.text(13)),
                created: views.optionalInt64(14), modified: views.optionalInt64(15))
            result.append(AnchoredAnnotation(annotation: annotation, revision: head, anchor: .orphan))
        }
        guard result.count == count else { return nil }

        // 3. Their anchors on the head, set in place.
        var hasAnchor = [Bool](repeating: false, count: count)
        let anchorRows = try Query(db, sql: "SELECT annotation_id, status, start, \"end\", score FROM anchors WHERE revision = ?")
        anchorRows.bind(1, head)
        defer { anchorRows.reset() }
        var anchored = 0
        while try anchorRows.step(db) {
            guard let slot = slotOf[anchorRows.text(0)] else { continue }
            let index = indexOfSlot[slot]
            if hasAnchor[index] { return nil }
            hasAnchor[index] = true
            anchored += 1
            let start = anchorRows.optionalInt64(2), end = anchorRows.optionalInt64(3)
            let position = start.flatMap { s in end.map { TextPositionSelector(start: Int(s), end: Int($0)) } }
            result[index].anchor = Anchor(
                position: position, status: AnchorStatus(rawValue: anchorRows.text(1)) ?? .orphan, score: anchorRows.double(4))
        }
        guard anchored == count else { return nil }
        AnchorMaintenance.sortInTextOrder(&result)
        return result
    }

    /// A cached statement stepped through SQLite's C API (reset when done).
    private struct Query {
        let statement: Statement
        var handle: SQLiteStatement { statement.sqliteStatement }

        init(_ db: Database, sql: String) throws {
            statement = try db.cachedStatement(sql: sql)
            sqlite3_reset(statement.sqliteStatement)
        }

        /// SQLite copies the bound bytes.
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        func bind(_ index: Int32, _ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                let pointer = UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
                _ = sqlite3_bind_text(handle, index, pointer, Int32(utf8.count), Self.transient)
            }
        }

        /// True with a row to read, false when done.
        func step(_ db: Database) throws -> Bool {
            let code = sqlite3_step(handle)
            if code == SQLITE_ROW { return true }
            guard code == SQLITE_DONE else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: sqlite3_sql(handle).map { String(cString: $0) })
            }
            return false
        }

        func reset() {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

        /// 0 for NULL.
        func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

        /// A text column's UTF-8 (empty for NULL), up to its first NUL if it has one: what
        /// GRDB reads (`String(cString:)`), so both paths of `gloss show` print the same.
        func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
            guard let bytes = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
            let count = Int(sqlite3_column_bytes(handle, column))
            let length = memchr(bytes, 0, count).map { UnsafeRawPointer($0) - UnsafeRawPointer(bytes) } ?? count
            return UnsafeBufferPointer(start: bytes, count: length)
        }

        /// A text column ("" for NULL).
        func text(_ column: Int32) -> String { String(decoding: utf8(column), as: UTF8.self) }

        func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

        /// `text(column)`, given as `previous` (one string shared, not one allocated per row)
        /// when it has the same bytes; else it becomes the new `previous`. For a column most
        /// rows repeat, as annotations' revision.
        func text(_ column: Int32, reusing previous: inout String) -> String {
            let utf8 = utf8(column)
            let same = previous.utf8.count == utf8.count
                && previous.withUTF8 { old in utf8.isEmpty || memcmp(old.baseAddress!, utf8.baseAddress!, utf8.count) == 0 }
            if same { return previous }
            previous = String(decoding: utf8, as: UTF8.self)
            return previous
        }
    }
}
