import Foundation
import GRDB
import GRDBSQLite
import GlossCore

#if canImport(Glibc)
import Glibc
#endif

/// A store this process cannot write: a colleague's store copied from a read-only share, a
/// store after `chmod -w`, a store on read-only media.
///
/// Such a store cannot simply be opened: SQLite reads a WAL-mode file through its `-shm`
/// file, which it must be able to create (or write), so even reading failed. And reading
/// commands write too: the search index and the anchors are brought up to date when they are
/// read (see `SearchIndexer`, `AnchorMaintenance`), and an older store's format is upgraded.
///
/// So a read-only store is read from a copy: its content is copied, through a read-only
/// connection, into a private temporary database (SQLite deletes it when the copy closes, or
/// at once if the process dies), where what reading refreshes is refreshed and never written
/// back. The copy refuses changes to records, remotes and sync progress, so nothing anyone
/// writes there is silently lost. Copying costs a read of the whole store per command (a
/// fraction of a second for a store of tens of MB): only read-only stores pay it.
public enum ReadOnlyStore {
    /// True when this process cannot write the store at `fileURL` (an existing file): the file
    /// is not writable, or its `-wal` or `-shm` file is not, or one of them is missing and the
    /// folder, where SQLite must create it, is not writable. (For root only read-only media or
    /// immutable files are read-only: permissions do not stop root.)
    public static func isReadOnly(_ fileURL: URL) -> Bool {
        let path = fileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return false }
        if !writable(path) { return true }
        let folder = fileURL.deletingLastPathComponent().path
        for side in [path + "-wal", path + "-shm"] {
            if FileManager.default.fileExists(atPath: side) ? !writable(side) : !writable(folder) { return true }
        }
        return false
    }

    /// Whether this process (its effective user and groups) may write `path`.
    private static func writable(_ path: String) -> Bool { faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 }

    /// The store at `fileURL` copied into a private temporary database, checked as
    /// `ReplicaStore.open` checks a file (same refusals, same messages).
    static func temporaryCopy(of fileURL: URL) throws -> DatabaseQueue {
        try StoreInspection.checkFile(fileURL)
        let source = try openSource(fileURL)
        defer { sqlite3_close_v2(source) }
        do {
            // An empty file name: "a private, temporary on-disk database [...] automatically
            // deleted as soon as the database connection is closed" (SQLite's sqlite3_open).
            let copy = try DatabaseQueue(path: "", configuration: ReplicaStore.configuration(readonly: false))
            try copy.writeWithoutTransaction { db in
                guard let backup = sqlite3_backup_init(db.sqliteConnection, "main", source, "main") else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_errcode(db.sqliteConnection)), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                let step = sqlite3_backup_step(backup, -1)
                let finish = sqlite3_backup_finish(backup)
                guard step == SQLITE_DONE, finish == SQLITE_OK else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: step == SQLITE_DONE ? finish : step), message: String(cString: sqlite3_errmsg(source)))
                }
            }
            try copy.read { db in try StoreInspection.checkContents(fileURL, db) }
            return copy
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.notAStore, "\(fileURL.path) is not a readable Gloss store: \(error)", cause: error)
        }
    }

    /// Makes `db`, a copy of the store at `fileURL`, refuse changes to what is not derived from
    /// records: the records themselves, their history, remotes and sync progress (temporary
    /// triggers, in the copy's connection only).
    static func refuseChanges(_ fileURL: URL, _ db: Database) throws {
        let message = "the store at \(fileURL.path) is read-only: this copy of it cannot be changed".replacingOccurrences(of: "'", with: "''")
        for table in ["records", "history", "resolutions", "remotes", "sync_peers", "replicas"] {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TEMP TRIGGER read_only_\(table)_\(event.lowercased()) BEFORE \(event) ON main.\(table)
                    BEGIN SELECT RAISE(ABORT, '\(message)'); END
                    """)
            }
        }
    }

    /// A read-only connection to the file. With nothing in a write-ahead log, `immutable=1`:
    /// SQLite then needs no `-shm` file, which a read-only folder could not hold. With changes
    /// in the log, `mode=ro`: SQLite (3.22 and later) reads them through the `-shm` file even
    /// when it cannot write it (`immutable` would ignore them: a store copied while a process
    /// had it open would be read without its latest changes).
    private static func openSource(_ fileURL: URL) throws -> OpaquePointer {
        let logSize = (try? FileManager.default.attributesOfItem(atPath: fileURL.path + "-wal")[.size] as? Int) ?? 0
        let uri = fileURL.standardizedFileURL.absoluteString + (logSize > 0 ? "?mode=ro" : "?immutable=1")
        var handle: OpaquePointer?
        var result = sqlite3_open_v2(uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil)
        if result == SQLITE_OK {
            // Opening is lazy: the first read is what needs the log's index.
            result = sqlite3_exec(handle, "SELECT count(*) FROM sqlite_master", nil, nil, nil)
        }
        guard result == SQLITE_OK, let handle else {
            let detail = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            guard logSize > 0 else {
                throw GlossError(.notAStore, "\(fileURL.path) is not a readable Gloss store: \(detail)")
            }
            throw GlossError(
                .io,
                "cannot read the store at \(fileURL.path): it is read-only, and its latest changes are in \(fileURL.lastPathComponent)-wal, which SQLite reads only with \(fileURL.lastPathComponent)-shm beside it or in a folder it can write (\(detail)). Copy the whole folder somewhere writable and read the copy.")
        }
        return handle
    }
}
