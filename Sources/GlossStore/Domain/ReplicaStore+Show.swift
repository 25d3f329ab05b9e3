import GRDB
import GlossCore

extension ReplicaStore {
    /// A document, its current text and its anchored annotations in text order (orphans last),
    /// from one snapshot. One read transaction when every annotation's view and anchor are
    /// current; when some were written or merged since (missing or stale), a write transaction
    /// refreshes them first. Clear errors for an unknown document and a text not yet on this
    /// replica.
    public func shownDocument(_ idOrPrefix: String) throws -> ShownDocument {
        if let current = try currentShownDocument(idOrPrefix) { return current }
        return try wrapDatabaseErrors {
            try pool.write { db in
                let (document, text) = try Self.documentAndText(idOrPrefix, db)
                let list = try AnchorMaintenance.anchored(document: document.id, db)
                return ShownDocument(document: document, text: text, annotations: AnchorMaintenance.inTextOrder(list))
            }
        }
    }

    /// `shownDocument(idOrPrefix)` when every annotation's view and anchor are current (one read
    /// transaction, so a store opened for reading can answer), else nil. The same errors for an
    /// unknown document and a text not yet on this replica.
    public func currentShownDocument(_ idOrPrefix: String) throws -> ShownDocument? {
        try read { db -> ShownDocument? in
            // The file memory-mapped for this read: SQLite then reads pages in place instead of
            // with one `pread` each (10,000 annotations touch ~20 MB of pages: 5,300 preads,
            // about half of `gloss show`'s system time), and no page cache fills up.
            try db.execute(sql: "PRAGMA mmap_size = \(Self.showMmapSize)")
            defer { try? db.execute(sql: "PRAGMA mmap_size = 0") }
            let (document, text) = try Self.documentAndText(idOrPrefix, db)
            guard let head = document.head, let current = try AnchorMaintenance.current(document: document.id, head: head, db)
            else { return nil }
            return ShownDocument(document: document, text: text, annotations: current)
        }
    }

    /// How much of the file `currentShownDocument` maps (pages beyond it are read as usual).
    static let showMmapSize = 1 << 30

    /// The live document `idOrPrefix` names and its current text.
    static func documentAndText(_ idOrPrefix: String, _ db: Database) throws -> (Document, ScalarText) {
        let id = try LookupQueries.resolve(idOrPrefix, kind: .document, db)
        guard let record = try RecordRow.fetch(id, db)?.record, let document = Document(record) else {
            throw GlossError(.notFound, "no document \(idOrPrefix)")
        }
        return (document, try LookupQueries.headText(of: document, db))
    }
}
