import Foundation
import GRDB
import GlossCore

/// Keeps the FTS5 `search` table in step with records: one row per record, rowid = the record's
/// rowid, updated on every local write and every merge; deleted records leave the index.
enum SearchIndexer {
    static func update(_ record: Record, rowID: Int64, replacing previous: Record?, _ db: Database) throws {
        let entry = record.isDeleted ? nil : entry(for: record)
        if let previous {
            // Removing an FTS5 row re-tokenizes its old text: skip both steps when the indexed
            // text is unchanged (merges that touch other fields, tags re-added, ...).
            let old = previous.isDeleted ? nil : self.entry(for: previous)
            if old?.title == entry?.title, old?.body == entry?.body, old?.tags == entry?.tags { return }
            if old != nil {
                try db.cachedStatement(sql: "DELETE FROM search WHERE rowid = ?").execute(arguments: [rowID])
            }
        }
        guard let entry else { return }
        try db.cachedStatement(sql: "INSERT INTO search(rowid, title, body, tags) VALUES (?, ?, ?, ?)")
            .execute(arguments: [rowID, entry.title, entry.body, entry.tags])
    }

    static func entry(for record: Record) -> (title: String, body: String, tags: String)? {
        let title = record.string(FieldName.title) ?? ""
        let body = [FieldName.text, FieldName.body, FieldName.exact, FieldName.comment, FieldName.claim]
            .compactMap { record.string($0) }
            .joined(separator: "\n")
        let tags = record.elements(FieldName.tags).joined(separator: " ")
        if title.isEmpty && body.isEmpty && tags.isEmpty { return nil }
        return (title, body, tags)
    }
}
