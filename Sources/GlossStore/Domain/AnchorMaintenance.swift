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

    /// The live annotations of `document` with their anchors on `head`, when every annotation's
    /// view is current and its anchor on `head` is saved; nil when any is not (then `anchored`
    /// refreshes them in a write transaction). Works in a read transaction. In text order,
    /// orphans last. (See `CurrentAnnotations`.)
    static func current(document docID: String, head: String, _ db: Database) throws -> [AnchoredAnnotation]? {
        try CurrentAnnotations.read(document: docID, head: head, db)
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

    /// Sorts `list` into text order, orphans last, ties by annotation ID (the order of
    /// `inTextOrder`), in place: the sort compares small keys, then the annotations are
    /// permuted by swaps along the permutation's cycles, each moved about once, into no new array.
    static func sortInTextOrder(_ list: inout [AnchoredAnnotation]) {
        struct Key { var start: Int, end: Int, index: Int }
        var keys: [Key] = []
        keys.reserveCapacity(list.count)
        list.withUnsafeBufferPointer { list in
            for i in list.indices {
                let position = list[i].anchor.position
                keys.append(Key(start: position?.start ?? Int.max, end: position?.end ?? Int.max, index: i))
            }
            keys.sort { a, b in
                if a.start != b.start { return a.start < b.start }
                if a.end != b.end { return a.end < b.end }
                return list[a.index].annotation.id < list[b.index].annotation.id
            }
        }
        // Position i takes the element at keys[i].index.
        var placed = [Bool](repeating: false, count: keys.count)
        list.withUnsafeMutableBufferPointer { list in
            for start in keys.indices where !placed[start] {
                var i = start
                while true {
                    placed[i] = true
                    let from = keys[i].index
                    if from == start { break }
                    list.swapAt(i, from)
                    i = from
                }
            }
        }
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

    /// Annotations that are orphans or whose anchor needs review, across all documents. An
    /// annotation whose document is deleted (another replica deleted it while this one
    /// annotated it) or has not arrived is an orphan too, on no revision: it shows nowhere else.
    public func annotationsNeedingAttention() throws -> [AnchoredAnnotation] {
        try wrapDatabaseErrors {
            try pool.write { db in
                let docs = try String.fetchAll(db, sql: "SELECT id FROM records WHERE kind = 'document' AND deleted = 0 ORDER BY rowid")
                let anchored = try docs.flatMap { try AnchorMaintenance.anchored(document: $0, db) }.filter { $0.anchor.status.needsAttention }
                let withoutDocument = try Data.fetchAll(db, sql: """
                    SELECT state FROM records WHERE kind = 'annotation' AND deleted = 0
                    AND parent NOT IN (SELECT id FROM records WHERE kind = 'document' AND deleted = 0) ORDER BY rowid
                    """).compactMap { try Annotation(Record.decode($0)) }
                return anchored + withoutDocument.map { AnchoredAnnotation(annotation: $0, revision: "", anchor: .orphan) }
            }
        }
    }
}
