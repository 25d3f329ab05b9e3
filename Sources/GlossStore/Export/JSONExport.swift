import Foundation
import GlossCore

/// The full data as JSON, loss-free: every selected record's complete state (fields with all
/// their siblings and dots, sets, version vector, exactly as stored and synced), next to
/// readable views of documents (with their revisions' texts), annotations (with anchors on the
/// current revision) and notes.
///
/// Two replicas holding the same records export the same bytes, but for `replica` (the
/// exporting replica's ID): documents, annotations and notes are listed oldest first by their
/// `created` time, then by ID (`order`); a document's revisions from its current one back
/// through `previous`; `records` holds each document then its revisions, then the annotations,
/// then the notes, in those orders. They used to follow the store's row order, which is the
/// order in which records reached that replica, so replicas that converged exported the same
/// records in different orders.
public enum JSONExport {
    /// The export as JSON bytes.
    public static func export(_ store: ReplicaStore, filter: ExportFilter = ExportFilter()) throws -> Data {
        let selection = try ExportSelection(store, filter)
        var ids: [String] = []
        var documents: [[String: Any]] = []
        for document in ExportSelection.order(selection.documents, created: \.created, id: \.id) {
            ids.append(document.id)
            let revisions: [[String: Any]] = try store.revisions(of: document).map { revision in
                ids.append(revision.id)
                return compact(["id": revision.id, "sha256": revision.sha256, "text": revision.text, "previous": revision.previous])
            }
            documents.append(compact([
                "id": document.id, "title": document.title, "publisher": document.publisher, "author": document.author,
                "url": document.url, "published": document.published, "accessed": document.accessed,
                "language": document.language, "grade": document.grade, "gradeNote": document.gradeNote,
                "head": document.head, "revisions": revisions,
            ]))
        }
        let anchors = try selection.anchors(store)
        let annotations: [[String: Any]] = ExportSelection.order(selection.annotations, created: \.created, id: \.id).map { a in
            ids.append(a.id)
            var anchor: [String: Any]? = nil
            if let found = anchors[a.id] {
                anchor = compact(["status": found.status.rawValue, "score": found.score, "start": found.position?.start, "end": found.position?.end])
            }
            return compact([
                "id": a.id, "document": a.document, "revision": a.revision, "exact": a.quote.exact, "prefix": a.quote.prefix,
                "suffix": a.quote.suffix, "start": a.position.start, "end": a.position.end, "motivation": a.motivation.rawValue,
                "comment": a.comment, "claim": a.claim, "saidBy": a.saidBy, "credibility": a.credibility, "tags": a.tags,
                "anchor": anchor,
            ])
        }
        let notes: [[String: Any]] = ExportSelection.order(selection.notes, created: \.created, id: \.id).map { n in
            ids.append(n.id)
            return [
                "id": n.id, "title": n.title, "body": n.body, "tags": n.tags,
                "citations": n.citations.map { c in
                    compact([
                        "annotation": c.annotation, "quote": c.quote, "document": c.document, "title": c.title,
                        "publisher": c.publisher, "author": c.author, "url": c.url, "published": c.published, "accessed": c.accessed, "grade": c.grade,
                    ])
                },
            ]
        }
        var records: [Any] = []
        for id in ids {
            guard let record = try store.record(id) else { continue }
            records.append(try JSONSerialization.jsonObject(with: record.canonicalData()))
        }
        let root: [String: Any] = [
            "format": "gloss-export", "version": 1, "replica": store.replicaID.rawValue,
            "documents": documents, "annotations": annotations, "notes": notes, "records": records,
        ]
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func compact(_ values: [String: Any?]) -> [String: Any] { values.compactMapValues { $0 } }
}
