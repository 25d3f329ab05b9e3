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
    /// Computes and saves missing anchors of `document`'s annotations on its head. Returns how
    /// many rows were added.
    static func refresh(document docID: String, _ db: Database) throws -> Int {
        guard let record = try LookupQueries.record(docID, db), let document = Document(record), let head = document.head,
            let headRevision = try LookupQueries.record(head, db).flatMap(Revision.init)
        else { return 0 }
        let annotations = try LookupQueries.annotations(document: docID, db)
        let done = Set(try String.fetchAll(db, sql: "SELECT annotation_id FROM anchors WHERE revision = ?", arguments: [head]))
        let missing = annotations.filter { !done.contains($0.id) }
        guard !missing.isEmpty else { return 0 }
        let anchors = try anchor(missing, on: headRevision) { id in try LookupQueries.record(id, db).flatMap(Revision.init) }
        let insert = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO anchors(annotation_id, revision, start, \"end\", status, score) VALUES (?, ?, ?, ?, ?, ?)")
        for (annotation, anchor) in zip(missing, anchors) {
            try insert.execute(arguments: [
                annotation.id, head, anchor.position?.start, anchor.position?.end, anchor.status.rawValue, anchor.score,
            ])
        }
        return missing.count
    }

    /// Anchors `annotations` on `revision`, one diff per source revision.
    static func anchor(_ annotations: [Annotation], on revision: Revision, source: (String) throws -> Revision?) rethrows -> [Anchor] {
        let reanchorer = Reanchorer(revision: revision.id, text: ScalarText(revision.text))
        var diffs: [String: TextDiff?] = [:]
        var result: [Anchor] = []
        result.reserveCapacity(annotations.count)
        for annotation in annotations {
            var diff: TextDiff? = nil
            if annotation.revision != revision.id {
                if let cached = diffs[annotation.revision] {
                    diff = cached
                } else {
                    let old = try source(annotation.revision).map { ScalarText($0.text).scalars }
                    diff = old.map { TextDiff(old: $0, new: reanchorer.text.scalars) }
                    diffs[annotation.revision] = diff
                }
            }
            result.append(reanchorer.anchor(annotation.target, diff: diff))
        }
        return result
    }

    /// Anchors of the live annotations of `document` on its head, from the table (nil entries
    /// where a row is missing).
    static func load(document docID: String, _ db: Database) throws -> [AnchoredAnnotation] {
        guard let record = try LookupQueries.record(docID, db), let document = Document(record) else { return [] }
        let annotations = try LookupQueries.annotations(document: docID, db)
        guard let head = document.head else { return [] }
        var rows: [String: Anchor] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT annotation_id, start, \"end\", status, score FROM anchors WHERE revision = ?", arguments: [head])
        {
            let start: Int? = row["start"], end: Int? = row["end"]
            let position = start.flatMap { s in end.map { TextPositionSelector(start: s, end: $0) } }
            rows[row["annotation_id"]] = Anchor(
                position: position, status: AnchorStatus(rawValue: row["status"]) ?? .orphan, score: row["score"] ?? 0)
        }
        // An annotation whose head text has not arrived yet cannot be placed: shown as orphan,
        // not saved, so it is computed once the revision arrives.
        return annotations.map { AnchoredAnnotation(annotation: $0, revision: head, anchor: rows[$0.id] ?? .orphan) }
    }
}

extension ReplicaStore {
    /// The live annotations of a document with their anchors on its current revision (computing
    /// missing anchors first), in text order; orphans last.
    public func anchoredAnnotations(document idOrPrefix: String) throws -> [AnchoredAnnotation] {
        let docID = try resolveID(idOrPrefix, kind: .document)
        try wrapDatabaseErrors { try pool.write { db in _ = try AnchorMaintenance.refresh(document: docID, db) } }
        return try read { db in try AnchorMaintenance.load(document: docID, db) }.sorted { a, b in
            switch (a.anchor.position, b.anchor.position) {
            case let (x?, y?): return (x.start, x.end, a.annotation.id) < (y.start, y.end, b.annotation.id)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.annotation.id < b.annotation.id
            }
        }
    }

    /// Computes every missing anchor of every document (after a merge, say). Returns the number
    /// of anchors computed.
    @discardableResult
    public func refreshAnchors() throws -> Int {
        try wrapDatabaseErrors {
            try pool.write { db in
                let docs = try String.fetchAll(db, sql: "SELECT id FROM records WHERE kind = 'document' AND deleted = 0")
                return try docs.reduce(0) { $0 + (try AnchorMaintenance.refresh(document: $1, db)) }
            }
        }
    }

    /// Annotations that are orphans or whose anchor needs review, across all documents.
    public func annotationsNeedingAttention() throws -> [AnchoredAnnotation] {
        try refreshAnchors()
        return try read { db in
            let docs = try String.fetchAll(db, sql: "SELECT id FROM records WHERE kind = 'document' AND deleted = 0 ORDER BY rowid")
            return try docs.flatMap { try AnchorMaintenance.load(document: $0, db) }.filter { $0.anchor.status.needsAttention }
        }
    }
}
