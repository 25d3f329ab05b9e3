import Foundation
import GRDB
import GlossCore

/// Keeps the local `anchors` table: where each annotation sits on its document's head revision.
///
/// Anchors are derived data, never synced: every replica computes the same rows from the same
/// synced records (`Reanchorer` is deterministic). Rows are keyed by (annotation, revision), and
/// an annotation's target never changes, so a row once computed stays right; a new head simply
/// has no rows yet. Rows are therefore computed *lazily*: whenever anchors are read
/// (`anchoredAnnotations`, `annotationsNeedingAttention`), missing rows for the current heads are
/// computed and saved first. That covers local revisions and merges alike without a hook in the
/// sync layer; `refreshAnchors()` is there for a sync layer that wants to do the work eagerly.
enum AnchorMaintenance {
    /// The live annotations of `document` with their anchors on its head, computing and saving
    /// missing anchors first (needs a write transaction).
    static func anchored(document docID: String, _ db: Database) throws -> [AnchoredAnnotation] {
        guard let record = try LookupQueries.record(docID, db), let document = Document(record), let head = document.head
        else { return [] }
        let annotations = try AnnotationViews.annotations(document: docID, db)
        var rows: [String: Anchor] = [:]
        let anchorRows = try Row.fetchCursor(
            db, sql: "SELECT annotation_id, start, \"end\", status, score FROM anchors WHERE revision = ?", arguments: [head])
        while let row = try anchorRows.next() {
            let start: Int? = row[1], end: Int? = row[2]
            let position = start.flatMap { s in end.map { TextPositionSelector(start: s, end: $0) } }
            rows[row[0]] = Anchor(position: position, status: AnchorStatus(rawValue: row[3]) ?? .orphan, score: row[4] ?? 0)
        }
        let missing = annotations.filter { rows[$0.id] == nil }
        // Without the head's text nothing can be placed: shown as orphans, not saved, so they are
        // computed once the revision arrives.
        if !missing.isEmpty, let headRevision = try LookupQueries.record(head, db).flatMap(Revision.init) {
            let anchors = try anchor(missing, on: headRevision) { id in try LookupQueries.record(id, db).flatMap(Revision.init) }
            let insert = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO anchors(annotation_id, revision, start, \"end\", status, score) VALUES (?, ?, ?, ?, ?, ?)")
            for (annotation, anchor) in zip(missing, anchors) {
                try insert.execute(arguments: [
                    annotation.id, head, anchor.position?.start, anchor.position?.end, anchor.status.rawValue, anchor.score,
                ])
                rows[annotation.id] = anchor
            }
        }
        return annotations.map { AnchoredAnnotation(annotation: $0, revision: head, anchor: rows[$0.id] ?? .orphan) }
    }

    /// The live annotations of `document` with their anchors on `head`, read in one query, when
    /// every annotation's view is current and its anchor on `head` is saved; nil when any is not
    /// (then `anchored` refreshes them in a write transaction). Works in a read transaction.
    /// In text order, orphans last.
    static func current(document docID: String, head: String, _ db: Database) throws -> [AnchoredAnnotation]? {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.seq, v.seq, r.id, v.revision, v.exact, v.prefix, v.suffix, v.start, v."end",
                   v.motivation, v.comment, v.claim, v.said_by, v.credibility, v.tags, v.created, v.modified,
                   a.status, a.start, a."end", a.score
            FROM records r
            LEFT JOIN annotation_views v ON v.annotation_id = r.id
            LEFT JOIN anchors a ON a.annotation_id = r.id AND a.revision = ?
            WHERE r.kind = 'annotation' AND r.parent = ? AND r.deleted = 0 ORDER BY r.rowid
            """, arguments: [head, docID])
        // Room for every row up front (the index alone counts them, deleted ones included): at
        // 10,000 annotations, growing the array copied it and faulted in new pages several times.
        let count = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM records WHERE kind = 'annotation' AND parent = ?", arguments: [docID]) ?? 0
        var result: [AnchoredAnnotation?] = []
        result.reserveCapacity(count)
        while let row = try rows.next() {
            // Columns by index: name lookups cost more than the data at 10,000 rows.
            let seq: Int64 = row[0]
            let viewSeq: Int64? = row[1]
            let status: String? = row[17]
            guard viewSeq == seq, let status else { return nil }
            let tags: String = row[14]
            let annotation = Annotation(
                id: row[2], document: docID, revision: row[3],
                quote: TextQuoteSelector(exact: row[4], prefix: row[5], suffix: row[6]),
                position: TextPositionSelector(start: row[7], end: row[8]),
                motivation: Motivation(rawValue: row[9]) ?? .highlighting,
                comment: row[10], claim: row[11], saidBy: row[12], credibility: row[13],
                tags: AnnotationViews.tags(tags),
                created: row[15], modified: row[16])
            let start: Int? = row[18], end: Int? = row[19]
            let position = start.flatMap { s in end.map { TextPositionSelector(start: s, end: $0) } }
            let anchor = Anchor(position: position, status: AnchorStatus(rawValue: status) ?? .orphan, score: row[20] ?? 0)
            result.append(AnchoredAnnotation(annotation: annotation, revision: head, anchor: anchor))
        }
        return inTextOrder(taking: &result)
    }

    /// Anchors `annotations` on `revision`, one diff per source revision.
    static func anchor(_ annotations: [Annotation], on revision: Revision, source: (String) throws -> Revision?) rethrows -> [Anchor] {
        let reanchorer = Reanchorer(revision: revision.id, text: ScalarText(revision.text))
        var diffs: [String: RevisionDiff?] = [:]
        var result: [Anchor] = []
        result.reserveCapacity(annotations.count)
        for annotation in annotations {
            var diff: RevisionDiff? = nil
            if annotation.revision != revision.id {
                if let cached = diffs[annotation.revision] {
                    diff = cached
                } else {
                    let old = try source(annotation.revision).map { ScalarText($0.text).scalars }
                    diff = old.map { RevisionDiff(old: $0, new: reanchorer.text.scalars) }
                    diffs[annotation.revision] = diff
                }
            }
            result.append(reanchorer.anchor(annotation.target, diff: diff))
        }
        return result
    }

    /// Text order, orphans last; ties by annotation ID.
    static func inTextOrder(_ list: [AnchoredAnnotation]) -> [AnchoredAnnotation] {
        var slots = list.map { Optional($0) }
        return inTextOrder(taking: &slots)
    }

    /// `slots` in text order, orphans last, ties by annotation ID; the annotations are moved out
    /// (no copies: at 10,000 annotations copying them costs more than sorting).
    static func inTextOrder(taking slots: inout [AnchoredAnnotation?]) -> [AnchoredAnnotation] {
        struct Key { var start: Int, end: Int, index: Int }
        var keys: [Key] = []
        keys.reserveCapacity(slots.count)
        // Through a buffer pointer: `slots[i]?.anchor` copied each annotation to read its anchor.
        slots.withUnsafeBufferPointer { slots in
            for i in slots.indices {
                let position = slots[i]?.anchor.position
                keys.append(Key(start: position?.start ?? Int.max, end: position?.end ?? Int.max, index: i))
            }
        }
        keys.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end < b.end }
            return slots[a.index]!.annotation.id < slots[b.index]!.annotation.id
        }
        var result: [AnchoredAnnotation] = []
        result.reserveCapacity(keys.count)
        for key in keys {
            if let a = slots[key.index].take() { result.append(a) }
        }
        return result
    }
}

extension ReplicaStore {
    /// The live annotations of a document with their anchors on its current revision (computing
    /// missing anchors first), in text order; orphans last.
    public func anchoredAnnotations(document idOrPrefix: String) throws -> [AnchoredAnnotation] {
        let docID = try resolveID(idOrPrefix, kind: .document)
        // Read only when every view and anchor is current, else refreshed in a write transaction.
        let current = try read { db -> [AnchoredAnnotation]? in
            guard let head = try RecordRow.fetch(docID, db).flatMap({ Document($0.record) })?.head else { return [] }
            return try AnchorMaintenance.current(document: docID, head: head, db)
        }
        if let current { return current }
        let list = try wrapDatabaseErrors { try pool.write { db in try AnchorMaintenance.anchored(document: docID, db) } }
        return AnchorMaintenance.inTextOrder(list)
    }

    /// Computes every missing anchor of every document (after a merge, say). Returns the number
    /// of annotations looked at.
    @discardableResult
    public func refreshAnchors() throws -> Int {
        try wrapDatabaseErrors {
            try pool.write { db in
                let docs = try String.fetchAll(db, sql: "SELECT id FROM records WHERE kind = 'document' AND deleted = 0")
                return try docs.reduce(0) { $0 + (try AnchorMaintenance.anchored(document: $1, db).count) }
            }
        }
    }

    /// Annotations that are orphans or whose anchor needs review, across all documents.
    public func annotationsNeedingAttention() throws -> [AnchoredAnnotation] {
        try wrapDatabaseErrors {
            try pool.write { db in
                let docs = try String.fetchAll(db, sql: "SELECT id FROM records WHERE kind = 'document' AND deleted = 0 ORDER BY rowid")
                return try docs.flatMap { try AnchorMaintenance.anchored(document: $0, db) }.filter { $0.anchor.status.needsAttention }
            }
        }
    }
}
