// The SQL floor of a first sync's apply, driven from C (no Swift, no GRDB): 1M new records, each
// a `records` row and a `history` row under the store's schema (16 KiB pages, WAL, the store's
// cache size), in transactions of 2,000 rows as a pull applies pages, inserted K rows per
// statement for each K given (1 = one statement per row, as the store did before
// NewRecordRows grouped them), then as one `INSERT ... SELECT` per transaction for comparison.
// The states are ~330-byte JSON texts like the SyncBenchmark's notes, made by SQL beforehand.
// Run: gcc -O2 -o /tmp/first-sync-floor scripts/first-sync-floor.c -lsqlite3 && /tmp/first-sync-floor 1 100
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { ROWS = 1000000, TRANSACTION = 2000 };
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void run(sqlite3 *db, const char *sql) {
  char *error = 0;
  if (sqlite3_exec(db, sql, 0, 0, &error) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, error); exit(1); }
}
static const char *source = "/tmp/first-sync-floor-source.db", *target = "/tmp/first-sync-floor.db";

static sqlite3 *fresh_target(void) {
  char path[128];
  unlink(target); snprintf(path, sizeof path, "%s-wal", target); unlink(path); snprintf(path, sizeof path, "%s-shm", target); unlink(path);
  sqlite3 *db; sqlite3_open(target, &db);
  run(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA cache_size=-24576;"
    "CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, parent TEXT, state BLOB NOT NULL, seq INTEGER NOT NULL, source_peer TEXT, deleted INTEGER NOT NULL DEFAULT 0, conflicted INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX records_by_seq ON records(seq); CREATE INDEX records_by_kind ON records(kind, parent);"
    "CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;"
    "CREATE TABLE history (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, seq INTEGER NOT NULL, applied_at INTEGER NOT NULL, origin TEXT NOT NULL, authors TEXT NOT NULL, dots TEXT NOT NULL, state BLOB NOT NULL, previous BLOB);"
    "CREATE INDEX history_by_record ON history(record_id, id);");
  char attach[160]; snprintf(attach, sizeof attach, "ATTACH '%s' AS src", source); run(db, attach);
  return db;
}

static void grouped(int k) {
  sqlite3 *db = fresh_target();
  sqlite3_stmt *read, *records, *history;
  size_t size = 200 + (size_t)k * 64;
  char *rsql = malloc(size), *hsql = malloc(size);
  strcpy(rsql, "INSERT INTO records(id,kind,parent,state,seq,source_peer,deleted,conflicted,updated_at) VALUES ");
  strcpy(hsql, "INSERT INTO history(record_id,seq,applied_at,origin,authors,dots,state,previous) VALUES ");
  for (int i = 0; i < k; i++) { strcat(rsql, i ? ",(?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?)"); strcat(hsql, i ? ",(?,?,?,?,?,?,X'',?)" : "(?,?,?,?,?,?,X'',?)"); }
  sqlite3_prepare_v2(db, "SELECT id, state, seq FROM src.rows ORDER BY rowid", -1, &read, 0);
  if (sqlite3_prepare_v2(db, rsql, -1, &records, 0) || sqlite3_prepare_v2(db, hsql, -1, &history, 0)) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); }
  double t = now(), c = cpu(); int n = 0, in = 0; char dots[64];
  run(db, "BEGIN");
  while (sqlite3_step(read) == SQLITE_ROW) {
    int r = in * 9, h = in * 7; sqlite3_int64 seq = sqlite3_column_int64(read, 2);
    const char *id = (const char *)sqlite3_column_text(read, 0);
    sqlite3_bind_text(records, r + 1, id, -1, SQLITE_TRANSIENT); sqlite3_bind_text(records, r + 2, "note", -1, SQLITE_STATIC);
    sqlite3_bind_null(records, r + 3); sqlite3_bind_blob(records, r + 4, sqlite3_column_blob(read, 1), sqlite3_column_bytes(read, 1), SQLITE_TRANSIENT);
    sqlite3_bind_int64(records, r + 5, seq); sqlite3_bind_text(records, r + 6, "AbCdEfGh", -1, SQLITE_STATIC);
    sqlite3_bind_int64(records, r + 7, 0); sqlite3_bind_int64(records, r + 8, 0); sqlite3_bind_int64(records, r + 9, 1764489600000LL);
    sqlite3_bind_text(history, h + 1, id, -1, SQLITE_TRANSIENT); sqlite3_bind_int64(history, h + 2, seq);
    sqlite3_bind_int64(history, h + 3, 1764489600000LL); sqlite3_bind_text(history, h + 4, "AbCdEfGh", -1, SQLITE_STATIC);
    sqlite3_bind_text(history, h + 5, "AbCdEfGh", -1, SQLITE_STATIC);
    snprintf(dots, sizeof dots, "AbCdEfGh:%lld", (long long)seq); sqlite3_bind_text(history, h + 6, dots, -1, SQLITE_TRANSIENT);
    sqlite3_bind_null(history, h + 7);
    if (++in == k) {
      if (sqlite3_step(records) != SQLITE_DONE || sqlite3_step(history) != SQLITE_DONE) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); }
      sqlite3_reset(records); sqlite3_reset(history); in = 0;
    }
    if (++n % TRANSACTION == 0) { run(db, "COMMIT"); run(db, "BEGIN"); }
  }
  run(db, "COMMIT");
  printf("%d rows, %3d per statement:        %6.2f s wall, %6.2f s CPU\n", n, k, now() - t, cpu() - c);
  sqlite3_finalize(read); sqlite3_finalize(records); sqlite3_finalize(history); sqlite3_close(db); free(rsql); free(hsql);
}

static void insert_select(void) {
  sqlite3 *db = fresh_target();
  sqlite3_stmt *records, *history;
  sqlite3_prepare_v2(db, "INSERT INTO records(id,kind,parent,state,seq,source_peer,deleted,conflicted,updated_at) SELECT id,'note',NULL,state,seq,'AbCdEfGh',0,0,1764489600000 FROM src.rows WHERE rowid BETWEEN ?1 AND ?2", -1, &records, 0);
  sqlite3_prepare_v2(db, "INSERT INTO history(record_id,seq,applied_at,origin,authors,dots,state,previous) SELECT id,seq,1764489600000,'AbCdEfGh','AbCdEfGh','AbCdEfGh:'||seq,X'',NULL FROM src.rows WHERE rowid BETWEEN ?1 AND ?2", -1, &history, 0);
  double t = now(), c = cpu();
  for (int low = 1; low <= ROWS; low += TRANSACTION) {
    run(db, "BEGIN");
    sqlite3_stmt *both[2] = {records, history};
    for (int s = 0; s < 2; s++) {
      sqlite3_bind_int(both[s], 1, low); sqlite3_bind_int(both[s], 2, low + TRANSACTION - 1);
      if (sqlite3_step(both[s]) != SQLITE_DONE) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); }
      sqlite3_reset(both[s]);
    }
    run(db, "COMMIT");
  }
  printf("%d rows, INSERT ... SELECT per transaction: %6.2f s wall, %6.2f s CPU\n", ROWS, now() - t, cpu() - c);
  sqlite3_finalize(records); sqlite3_finalize(history); sqlite3_close(db);
}

int main(int argc, char **argv) {
  unlink(source);
  sqlite3 *db; sqlite3_open(source, &db);
  run(db, "CREATE TABLE rows AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999) "
    "SELECT 'note-' || i AS id, CAST(printf('{\"f\":{\"body\":[{\"n\":%d,\"r\":\"AbCdEfGh\",\"t\":1764489600000,\"v\":\"US estimate 3,000-6,000 [RFE/RL 2016]; 1,140 withdrawn [Lavrov 2017] #%d\"}],"
    "\"title\":[{\"n\":%d,\"r\":\"AbCdEfGh\",\"t\":1764489600000,\"v\":\"Troop numbers, estimate %d\"}]},\"id\":\"note-%d\",\"kind\":\"note\",\"s\":{},\"vv\":{\"AbCdEfGh\":%d}}', "
    "i * 2 + 1, i, i * 2 + 2, i, i, i * 2 + 2) AS BLOB) AS state, i + 1 AS seq FROM n");
  sqlite3_close(db);
  for (int a = 1; a < argc; a++) grouped(atoi(argv[a]));
  insert_select();
  unlink(source); unlink(target);
  return 0;
}
