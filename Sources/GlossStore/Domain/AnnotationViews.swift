import Foundation
import GRDB
import GlossCore

/// The local `annotation_views` table: each live annotation's fields in columns, tagged with the
/// record's feed position (`seq`). Derived data like anchors: a row whose seq differs from the
/// record's (edited locally or by a merge) is rebuilt from the record state on the next read, so
/// no write path needs a hook. It spares decoding thousands of JSON states per `gloss show`.
enum AnnotationViews {
    static let separator = "\u{1F}"

    /// The live annotations of `document` in creation order, refreshing stale rows (needs a
    /// write transaction).
    static func annotations(document: String, _ db: Database) throws -> [Annotation] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.id AS id, r.seq AS seq, v.seq AS vseq, v.revision, v.exact, v.prefix, v.suffix, v.start, v."end",
                   v.motivation, v.comment, v.claim, v.said_by, v.credibility, v.tags, v.created, v.modified
            FROM records r LEFT JOIN annotation_views v ON v.annotation_id = r.id
            WHERE r.kind = 'annotation' AND r.parent = ? AND r.deleted = 0 ORDER BY r.rowid
            """, arguments: [document])
        var result: [Annotation?] = []
        var stale: [(index: Int, id: String, seq: Int64)] = []
        while let row = try rows.next() {
            // Columns by index: name lookups cost more than the data at 10,000 rows.
            let id: String = row[0]
            let seq: Int64 = row[1]
            let cachedSeq: Int64? = row[2]
            guard cachedSeq == seq else {
                stale.append((result.count, id, seq))
                result.append(nil)
                continue
            }
            let tags: String = row[14]
            result.append(Annotation(
                id: id, document: document, revision: row[3],
                quote: TextQuoteSelector(exact: row[4], prefix: row[5], suffix: row[6]),
                position: TextPositionSelector(start: row[7], end: row[8]),
                motivation: Motivation(rawValue: row[9]) ?? .highlighting,
                comment: row[10], claim: row[11], saidBy: row[12], credibility: row[13],
                tags: Self.tags(tags),
                created: row[15], modified: row[16]))
        }
        // Rebuilt after the cursor is done: the table is not written while it is read.
        for entry in stale {
            guard let record = try LookupQueries.record(entry.id, db), let annotation = Annotation(record) else { continue }
            try save(annotation, seq: entry.seq, db)
            result[entry.index] = annotation
        }
        return result.compactMap { $0 }
    }

    /// The tags of a view's `tags` column (joined with `separator`).
    static func tags(_ joined: String) -> [String] {
        // Split on the byte: the separator is one ASCII control character (Foundation's
        // components(separatedBy:) costs more than the rest of the row).
        joined.isEmpty ? [] : joined.utf8.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    static func save(_ a: Annotation, seq: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO annotation_views(annotation_id, document, seq, revision, exact, prefix, suffix, start, "end",
                motivation, comment, claim, said_by, credibility, tags, created, modified)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                a.id, a.document, seq, a.revision, a.quote.exact, a.quote.prefix, a.quote.suffix, a.position.start,
                a.position.end, a.motivation.rawValue, a.comment, a.claim, a.saidBy, a.credibility,
                a.tags.joined(separator: separator), a.created, a.modified,
            ])
    }
}
