import Foundation
import GRDB
import GlossCore

/// Keeps the FTS5 `search` table in step with records: one row per live record with indexed
/// text, rowid = the record's rowid; deleted records leave the index.
///
/// The index is brought up to date before each search, not on each write: `meta.search_seq` is
/// the feed position up to which it reflects `records`. Every change to a record gets a new,
/// greater feed position (`RecordRow.save`), so `catchUp` re-indexes exactly the records changed
/// since, once each however often they changed, in one transaction that also advances the
/// cursor. A crash anywhere leaves index and cursor agreeing (both or neither), and local writes
/// and merges do not pay for tokenizing text (removing an old FTS5 entry re-tokenizes it too).
enum SearchIndexer {
    static let cursorKey = "search_seq"

    /// The feed position the index reflects.
    static func cursor(_ db: Database) throws -> Int64 {
        let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [cursorKey])
        return text.flatMap { Int64($0) } ?? 0
    }

    /// True when records changed after the index was last brought up to date.
    static func isBehind(_ db: Database) throws -> Bool {
        let latest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM records") ?? 0
        return latest > (try cursor(db))
    }

    /// Re-indexes every record changed since the cursor, then advances it (call inside a write
    /// transaction). Returns the number of records looked at.
    @discardableResult
    static func catchUp(_ db: Database) throws -> Int {
        let from = try cursor(db)
        var latest = from
        var count = 0
        // In pages, so memory stays bounded after a large sync (revisions hold whole texts).
        let page = try db.cachedStatement(sql: "SELECT rowid, seq, state FROM records WHERE seq > ? ORDER BY seq LIMIT 512")
        while true {
            let rows = try Row.fetchAll(page, arguments: [latest])
            if rows.isEmpty { break }
            for row in rows {
                let data: Data = row[2]
                let record: Record
                do {
                    record = try Record.decode(data)
                } catch {
                    throw GlossError(.io, "a record state is unreadable in the store: \(error)", cause: error)
                }
                try update(rowID: row[0], to: record.isDeleted ? nil : entry(for: record), db)
                latest = row[1]
            }
            count += rows.count
        }
        if latest != from {
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [cursorKey, String(latest)])
        }
        return count
    }

    /// Makes the index row of `rowID` hold `entry` (nil: no row), touching nothing when it
    /// already does (removing an FTS5 row re-tokenizes its old text).
    private static func update(rowID: Int64, to entry: Entry?, _ db: Database) throws {
        let current = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT title, body, tags FROM search WHERE rowid = ?"), arguments: [rowID])
        if let current {
            if let entry, entry.title == current[0] as String?, entry.body == current[1] as String?,
                entry.tags == current[2] as String?
            {
                return
            }
            try db.cachedStatement(sql: "DELETE FROM search WHERE rowid = ?").execute(arguments: [rowID])
        }
        guard let entry else { return }
        try db.cachedStatement(sql: "INSERT INTO search(rowid, title, body, tags) VALUES (?, ?, ?, ?)")
            .execute(arguments: [rowID, entry.title, entry.body, entry.tags])
    }

    typealias Entry = (title: String, body: String, tags: String)

    static func entry(for record: Record) -> Entry? {
        let title = record.string(FieldName.title) ?? ""
        let body = [FieldName.text, FieldName.body, FieldName.exact, FieldName.comment, FieldName.claim]
            .compactMap { record.string($0) }
            .joined(separator: "\n")
        let tags = record.elements(FieldName.tags).joined(separator: " ")
        if title.isEmpty && body.isEmpty && tags.isEmpty { return nil }
        return (title, body, tags)
    }
}
