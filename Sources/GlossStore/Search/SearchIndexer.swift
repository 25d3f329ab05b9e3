import Foundation
import GRDB
import GRDBSQLite
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
    ///
    /// The states are read in one pass (stepped, not copied) and each record's entry is read
    /// from its canonical JSON by `SearchEntryScanner`, decoding the record only when the scanner
    /// cannot tell. A record whose rowid is above every indexed rowid has no index row yet (each
    /// record is met once per catch-up), so it is inserted without a lookup: after a first sync,
    /// that is every record.
    ///
    /// `progress`, when given, is told how many of the records to look at were done, every
    /// `interval` records and once at the end (not at all when there is nothing to do).
    @discardableResult
    static func catchUp(_ db: Database, every interval: Int = 10_000, progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Int {
        let from = try cursor(db)
        let total = try progress == nil ? 0 : Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE seq > ?", arguments: [from]) ?? 0
        let highestIndexed = try Int64.fetchOne(db, sql: "SELECT rowid FROM search ORDER BY rowid DESC LIMIT 1") ?? 0
        let changed = try db.cachedStatement(sql: "SELECT rowid, seq, state FROM records WHERE seq > ? ORDER BY seq")
        let insert = try RawStatement(db, sql: "INSERT INTO search(rowid, title, body, tags) VALUES (?, ?, ?, ?)")
        let handle = changed.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, from)
        defer { sqlite3_reset(handle) }
        var latest = from
        var count = 0
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: changed.sql)
            }
            let rowID = sqlite3_column_int64(handle, 0)
            latest = sqlite3_column_int64(handle, 1)
            // The pointer first, then the size (SQLite's documented order).
            let bytes = sqlite3_column_blob(handle, 2)
            let state = UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, 2)))
            let entry = try entry(forState: state)
            count += 1
            if let progress, count % interval == 0 { progress(count, total) }
            if rowID > highestIndexed {
                guard let entry else { continue }
                insert.reset()
                insert.bind(1, rowID)
                insert.bind(2, entry.title)
                insert.bind(3, entry.body)
                insert.bind(4, entry.tags)
                try insert.execute(db)
            } else {
                try update(rowID: rowID, to: entry, db)
            }
        }
        if let progress, count > 0, count % interval != 0 { progress(count, total) }
        if latest != from {
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [cursorKey, String(latest)])
        }
        return count
    }

    /// The entry of a record from its stored state (nil: no index row).
    static func entry(forState state: UnsafeRawBufferPointer) throws -> Entry? {
        if case .entry(let entry) = SearchEntryScanner.scan(state) { return entry }
        let record: Record
        do {
            record = try Record.decode(Data(state))
        } catch {
            throw GlossError(.io, "a record state is unreadable in the store: \(error)", cause: error)
        }
        return record.isDeleted ? nil : entry(for: record)
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
        entry(
            title: record.string(FieldName.title),
            bodyParts: [FieldName.text, FieldName.body, FieldName.exact, FieldName.comment, FieldName.claim]
                .compactMap { record.string($0) },
            tags: record.elements(FieldName.tags))
    }

    /// The entry made of a record's winning title, its winning text of each body field (in the
    /// order text, body, exact, comment, claim; fields without text left out) and its sorted
    /// tags; nil when there is nothing to index. `SearchEntryScanner` assembles it the same way.
    static func entry(title: String?, bodyParts: [String], tags: [String]) -> Entry? {
        let title = title ?? ""
        let body = bodyParts.joined(separator: "\n")
        let tags = tags.joined(separator: " ")
        if title.isEmpty && body.isEmpty && tags.isEmpty { return nil }
        return (title, body, tags)
    }
}
