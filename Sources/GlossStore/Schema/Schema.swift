import Foundation
import GRDB
import GRDBSQLite
import GlossCore

/// The store's schema: named, append-only migrations. Never edit a migration that has shipped;
/// add a new one.
enum Schema {
    /// Marks a SQLite file as a Gloss store (`PRAGMA application_id`, "GLOS").
    static let applicationID: Int32 = 0x474C_4F53
    /// The schema version this build writes; a store with a greater one is refused.
    static let version = 1

    /// One named migration.
    struct Migration: Sendable {
        let identifier: String
        let migrate: @Sendable (Database) throws -> Void

        init(_ identifier: String, _ migrate: @escaping @Sendable (Database) throws -> Void) {
            self.identifier = identifier
            self.migrate = migrate
        }
    }

    /// The migrator that brings an existing store up to date (`ReplicaStore.open`).
    ///
    /// Every migration runs with `foreignKeyChecks: .immediate`: the schema has no foreign keys,
    /// so GRDB's default (`.deferred`: foreign keys off, then a full `PRAGMA foreign_key_check`
    /// before each commit, then back on) checked nothing and cost three statements per
    /// migration. `history-v3-rowid-ids` rebuilds a table, which `.immediate` does not suit only
    /// when other tables' foreign keys refer to it: none do (SchemaTests checks there are none).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier, foreignKeyChecks: .immediate, migrate: migration.migrate)
        }
        return migrator
    }

    /// Gives a new, empty database the whole schema inside the caller's transaction
    /// (`ReplicaStore.create`): every migration in order, each recorded as applied in
    /// `grdb_migrations` with the statements GRDB's migrator uses, so the store is exactly one
    /// that `migrator` migrated step by step (SchemaTests compares them), and `open` finds
    /// nothing to do. It saves the migrator's transaction, checks and bookkeeping around each
    /// migration, which were most of the cost of creating a store.
    static func createFresh(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        let record = try db.makeStatement(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)")
        for migration in migrations {
            try migration.migrate(db)
            try record.execute(arguments: [migration.identifier])
        }
    }

    /// The bytes of a database holding the whole schema (`createFresh`) and nothing else: what
    /// `ReplicaStore.create` writes into a new store's file before it adds the store's identity.
    /// Made once per process, in memory: creating the schema costs about fifty SQL statements
    /// (the FTS index alone makes five tables), a copy of its pages costs a file write, and
    /// tests create thousands of stores.
    ///
    /// The image has pages of `pageSize` bytes, so every new store does.
    static let emptyStoreImage: Result<Data, GlossError> = Result { () throws(GlossError) -> Data in
        do {
            let queue = try DatabaseQueue()
            defer { try? queue.close() }
            // Before anything is written: an empty database takes a new page size at once.
            try queue.inDatabase { db in try db.execute(sql: "PRAGMA page_size = \(pageSize)") }
            try queue.write { db in try createFresh(db) }
            return try queue.inDatabase { db in
                var size: sqlite3_int64 = 0
                guard let bytes = sqlite3_serialize(db.sqliteConnection, "main", &size, 0) else {
                    throw GlossError(.io, "SQLite could not serialize the empty store")
                }
                defer { sqlite3_free(bytes) }
                return Data(bytes: bytes, count: Int(size))
            }
        } catch let error as GlossError {
            throw error
        } catch {
            throw GlossError(.io, "cannot make the schema of a new store: \(error)")
        }
    }

    /// Replaces the content of `db` (a connection to an in-memory database) with `image`, a
    /// database serialized by `emptyStoreImage`. SQLite owns the copy it reads from and frees it
    /// with the connection; the database can grow.
    static func load(_ image: Data, into db: Database) throws {
        guard let copy = sqlite3_malloc64(sqlite3_uint64(image.count)) else { throw GlossError(.io, "out of memory") }
        image.withUnsafeBytes { bytes in copy.copyMemory(from: bytes.baseAddress!, byteCount: image.count) }
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE)
        let size = sqlite3_int64(image.count)
        let code = sqlite3_deserialize(db.sqliteConnection, "main", copy.assumingMemoryBound(to: UInt8.self), size, size, flags)
        guard code == SQLITE_OK else {
            throw GlossError(.io, "SQLite could not load the empty store (\(String(cString: sqlite3_errstr(code))))")
        }
    }

    /// The page size of new stores (SQLite's default is 4,096 bytes). A record's state is
    /// canonical JSON of about a kilobyte (an annotation: 1.1-1.4 KB), so a 4 KiB page held three
    /// of them, and a batch of writes touched, wrote to the WAL (two writes per page) and
    /// checkpointed many pages, with more B-tree splits. The store's statements driven from C
    /// (scripts/page-size.c: 100k new annotations in batches of 1,000, then their states
    /// rewritten as merges do): 4 KiB 74-90k inserts/s and 48-53k rewrites/s, 8 KiB 88-104k and
    /// 57-64k, 16 KiB 93-114k and 72-82k; random point reads by ID 0-8% slower. In StoreBenchmark (same run,
    /// ratios against a raw insert): local writes 0.275x → 0.33x median, merges 0.18x → 0.25x.
    /// The cost: a transaction writing one record writes a few larger pages (in C, ~90-110 → ~135-140
    /// µs of CPU per one-write transaction, beside a command's ~50-90 ms), and the WAL grows to
    /// 16 MiB before a checkpoint (`wal_autocheckpoint` counts pages). `gloss show` of 10,000
    /// annotations costs the same on 4, 8 and 16 KiB pages (WorkflowBenchmark profile-show).
    /// Stores made before keep their 4 KiB pages: SQLite cannot change the page size of a
    /// database in WAL mode without rewriting it whole (VACUUM outside WAL), and nothing depends
    /// on the page size.
    static let pageSize = 16384

    /// The names of every migration this build knows: a store that lists another was upgraded
    /// by a newer build, and is refused (StoreInspection).
    static let migrationIdentifiers = Set(migrations.map(\.identifier))

    /// Every migration, in order. Never edit one that has shipped; append a new one.
    static var migrations: [Migration] {
        var list: [Migration] = []
        list.append(Migration("v1-records-history-sync-search") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);

                -- Domain data: the current merged state of every record.
                CREATE TABLE records (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    parent TEXT,                 -- the document of a revision or an annotation
                    state BLOB NOT NULL,         -- canonical JSON of the Record
                    seq INTEGER NOT NULL,        -- position in the change feed
                    source_peer TEXT,            -- peer whose state this exactly is (echo suppression)
                    deleted INTEGER NOT NULL DEFAULT 0,
                    conflicted INTEGER NOT NULL DEFAULT 0,
                    updated_at INTEGER NOT NULL  -- ms since 1970, when this replica last changed it
                );
                CREATE UNIQUE INDEX records_by_seq ON records(seq);
                CREATE INDEX records_by_kind ON records(kind, parent);
                CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;

                -- Append-only: every state this replica applied, local or remote.
                CREATE TABLE history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    record_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    applied_at INTEGER NOT NULL,  -- ms since 1970
                    origin TEXT NOT NULL,         -- 'local', or the peer the state came from
                    authors TEXT NOT NULL,        -- replicas whose new writes this state brought
                    dots TEXT NOT NULL,           -- those writes, as replica:counter
                    state BLOB NOT NULL
                );
                CREATE INDEX history_by_record ON history(record_id, id);

                -- Local, derived: where each annotation sits on each revision (not synced; every
                -- replica computes the same from synced data).
                CREATE TABLE anchors (
                    annotation_id TEXT NOT NULL,
                    revision TEXT NOT NULL,
                    start INTEGER,
                    "end" INTEGER,
                    status TEXT NOT NULL,        -- exact, mapped, fuzzy, orphan
                    score REAL,
                    PRIMARY KEY (annotation_id, revision)
                );

                -- Names of replicas this store has heard of (for `gloss log`).
                CREATE TABLE replicas (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL);

                -- Sync metadata, apart from domain data.
                CREATE TABLE sync_peers (
                    peer_id TEXT PRIMARY KEY NOT NULL,
                    pull_cursor INTEGER NOT NULL DEFAULT 0,
                    push_cursor INTEGER NOT NULL DEFAULT 0,
                    last_sync INTEGER
                );
                CREATE TABLE remotes (
                    name TEXT PRIMARY KEY NOT NULL,
                    url TEXT NOT NULL,
                    token TEXT,
                    peer_id TEXT
                );

                -- Full-text search; rowid = records.rowid.
                CREATE VIRTUAL TABLE search USING fts5(
                    title, body, tags, tokenize = 'unicode61 remove_diacritics 2');
                """)
        })
        list.append(Migration("sync-v1-epochs") { db in
            // Per peer pair, a random value both sides agree on after each sync: a second store
            // with the same replica ID (a copy) presents a stale one and is refused (see
            // ReplicaStore+SyncEpochs.swift).
            try db.execute(sql: """
                ALTER TABLE sync_peers ADD COLUMN epoch TEXT;
                ALTER TABLE sync_peers ADD COLUMN pending_epoch TEXT;
                """)
        })
        list.append(Migration("workflow-v1-annotation-views") { db in
            // Local, derived: annotations' fields in columns, so showing a document with
            // thousands of annotations does not decode every record state (JSON) each time. A row
            // is current while its seq equals the record's; otherwise it is rebuilt on read.
            try db.execute(sql: """
                CREATE TABLE annotation_views (
                    annotation_id TEXT PRIMARY KEY NOT NULL,
                    document TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    revision TEXT NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL,
                    start INTEGER NOT NULL, "end" INTEGER NOT NULL, motivation TEXT NOT NULL,
                    comment TEXT, claim TEXT, said_by TEXT, credibility INTEGER, tags TEXT NOT NULL,
                    created INTEGER, modified INTEGER
                );
                CREATE INDEX annotation_views_by_document ON annotation_views(document);
                """)
        })
        list.append(Migration("conflicts-v1-resolutions") { db in
            // Local audit of conflict resolutions (not synced: the resolving write itself syncs).
            try db.execute(sql: """
                CREATE TABLE resolutions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    record_id TEXT NOT NULL,
                    field TEXT NOT NULL,          -- 'deleted' for a delete/edit conflict
                    resolved_at INTEGER NOT NULL, -- ms since 1970
                    replica TEXT NOT NULL,        -- the replica that resolved
                    strategy TEXT NOT NULL,       -- ours, theirs, pick, value, edit, merge, keep, delete
                    replaced TEXT NOT NULL,       -- JSON array of the siblings replaced
                    chosen TEXT,                  -- JSON of the value chosen (NULL for keep/delete)
                    seq INTEGER NOT NULL          -- feed position of the resolving write
                );
                CREATE INDEX resolutions_by_record ON resolutions(record_id, id);
                """)
        })
        list.append(Migration("search-v2-catch-up-cursor") { db in
            // The search index is brought up to date before each search from the change feed
            // (SearchIndexer.catchUp), no longer on every write. Until now every write kept it
            // current, so it reflects the whole feed.
            try db.execute(sql: """
                INSERT OR REPLACE INTO meta(key, value) SELECT 'search_seq', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM records
                """)
        })
        list.append(Migration("history-v2-states-stored-once") { db in
            // History rows written from here on hold an empty `state` and, in `previous`, the
            // state they superseded: each state is stored once, and history is only appended to
            // (see HistoryChain). Older rows keep their full state.
            try db.execute(sql: "ALTER TABLE history ADD COLUMN previous BLOB")
        })
        list.append(Migration("history-v3-rowid-ids") { db in
            // `history.id` without AUTOINCREMENT: AUTOINCREMENT updated `sqlite_sequence` on every
            // history row written (~10% of a local write's SQL). Ids stay monotonic: SQLite gives
            // a new row the greatest id + 1, and history is only appended to (no row is ever
            // deleted), so new rows still sort after every existing one. SQLite cannot drop
            // AUTOINCREMENT in place: the table is rebuilt, its rows copied with their ids, and
            // dropping the old table drops its `sqlite_sequence` row. No foreign key, trigger or
            // view refers to `history`.
            try db.execute(sql: """
                ALTER TABLE history RENAME TO history_v2;
                DROP INDEX history_by_record;
                CREATE TABLE history (
                    id INTEGER PRIMARY KEY,
                    record_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    applied_at INTEGER NOT NULL,  -- ms since 1970
                    origin TEXT NOT NULL,         -- 'local', or the peer the state came from
                    authors TEXT NOT NULL,        -- replicas whose new writes this state brought
                    dots TEXT NOT NULL,           -- those writes, as replica:counter
                    state BLOB NOT NULL,          -- empty for rows written since history-v2 (see previous)
                    previous BLOB                 -- the state this row superseded (RecordRow.historyStateSQL)
                );
                INSERT INTO history(id, record_id, seq, applied_at, origin, authors, dots, state, previous)
                    SELECT id, record_id, seq, applied_at, origin, authors, dots, state, previous FROM history_v2 ORDER BY id;
                DROP TABLE history_v2;
                CREATE INDEX history_by_record ON history(record_id, id);
                """)
        })
        list.append(Migration("show-v1-anchors-by-revision") { db in
            // `gloss show` reads the anchors of a document's head in one range of this covering
            // index (CurrentAnnotations), not one lookup per annotation, nor a scan of every
            // document's anchors.
            try db.execute(sql: """
                CREATE INDEX anchors_by_revision ON anchors(revision, annotation_id, status, start, "end", score)
                """)
        })
        list.append(Migration("history-v4-chain") { db in
            // A record's history rows are linked, each to the one before it (`history.prev`), from
            // the latest (`records.last_history`), instead of indexed by record
            // (`history_by_record`). Every saved state inserted an entry into that index at a
            // random place, so a batch of merges rewrote most of its pages; following the links
            // costs one rowid lookup per row read, and only `gloss log` and conflict views read
            // a record's history. See HistoryChain.
            try db.execute(sql: """
                ALTER TABLE history ADD COLUMN prev INTEGER;  -- the record's history row before this one
                ALTER TABLE records ADD COLUMN last_history INTEGER;  -- the record's latest history row
                UPDATE history SET prev = (
                    SELECT MAX(p.id) FROM history p WHERE p.record_id = history.record_id AND p.id < history.id);
                UPDATE records SET last_history = (SELECT MAX(h.id) FROM history h WHERE h.record_id = records.id);
                DROP INDEX history_by_record;
                """)
        })
        list.append(Migration("records-v2-droppable-id-index") { db in
            // `records.id` unique through an index of its own (`records_by_id`) instead of the
            // table's PRIMARY KEY, whose index SQLite cannot drop: a first sync into an empty
            // store builds it, and `records_by_kind`, after loading instead of inserting every
            // new record at a random place in them (see DeferredIndexes). The same rows, with
            // the same rowids (the search index refers to them), the same lookups and conflicts on
            // `id`. The table is rebuilt: on a store of a million records this takes a while,
            // once (`ReplicaStore.open` says so first). `last_history` is the record's latest
            // history row; its line has no comment, and the comment before it no comma: SQLite's DROP
            // COLUMN, which migration tests use to make older stores, then fails to drop it.
            try db.execute(sql: """
                CREATE TABLE records_v2 (
                    id TEXT NOT NULL,            -- unique (records_by_id)
                    kind TEXT NOT NULL,
                    parent TEXT,                 -- the document of a revision or an annotation
                    state BLOB NOT NULL,         -- canonical JSON of the Record
                    seq INTEGER NOT NULL,        -- position in the change feed
                    source_peer TEXT,            -- peer whose state this exactly is (echo suppression)
                    deleted INTEGER NOT NULL DEFAULT 0,
                    conflicted INTEGER NOT NULL DEFAULT 0,
                    updated_at INTEGER NOT NULL, -- ms since 1970 when this replica last changed it
                    last_history INTEGER
                );
                INSERT INTO records_v2(rowid, id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at, last_history)
                    SELECT rowid, id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at, last_history
                    FROM records ORDER BY rowid;
                DROP TABLE records;
                ALTER TABLE records_v2 RENAME TO records;
                CREATE UNIQUE INDEX records_by_seq ON records(seq);
                CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;
                CREATE UNIQUE INDEX records_by_id ON records(id);
                CREATE INDEX records_by_kind ON records(kind, parent);
                """)
        })
        return list
    }
}
