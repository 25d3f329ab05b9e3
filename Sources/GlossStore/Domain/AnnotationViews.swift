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
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.id AS id, r.seq AS seq, v.seq AS vseq, v.revision, v.exact, v.prefix, v.suffix, v.start, v."end",
                   v.motivation, v.comment, v.claim, v.said_by, v.credibility, v.tags, v.created, v.modified
            FROM records r LEFT JOIN annotation_views v ON v.annotation_id = r.id
            WHERE r.kind = 'annotation' AND r.parent = ? AND r.deleted = 0 ORDER BY r.rowid
            """, arguments: [document])
        var result: [Annotation] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            let id: String = row["id"]
            let seq: Int64 = row["seq"]
            let cachedSeq: Int64? = row["vseq"]
            if cachedSeq == seq {
                let tags: String = row["tags"]
                result.append(Annotation(
                    id: id, document: document, revision: row["revision"],
                    quote: TextQuoteSelector(exact: row["exact"], prefix: row["prefix"], suffix: row["suffix"]),
                    position: TextPositionSelector(start: row["start"], end: row["end"]),
                    motivation: Motivation(rawValue: row["motivation"]) ?? .highlighting,
                    comment: row["comment"], claim: row["claim"], saidBy: row["said_by"], credibility: row["credibility"],
                    tags: tags.isEmpty ? [] : tags.components(separatedBy: separator),
                    created: row["created"], modified: row["modified"]))
                continue
            }
            guard let record = try LookupQueries.record(id, db), let annotation = Annotation(record) else { continue }
            try save(annotation, seq: seq, db)
            result.append(annotation)
        }
        return result
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
