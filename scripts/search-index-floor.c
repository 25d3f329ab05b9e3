// The search index's SQL alone, for a first sync of 1M notes and for 10k edits after it: an FTS5
// table as the store makes it (title, body, tags; unicode61 remove_diacritics 2), 16 KiB pages,
// WAL, the store's 24 MiB cache, texts like SyncBenchmark's notes, every row inserted in one
// transaction (as `SearchIndexer.catchUp` does), then three rounds of 10k edits to random rows
// (a DELETE and an INSERT each, one transaction per round).
// Run: gcc -O2 -o /tmp/search-index-floor scripts/search-index-floor.c -lsqlite3 && /tmp/search-index-floor
// Environment: BUILD="SQL run after CREATE, before the inserts" (e.g. "INSERT INTO search(search,
// rank) VALUES('automerge', 0)"), AFTER="SQL run after the inserts' commit" (e.g. "INSERT INTO
// search(search) VALUES('optimize')"), N=rows. Figures (30 November 2026, 2 shared cores, two
// runs each): FTS5's defaults 5.27-5.37 s, then 10k edits 1.8-2.1, 1.3-1.5, 0.5 s;
// automerge 0 during the inserts 4.05-4.29 s, then 3.0-3.1, 1.0, 0.85 s (the merging is only
// put off); automerge 0 and then 'optimize' (1.0 s) 5.06 s, then 0.52, 0.49, 0.46 s. On a real
// 1M-record store indexed by `gloss search` none of this showed: see docs/PERFORMANCE.md.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void run(sqlite3 *db, const char *sql) {
  char *error = 0;
  if (sqlite3_exec(db, sql, 0, 0, &error) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, error); exit(1); }
}
static void step(sqlite3 *db, sqlite3_stmt *s) {
  if (sqlite3_step(s) != SQLITE_DONE) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); }
  sqlite3_reset(s);
}

int main(void) {
  const char *path = "/tmp/search-index-floor.db", *build = getenv("BUILD"), *after = getenv("AFTER");
  int rows = getenv("N") ? atoi(getenv("N")) : 1000000;
  unlink(path); unlink("/tmp/search-index-floor.db-wal"); unlink("/tmp/search-index-floor.db-shm");
  sqlite3 *db; sqlite3_open(path, &db);
  run(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA cache_size=-24576;"
          "CREATE VIRTUAL TABLE search USING fts5(title, body, tags, tokenize = 'unicode61 remove_diacritics 2')");
  if (build) run(db, build);
  sqlite3_stmt *insert, *delete;
  sqlite3_prepare_v2(db, "INSERT INTO search(rowid, title, body, tags) VALUES (?, ?, ?, ?)", -1, &insert, 0);
  sqlite3_prepare_v2(db, "DELETE FROM search WHERE rowid = ?", -1, &delete, 0);
  char title[100], body[200];
  double t = now();
  run(db, "BEGIN");
  for (int i = 1; i <= rows; i++) {
    snprintf(title, sizeof title, "Troop numbers, estimate %d", i);
    snprintf(body, sizeof body, "US estimate 3,000-6,000 [RFE/RL 2016]; 1,140 withdrawn [Lavrov 2017] #%d", i);
    sqlite3_bind_int64(insert, 1, i); sqlite3_bind_text(insert, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, body, -1, SQLITE_STATIC); sqlite3_bind_text(insert, 4, "syria", -1, SQLITE_STATIC);
    step(db, insert);
  }
  run(db, "COMMIT");
  double inserted = now() - t;
  if (after) run(db, after);
  printf("%d rows: %.2f s (inserts and commit %.2f s)\n", rows, now() - t, inserted);
  srand(1);
  for (int round = 0; round < 3; round++) {
    t = now();
    run(db, "BEGIN");
    for (int i = 0; i < 10000; i++) {
      sqlite3_int64 row = 1 + rand() % rows;
      sqlite3_bind_int64(delete, 1, row); step(db, delete);
      snprintf(title, sizeof title, "Revised estimate %d", i);
      sqlite3_bind_int64(insert, 1, row); sqlite3_bind_text(insert, 2, title, -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 3, "US estimate revised again", -1, SQLITE_STATIC); sqlite3_bind_text(insert, 4, "syria", -1, SQLITE_STATIC);
      step(db, insert);
    }
    run(db, "COMMIT");
    printf("  10k edits, round %d: %.3f s\n", round + 1, now() - t);
  }
  sqlite3_finalize(insert); sqlite3_finalize(delete);
  sqlite3_close(db);
  unlink(path);
  return 0;
}
