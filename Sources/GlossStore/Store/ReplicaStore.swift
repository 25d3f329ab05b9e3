import Foundation
import GRDB
import GlossCore

/// One replica: a SQLite file (WAL mode) holding records, their history, the change feed,
/// search index, local anchors and sync metadata.
///
/// Reads go through `read`, local writes through `write` (one transaction each), remote states
/// through `apply`. All three are safe to call from any thread.
public final class ReplicaStore: Sendable {
    /// The SQLite file.
    public let fileURL: URL
    /// This replica's ID, made at creation.
    public let replicaID: ReplicaID
    /// The clock used to stamp writes and history (ms since 1970); injectable for tests.
    public let clock: @Sendable () -> Int64

    /// A `DatabasePool` (WAL) over the file; a `DatabaseQueue` for a store held in memory.
    let pool: any DatabaseWriter

    /// The current time in ms since 1970.
    public static let systemClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Held while a pull of this process defers the store's indexes (see `PullLock`).
    let pullLock: PullLock

    private init(fileURL: URL, pool: any DatabaseWriter, replicaID: ReplicaID, clock: @escaping @Sendable () -> Int64) {
        self.fileURL = fileURL
        self.pool = pool
        self.replicaID = replicaID
        self.clock = clock
        pullLock = PullLock(storeFile: fileURL)
    }

    /// Creates a new store at `fileURL` (and its folder), with a new random replica ID.
    /// Fails, touching nothing, if a file is already there.
    public static func create(
        at fileURL: URL, name: String? = nil, clock: @escaping @Sendable () -> Int64 = systemClock
    ) throws -> ReplicaStore {
        let fm = FileManager.default
        if fm.fileExists(atPath: fileURL.path) {
            throw GlossError(.storeExists, "a Gloss store already exists at \(fileURL.path); nothing was changed")
        }
        do {
            // Owner-only: the store holds remotes' tokens and unpublished work. SQLite gives its
            // -wal and -shm files the permissions of the database file.
            try fm.createDirectory(
                at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            // The file starts as a copy of the empty schema (see `Schema.emptyStoreImage`).
            let image = try Schema.emptyStoreImage.get()
            guard fm.createFile(atPath: fileURL.path, contents: image, attributes: [.posixPermissions: 0o600]) else {
                throw GlossError(.io, "cannot create \(fileURL.path)")
            }
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.io, "cannot create folder \(fileURL.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
        let replicaID = ReplicaID.random()
        do {
            let pool = try DatabasePool(path: fileURL.path, configuration: configuration(readonly: false))
            try pool.write { db in try writeIdentity(replicaID, name: name, clock: clock, db) }
            return ReplicaStore(fileURL: fileURL, pool: pool, replicaID: replicaID, clock: clock)
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.io, "cannot create a store at \(fileURL.path): \(error)", cause: error)
        }
    }

    /// Creates a new store held in memory only, with a new random replica ID: the schema, SQL
    /// and merge of a file store, without a file, its locks and its syncs. Its data is gone when it
    /// is closed. For the randomized sync tests, which make and drop thousands of replicas (on
    /// files, the locking and syncing that a replica shared between processes needs were most of
    /// their kernel time); `fileURL` names no file (`memory:NAME`). Its one connection serves
    /// reads and writes in turn, so a read waits for a write in progress instead of reading the
    /// snapshot before it.
    public static func inMemory(name: String, clock: @escaping @Sendable () -> Int64 = systemClock) throws -> ReplicaStore {
        let replicaID = ReplicaID.random()
        let label = URL(string: "memory:\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "store")")!
        do {
            let queue = try DatabaseQueue(configuration: configuration(readonly: false))
            let image = try Schema.emptyStoreImage.get()
            try queue.writeWithoutTransaction { db in try Schema.load(image, into: db) }
            try queue.write { db in try writeIdentity(replicaID, name: name, clock: clock, db) }
            return ReplicaStore(fileURL: label, pool: queue, replicaID: replicaID, clock: clock)
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.io, "cannot create a store in memory: \(error)", cause: error)
        }
    }

    /// Writes a new store's identity (in the caller's transaction: a crash before it lands leaves
    /// a file that `open` refuses as not a Gloss store).
    private static func writeIdentity(_ replicaID: ReplicaID, name: String?, clock: () -> Int64, _ db: Database) throws {
        try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
        let rows: [(String, String)] = [
            ("replica_id", replicaID.rawValue),
            ("replica_name", name ?? defaultName()),
            ("schema_version", String(Schema.version)),
            ("created_at", String(clock())),
        ]
        let insertMeta = try db.makeStatement(sql: "INSERT INTO meta(key, value) VALUES (?, ?)")
        for (key, value) in rows {
            try insertMeta.execute(arguments: [key, value])
        }
        try db.execute(sql: "INSERT INTO replicas(id, name) VALUES (?, ?)", arguments: [replicaID.rawValue, name ?? defaultName()])
    }

    /// Opens an existing store. Refuses, changing nothing, a missing file, a file that is not a
    /// Gloss store, and a store written by a newer schema version.
    ///
    /// A store made by an older gloss is upgraded first; `willUpgrade` is called just before
    /// (some upgrades rebuild a table, which takes a while on a large store).
    public static func open(
        at fileURL: URL, clock: @escaping @Sendable () -> Int64 = systemClock, willUpgrade: (() -> Void)? = nil
    ) throws -> ReplicaStore {
        try opening(fileURL) {
            let pool = try DatabasePool(path: fileURL.path, configuration: configuration(readonly: false))
            let migrator = Schema.migrator
            if let willUpgrade, try !pool.read({ db in try migrator.hasCompletedMigrations(db) }) { willUpgrade() }
            try migrator.migrate(pool)
            let replica = try pool.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_id'")
            }
            let store = try identified(replica, fileURL: fileURL, pool: pool, clock: clock)
            // A first sync that stopped before its end left two indexes deferred (one still
            // running in another process keeps them: see PullLock).
            try store.buildDeferredIndexes(unlessAPullIsRunning: true)
            return store
        }
    }

    /// Opens an existing store for reading only, or returns nil when its schema is not current
    /// (then `open`, which migrates, is needed), or when a first sync that stopped left indexes
    /// deferred (`open` builds them: reads by ID would scan the table until then; while the
    /// first sync runs in another process they do, slowly). Refuses bad files as `open` does. Opening for
    /// writing costs a write transaction and, at exit, a checkpoint, each with its fsyncs (GRDB
    /// makes sure the WAL file is not empty, and SQLite removes it when the last connection
    /// closes); a reading command with nothing to refresh needs neither. Writes on the returned
    /// store fail.
    public static func openForReading(at fileURL: URL, clock: @escaping @Sendable () -> Int64 = systemClock) throws -> ReplicaStore? {
        try opening(fileURL) {
            let pool = try DatabasePool(path: fileURL.path, configuration: configuration(readonly: true))
            let current = try pool.read { db -> (replica: String?, migrated: Bool) in
                guard try Schema.migrator.hasCompletedMigrations(db) else { return (nil, false) }
                if try DeferredIndexes.pending(db) && !PullLock(storeFile: fileURL).heldElsewhere() { return (nil, false) }
                return (try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_id'"), true)
            }
            guard current.migrated else { return nil }
            return try identified(current.replica, fileURL: fileURL, pool: pool, clock: clock)
        }
    }

    /// Opens for reading a store this process cannot write (see `ReadOnlyStore`): its content
    /// is copied into a private temporary database and read there, so what reading refreshes
    /// (the search index, anchors, an older store's format) is refreshed in the copy only and
    /// the file is never touched. Refuses bad files as `open` does. Changes to records,
    /// remotes and sync progress fail: the copy is for reading commands.
    public static func openReadOnly(at fileURL: URL, clock: @escaping @Sendable () -> Int64 = systemClock) throws -> ReplicaStore {
        let copy = try ReadOnlyStore.temporaryCopy(of: fileURL)
        do {
            try Schema.migrator.migrate(copy)
            let replica = try copy.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_id'") }
            let store = try identified(replica, fileURL: fileURL, pool: copy, clock: clock)
            try store.buildDeferredIndexes()
            try copy.writeWithoutTransaction { db in try ReadOnlyStore.refuseChanges(fileURL, db) }
            return store
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.io, "cannot read the store at \(fileURL.path): \(error)", cause: error)
        }
    }

    /// Refuses a file that is not a usable store (changing nothing), then runs `body`, reporting
    /// a database error as a failure to open the store.
    private static func opening<T>(_ fileURL: URL, _ body: () throws -> T) throws -> T {
        try StoreInspection.check(
            fileURL, newestKnownSchema: Schema.version, knownMigrations: Schema.migrationIdentifiers,
            applicationID: Schema.applicationID)
        do {
            return try body()
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.io, "cannot open the store at \(fileURL.path): \(error)", cause: error)
        }
    }

    /// The store over `pool`, whose stored replica ID is `replica`: refused without a valid one.
    private static func identified(
        _ replica: String?, fileURL: URL, pool: any DatabaseWriter, clock: @escaping @Sendable () -> Int64
    ) throws -> ReplicaStore {
        guard let replica, let replicaID = ReplicaID(replica) else {
            throw GlossError(.notAStore, "\(fileURL.path) has no valid replica ID; it is not a usable Gloss store")
        }
        return ReplicaStore(fileURL: fileURL, pool: pool, replicaID: replicaID, clock: clock)
    }

    /// The writer connection's page cache, in KiB (see `configuration`).
    static let writerCacheKiB = 24576

    static func configuration(readonly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .timeout(10)
        config.label = "gloss"
        config.prepareDatabase { db in
            // The indexes of a store with a million records weigh tens of MB; with SQLite's
            // default 2 MB page cache every merge re-read index pages from the file (first sync
            // of 1M records: 9k records/s, 13k with a larger cache). The writer only (readers
            // are short-lived and keep the default), so memory stays bounded.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(writerCacheKiB)") }
        }
        return config
    }

    static func defaultName() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "replica"
        let user = ProcessInfo.processInfo.environment["USER"] ?? "analyst"
        return "\(user)@\(host)"
    }

    /// Runs `body` in a read transaction (a consistent snapshot).
    ///
    /// Like GRDB's `pool.read`, but its BEGIN and COMMIT are cached statements: GRDB prepares
    /// them anew for every transaction (parsing, its statement authorizer), which was a tenth of
    /// the CPU of a sync step in the property tests and is paid by every command.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try wrapDatabaseErrors { try pool.unsafeRead { db in try Self.inTransaction("BEGIN DEFERRED TRANSACTION", db, body) } }
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`): all of its changes land or none
    /// do. `pool.write` with cached BEGIN and COMMIT statements (see `read`).
    func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in try Self.inTransaction("BEGIN IMMEDIATE TRANSACTION", db, body) }
    }

    /// Runs `body` between `begin` and a COMMIT, or rolls back when `body` or the commit throws.
    private static func inTransaction<T>(_ begin: String, _ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: begin).execute()
        do {
            let result = try body(db)
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return result
        } catch {
            if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
            throw error
        }
    }

    /// Runs `body`, which must run one statement only, on a reader outside any explicit
    /// transaction. SQLite runs a lone statement in its own read transaction, so it reads one
    /// consistent snapshot exactly as under `read`, without the BEGIN and COMMIT that `read`
    /// prepares anew each time (most of the cost of a small read in a debug build). Use it with
    /// `Database.cachedStatement` for the small reads sync makes over and over.
    func readOneStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try wrapDatabaseErrors { try pool.unsafeRead(body) }
    }

    /// Runs `body`, which must run one statement only, on the writer outside any explicit
    /// transaction: a lone statement is its own transaction in SQLite (it lands whole or not at
    /// all), so this is `pool.write` without the BEGIN and COMMIT it prepares each time.
    func writeOneStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try wrapDatabaseErrors { try pool.writeWithoutTransaction(body) }
    }

    /// Closes the store's connections (the object must not be used afterwards), after copying
    /// what this store object wrote from the WAL into the database file and emptying the WAL, so
    /// the file alone holds every write (a copy of it made then misses nothing). SQLite does that
    /// when the last connection to a store closes, but GRDB closes the writer before the readers,
    /// and a reader cannot: a store that served reads (`gloss serve`) kept its last writes in the
    /// WAL only.
    ///
    /// Without waiting: while another process writes or reads the same store, the checkpoint
    /// copies what it can and leaves the WAL as it is (that process's own close, or SQLite's,
    /// finishes the job). A close that waited (up to the busy timeout) held up the other
    /// process: in CI, a test polling a store that `gloss sync` was filling saw no progress.
    /// A store object that wrote nothing leaves the WAL alone.
    public func close() throws {
        if let files = pool as? DatabasePool, !files.configuration.readonly {
            try? files.writeWithoutTransaction { db in
                guard db.totalChangesCount > 0 else { return }
                try db.execute(sql: "PRAGMA busy_timeout = 0")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        try pool.close()
        pullLock.release()
    }

    /// Turns GRDB errors into GlossErrors so callers never see the dependency's types.
    func wrapDatabaseErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GlossError {
            throw error
        } catch let error as DatabaseError {
            throw GlossError(.io, "database error: \(error.message ?? error.resultCode.description)", cause: error)
        }
    }

    // MARK: Metadata

    /// A value from the store's metadata.
    public func meta(_ key: String) throws -> String? {
        try readOneStatement { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key])
        }
    }

    /// This replica's display name.
    public var name: String { (try? meta("replica_name")) ?? replicaID.short }

    /// Renames this replica (local only).
    public func setName(_ name: String) throws {
        try wrapDatabaseErrors {
            try transaction { db in
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'replica_name'", arguments: [name])
                try db.execute(
                    sql: "INSERT INTO replicas(id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                    arguments: [replicaID.rawValue, name])
            }
        }
    }

    /// Records the name of a replica heard of during sync.
    public func rememberReplica(_ id: ReplicaID, name: String) throws {
        // Every sync calls this on both sides with a name already stored: one cached statement
        // that writes nothing then.
        try writeOneStatement { db in
            try db.cachedStatement(sql: """
                INSERT INTO replicas(id, name) VALUES (?, ?)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name WHERE name != excluded.name
                """).execute(arguments: [id.rawValue, name])
        }
    }

    /// Names of known replicas, by ID.
    public func replicaNames() throws -> [ReplicaID: String] {
        try read { db in
            var names: [ReplicaID: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM replicas") {
                if let id = ReplicaID(row["id"]) { names[id] = row["name"] }
            }
            return names
        }
    }
}
