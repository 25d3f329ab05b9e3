import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement driven through SQLite's C API: values are bound straight, without
/// GRDB's `StatementArguments`, whose per-value boxing weighed as much as the SQL itself on the
/// write path. Made from a GRDB cached statement (prepared once per connection); a user resets
/// and binds every parameter before each step, so it may share the statement with other code.
struct RawStatement {
    /// Keeps the GRDB statement (and so the SQLite one) alive.
    private let statement: Statement

    init(_ db: Database, sql: String) throws { statement = try db.cachedStatement(sql: sql) }

    private var handle: SQLiteStatement { statement.sqliteStatement }

    /// SQLite copies the bound bytes (they live in Swift buffers only during the call).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func reset() { sqlite3_reset(handle) }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    /// Binds an integer, or NULL for nil.
    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ flag: Bool) { sqlite3_bind_int64(handle, index, flag ? 1 : 0) }

    /// Binds text, or NULL for nil.
    func bind(_ index: Int32, _ text: String?) {
        guard var text else { sqlite3_bind_null(handle, index); return }
        text.withUTF8 { bindText(index, $0) }
    }

    /// Binds UTF-8 bytes as text.
    func bindText(_ index: Int32, _ utf8: UnsafeBufferPointer<UInt8>) {
        // A nil pointer would bind NULL: empty text gets a non-nil one.
        let pointer = UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
        sqlite3_bind_text(handle, index, pointer, Int32(utf8.count), Self.transient)
    }

    /// Binds bytes as a blob (an empty one for no bytes, never NULL).
    func bindBlob(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(handle, index, 0)
        } else {
            sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    /// Binds a blob, or NULL for nil.
    func bind(_ index: Int32, _ data: Data?) {
        guard let data else { sqlite3_bind_null(handle, index); return }
        data.withUnsafeBytes { bindBlob(index, $0) }
    }

    /// Runs a statement that returns no row; the statement is reset afterwards.
    func execute(_ db: Database) throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw error(code, db) }
    }

    /// Steps once: true with a row to read (then `reset` when done with it), false when there
    /// is none (the statement is reset).
    func step(_ db: Database) throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw error(code, db) }
        return false
    }

    /// Rows changed by the last `execute` on this connection.
    func changes(_ db: Database) -> Int32 { sqlite3_changes(db.sqliteConnection) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// A text column, or nil for NULL.
    func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// A column's bytes (blob or text), copied.
    func data(_ column: Int32) -> Data {
        // The pointer first, then the size (SQLite's documented order).
        let bytes = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    private func error(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: sqlite3_sql(handle).map { String(cString: $0) })
    }
}
