import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Imports texts as new documents, all in one transaction (all or nothing). A text identical
    /// to a document's current text is reported as already present and not imported again.
    public func importDocuments(_ items: [ImportItem]) throws -> [ImportResult] {
        for item in items { try item.source.validate() }
        return try write { w in
            var results: [ImportResult] = []
            for item in items {
                let sha = SHA256.hex(item.text)
                if let existing = try LookupQueries.documentWithHead(sha256: sha, w.db) {
                    results.append(.alreadyPresent(existing, name: item.name))
                    continue
                }
                let docID = DomainID.document()
                let revisionID = DomainID.revision(sha256: sha, document: docID)
                try w.update(revisionID, kind: .revision) { e in
                    e.set(FieldName.document, .string(docID))
                    e.set(FieldName.text, .string(item.text))
                    e.set(DomainField.sha256, .string(sha))
                    e.set(DomainField.created, .int(w.time))
                }
                let record = try w.update(docID, kind: .document) { e in
                    var source = item.source
                    if source.title == nil { source.title = ImportedText.defaultTitle(item.text) }
                    if source.accessed == nil { source.accessed = ReplicaStore.isoDate(w.time) }
                    source.write(to: &e)
                    e.set(DomainField.head, .string(revisionID))
                    e.set(DomainField.created, .int(w.time))
                }
                results.append(.imported(try WrittenView.of(record, Document.init), name: item.name))
            }
            return results
        }
    }

    /// Adds `text` as the new current revision of a document and anchors its annotations on it,
    /// updating the source fields given in `source` in the same transaction. Identical text
    /// (with no source change) changes nothing.
    public func revise(document idOrPrefix: String, text: String, source: DocumentSource = DocumentSource()) throws -> ReviseResult {
        try source.validate()
        let docID = try resolveID(idOrPrefix, kind: .document)
        let (changed, anchors): (Bool, [AnchoredAnnotation]) = try write { w in
            guard let record = try w.record(docID), let document = Document(record) else {
                throw GlossError(.notFound, "no document \(idOrPrefix)")
            }
            let sha = SHA256.hex(text)
            let revisionID = DomainID.revision(sha256: sha, document: docID)
            if source != DocumentSource() { try w.update(docID, kind: .document) { e in source.write(to: &e) } }
            if document.head == revisionID { return (false, []) }
            // A text this document had before (a revision back to it) has its revision record
            // already: revisions are immutable, so only the head moves back to it. Rewriting
            // its `previous` would make the two revisions each other's previous.
            if try w.record(revisionID).flatMap(Revision.init) == nil {
                try w.update(revisionID, kind: .revision) { e in
                    e.set(FieldName.document, .string(docID))
                    e.set(FieldName.text, .string(text))
                    e.set(DomainField.sha256, .string(sha))
                    if let head = document.head { e.set(DomainField.previous, .string(head)) }
                    e.set(DomainField.created, .int(w.time))
                }
            }
            try w.update(docID, kind: .document) { e in e.set(DomainField.head, .string(revisionID)) }
            // Anchored in the same transaction: the revision and its anchors land together.
            return (true, try AnchorMaintenance.anchored(document: docID, w.db))
        }
        guard changed else {
            return ReviseResult(document: try document(docID), changed: false, anchors: try anchoredAnnotations(document: docID))
        }
        return ReviseResult(document: try document(docID), changed: true, anchors: AnchorMaintenance.inTextOrder(anchors))
    }

    /// Changes source fields of a document (only those given).
    public func editDocument(_ idOrPrefix: String, source: DocumentSource) throws -> Document {
        try source.validate()
        let docID = try resolveID(idOrPrefix, kind: .document)
        return try write { w in
            try WrittenView.of(try w.update(docID, kind: .document) { e in source.write(to: &e) }, Document.init)
        }
    }

    /// Every live document with its annotation count and text length.
    public func documentSummaries() throws -> [DocumentSummary] {
        try read { db in
            let counts = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT parent, COUNT(*) AS n FROM records WHERE kind = 'annotation' AND deleted = 0 GROUP BY parent"
                ).map { (($0["parent"] as String?) ?? "", $0["n"] as Int) })
            let docs = try Data.fetchAll(db, sql: "SELECT state FROM records WHERE kind = 'document' AND deleted = 0 ORDER BY rowid")
                .compactMap { try Document(Record.decode($0)) }
            return try docs.map { doc in
                let text = try doc.head.flatMap { try LookupQueries.record($0, db) }.flatMap(Revision.init)?.text ?? ""
                return DocumentSummary(document: doc, annotations: counts[doc.id] ?? 0, length: text.unicodeScalars.count)
            }
        }
    }

    /// The current text of a document.
    public func headText(of document: Document) throws -> ScalarText {
        try read { db in try LookupQueries.headText(of: document, db) }
    }

    static func isoDate(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
