// A first sync's SQL (1M new records: a `records` row and a `history` row each, the store's
// schema as of history-v4-chain, 16 KiB pages, WAL, the store's cache, transactions of 2,000,
// 100 rows per statement as NewRecordRows inserts them) beside the SyncBenchmark's copy baseline
// (the same rows into a fresh file's table without indexes, one INSERT ... SELECT), with IDs
// like the benchmark's ("note-N", in feed order) or like the store's (DomainID: "n-" and 12
// random hex digits). Variant "deferred" loads without `records_by_kind` and `records_by_seq`
// and creates them after the load (time included).
// Variant "deferred id too" also loads without the ID index (`records` without a PRIMARY KEY,
// `records_by_id` made after), as the store does since records-v2-droppable-id-index.
// Run: gcc -O2 -o /tmp/first-sync-ids scripts/first-sync-ids.c -lsqlite3 && /tmp/first-sync-ids
// Environment: IDS=0|1 (sequential or random IDs only), ROUNDS=k, DEFERRED=0|1|2 (the variant run
// beside the store's schema: none, deferred indexes, deferred id too), TXN=rows per transaction,
// CACHE_KB, PAGE (page size), JOURNAL (journal mode, default WAL), HISTORY=0 (no `history` rows),
// STORE_SCHEMA=0 (skip the variant with the store's schema, 30+ s). Figures (30 November 2026, 2 shared cores): random IDs, the store's
// schema 33.2-36.5 s (29-35x the copy), deferred id too 8.4 s (7.4x); transactions of 20,000
// instead 16.5 s, of 100,000 16.9 s; a 96 MiB cache 35.4 s; 4 KiB pages 25.1 s. Later the same
// day, `IDS=1 DEFERRED=2 ROUNDS=1 STORE_SCHEMA=0`, one run each, "deferred id too" against the copy
// beside it: WAL with history rows 4.43 s (5.6x), WAL without 3.73 s (5.8x), a rollback journal
// (JOURNAL=DELETE) with history rows 3.66 s (5.6x), without 3.31 s (5.1x).
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { ROWS = 1000000, K = 100 };
static int TRANSACTION = 2000, CACHE_KB = 24576, PAGE = 16384, HISTORY = 1, STORE_SCHEMA = 1;
static const char *JOURNAL = "WAL";
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void run(sqlite3 *db, const char *sql) {
  char *error = 0;
  if (sqlite3_exec(db, sql, 0, 0, &error) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, error); exit(1); }
}
static const char *source = "/tmp/first-sync-ids-source.db", *target = "/tmp/first-sync-ids.db";
static void remove_target(void) {
  char path[128];
  unlink(target); snprintf(path, sizeof path, "%s-wal", target); unlink(path); snprintf(path, sizeof path, "%s-shm", target); unlink(path);
  snprintf(path, sizeof path, "%s-journal", target); unlink(path);
}

static double copy_baseline(void) {
  remove_target();
  sqlite3 *db; sqlite3_open(target, &db);
  char attach[160]; snprintf(attach, sizeof attach, "ATTACH '%s' AS src", source); run(db, attach);
  double t = now();
  run(db, "BEGIN; CREATE TABLE rows AS SELECT * FROM src.rows WHERE 0; INSERT INTO rows SELECT * FROM src.rows; COMMIT");
  double wall = now() - t;
  sqlite3_close(db);
  return wall;
}

static double load(int deferred) {
  remove_target();
  sqlite3 *db; sqlite3_open(target, &db);
  char pragmas[160];
  snprintf(pragmas, sizeof pragmas, "PRAGMA page_size=%d; PRAGMA journal_mode=%s; PRAGMA cache_size=-%d;", PAGE, JOURNAL, CACHE_KB);
  run(db, pragmas);
  char create[1024];
  snprintf(create, sizeof create, "CREATE TABLE records (id TEXT %s NOT NULL, kind TEXT NOT NULL, parent TEXT, state BLOB NOT NULL, seq INTEGER NOT NULL, source_peer TEXT, deleted INTEGER NOT NULL DEFAULT 0, conflicted INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL, last_history INTEGER);"
    "CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;"
    "CREATE TABLE history (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, seq INTEGER NOT NULL, applied_at INTEGER NOT NULL, origin TEXT NOT NULL, authors TEXT NOT NULL, dots TEXT NOT NULL, state BLOB NOT NULL, previous BLOB, prev INTEGER);", deferred == 2 ? "" : "PRIMARY KEY");
  run(db, create);
  if (!deferred) run(db, "CREATE UNIQUE INDEX records_by_seq ON records(seq); CREATE INDEX records_by_kind ON records(kind, parent);");
  char attach[160]; snprintf(attach, sizeof attach, "ATTACH '%s' AS src", source); run(db, attach);
  sqlite3_stmt *read, *records, *history;
  char rsql[200 + K * 32], hsql[200 + K * 32];
  strcpy(rsql, "INSERT INTO records(id,kind,parent,state,seq,source_peer,deleted,conflicted,updated_at,last_history) VALUES ");
  strcpy(hsql, "INSERT INTO history(id,record_id,seq,applied_at,origin,authors,dots,state,previous,prev) VALUES ");
  for (int i = 0; i < K; i++) { strcat(rsql, i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)"); strcat(hsql, i ? ",(?,?,?,?,?,?,?,X'',NULL,NULL)" : "(?,?,?,?,?,?,?,X'',NULL,NULL)"); }
  sqlite3_prepare_v2(db, "SELECT id, state, seq FROM src.rows ORDER BY rowid", -1, &read, 0);
  if (sqlite3_prepare_v2(db, rsql, -1, &records, 0) || sqlite3_prepare_v2(db, hsql, -1, &history, 0)) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); }
  double t = now(), c = cpu(); int n = 0, in = 0; char dots[64];
  run(db, "BEGIN");
  while (sqlite3_step(read) == SQLITE_ROW) {
    int r = in * 10, h = in * 7; sqlite3_int64 seq = sqlite3_column_int64(read, 2);
    const char *id = (const char *)sqlite3_column_text(read, 0);
    sqlite3_bind_text(records, r + 1, id, -1, SQLITE_TRANSIENT); sqlite3_bind_text(records, r + 2, "note", -1, SQLITE_STATIC);
    sqlite3_bind_null(records, r + 3); sqlite3_bind_blob(records, r + 4, sqlite3_column_blob(read, 1), sqlite3_column_bytes(read, 1), SQLITE_TRANSIENT);
    sqlite3_bind_int64(records, r + 5, seq); sqlite3_bind_text(records, r + 6, "AbCdEfGh", -1, SQLITE_STATIC);
    sqlite3_bind_int64(records, r + 7, 0); sqlite3_bind_int64(records, r + 8, 0); sqlite3_bind_int64(records, r + 9, 1764489600000LL);
    sqlite3_bind_int64(records, r + 10, seq);
    sqlite3_bind_int64(history, h + 1, seq); sqlite3_bind_text(history, h + 2, id, -1, SQLITE_TRANSIENT); sqlite3_bind_int64(history, h + 3, seq);
    sqlite3_bind_int64(history, h + 4, 1764489600000LL); sqlite3_bind_text(history, h + 5, "AbCdEfGh", -1, SQLITE_STATIC);
    sqlite3_bind_text(history, h + 6, "AbCdEfGh", -1, SQLITE_STATIC);
    snprintf(dots, sizeof dots, "AbCdEfGh:%lld", (long long)seq); sqlite3_bind_text(history, h + 7, dots, -1, SQLITE_TRANSIENT);
    if (++in == K) {
      if (sqlite3_step(records) != SQLITE_DONE || (HISTORY && sqlite3_step(history) != SQLITE_DONE)) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); }
      sqlite3_reset(records); sqlite3_reset(history); in = 0;
    }
    if (++n % TRANSACTION == 0) { run(db, "COMMIT"); run(db, "BEGIN"); }
  }
  run(db, "COMMIT");
  double loaded = now() - t;
  if (deferred == 2) run(db, "CREATE UNIQUE INDEX records_by_id ON records(id)");
  if (deferred) run(db, "CREATE UNIQUE INDEX records_by_seq ON records(seq); CREATE INDEX records_by_kind ON records(kind, parent);");
  sqlite3_finalize(read); sqlite3_finalize(records); sqlite3_finalize(history);
  sqlite3_close(db);  // the last connection checkpoints the WAL, as `gloss sync` closing the store does
  double wall = now() - t;
  printf("    %s: %6.2f s wall (load %.2f s), %6.2f s CPU\n", deferred == 2 ? "deferred id too " : deferred ? "deferred indexes" : "store schema    ", wall, loaded, cpu() - c);
  return wall;
}

static int env(const char *name, int fallback) { const char *v = getenv(name); return v ? atoi(v) : fallback; }
int main(void) {
  TRANSACTION = env("TXN", 2000); HISTORY = env("HISTORY", 1); STORE_SCHEMA = env("STORE_SCHEMA", 1);
  if (getenv("JOURNAL")) JOURNAL = getenv("JOURNAL");
  CACHE_KB = env("CACHE_KB", 24576); PAGE = env("PAGE", 16384);
  int only = env("IDS", -1), rounds = env("ROUNDS", 2), variants = env("DEFERRED", 1);
  printf("transactions of %d rows, cache %d KiB, pages of %d bytes, journal %s, history rows %s\n", TRANSACTION, CACHE_KB, PAGE, JOURNAL, HISTORY ? "yes" : "no");
  for (int random_ids = 0; random_ids < 2; random_ids++) {
    if (only >= 0 && random_ids != only) continue;
    unlink(source);
    sqlite3 *db; sqlite3_open(source, &db);
    char sql[2048];
    snprintf(sql, sizeof sql,
      "CREATE TABLE rows AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999) "
      "SELECT %s AS id, CAST(printf('{\"f\":{\"body\":[{\"n\":%%d,\"r\":\"AbCdEfGh\",\"t\":1764489600000,\"v\":\"US estimate 3,000-6,000 [RFE/RL 2016]; 1,140 withdrawn [Lavrov 2017] #%%d\"}],"
      "\"title\":[{\"n\":%%d,\"r\":\"AbCdEfGh\",\"t\":1764489600000,\"v\":\"Troop numbers, estimate %%d\"}]},\"id\":\"note-%%d\",\"kind\":\"note\",\"s\":{},\"vv\":{\"AbCdEfGh\":%%d}}', "
      "i * 2 + 1, i, i * 2 + 2, i, i, i * 2 + 2) AS BLOB) AS state, i + 1 AS seq FROM n",
      random_ids ? "'n-' || lower(hex(randomblob(6)))" : "'note-' || i");
    run(db, sql);
    sqlite3_close(db);
    printf("IDs %s:\n", random_ids ? "random (n- and 12 hex digits, as DomainID)" : "note-N in feed order (as SyncBenchmark)");
    for (int round = 0; round < rounds; round++) {
      double copy = copy_baseline();
      printf("    copy baseline:    %6.2f s\n", copy);
      double a = STORE_SCHEMA ? load(0) : 0, b = variants ? load(variants) : 0;
      printf("    ratios to the copy: store schema %.1fx, deferred %.1fx\n", a / copy, b / copy);
    }
  }
  unlink(source); remove_target();
  return 0;
}
