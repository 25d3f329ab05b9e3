import Foundation
import GRDB
import GlossCore

/// Checks a file before the store opens it for writing, so that a wrong file is refused and left
/// byte-for-byte untouched (opening in WAL mode would otherwise write to it).
enum StoreInspection {
    ///
    /// A store is too new for this build when its `schema_version` is greater than
    /// `newestKnownSchema`, or when a newer build applied a migration this one does not know
    /// (`knownMigrations`): its tables or rows may then hold what this build would misread.
    static func check(_ fileURL: URL, newestKnownSchema: Int, knownMigrations: Set<String>, applicationID: Int32) throws {
        try checkFile(fileURL)
        do {
            let queue = try DatabaseQueue(path: fileURL.path, configuration: ReplicaStore.configuration(readonly: true))
            defer { try? queue.close() }
            try queue.read { db in
                try checkContents(
                    fileURL, db, newestKnownSchema: newestKnownSchema, knownMigrations: knownMigrations, applicationID: applicationID)
            }
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.notAStore, "\(fileURL.path) is not a readable Gloss store: \(error)", cause: error)
        }
    }

    /// The checks made before SQLite opens the file: it exists, is a file, is readable, and is
    /// a SQLite database.
    static func checkFile(_ fileURL: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: fileURL.path, isDirectory: &isDirectory) else {
            throw GlossError(
                .storeNotFound,
                "no Gloss store at \(fileURL.path). Run `gloss init` to create one, or check --store / GLOSS_STORE.")
        }
        if isDirectory.boolValue {
            throw GlossError(.notAStore, "\(fileURL.path) is a folder, not a Gloss store file")
        }
        guard let handle = FileHandle(forReadingAtPath: fileURL.path) else {
            throw GlossError(.io, "cannot read \(fileURL.path): permission denied?")
        }
        let header = handle.readData(ofLength: 16)
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw GlossError(.notAStore, "\(fileURL.path) is not a Gloss store (not a SQLite database); nothing was changed")
        }
    }

    /// The checks made inside the file, through `db` (the file's, or a copy's): a Gloss store,
    /// and not one a newer gloss wrote.
    static func checkContents(
        _ fileURL: URL, _ db: Database, newestKnownSchema: Int = Schema.version, knownMigrations: Set<String> = Schema.migrationIdentifiers,
        applicationID: Int32 = Schema.applicationID
    ) throws {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        guard appID == applicationID else {
            throw GlossError(
                .notAStore, "\(fileURL.path) is a SQLite database of another program, not a Gloss store; nothing was changed")
        }
        let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap { Int($0) } ?? 0
        if version > newestKnownSchema {
            throw GlossError(
                .schemaTooNew,
                "the store at \(fileURL.path) uses schema version \(version), newer than this gloss understands (\(newestKnownSchema)). Upgrade gloss; the store was not changed.")
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        if let unknown = applied.first(where: { !knownMigrations.contains($0) }) {
            throw GlossError(
                .schemaTooNew,
                "the store at \(fileURL.path) was upgraded by a newer gloss (schema change \"\(unknown)\", which this gloss does not know). Upgrade gloss; the store was not changed.")
        }
    }
}
