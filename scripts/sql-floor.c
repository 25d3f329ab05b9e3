// The SQL floor of a Gloss local write, driven from C (no Swift, no GRDB): the rows one write
// makes (a lookup of the current row, the records row, the history row) under variants of the
// schema, beside a raw insert of the benchmark row; 100k rows in batches of 1,000, timed by
// process CPU time, three rounds. Each argument is a variant, a sum of flags:
//   1 history.id AUTOINCREMENT (as before history-v3-rowid-ids)   2 look the record up first
//   4 no records_by_kind index   8 no history_by_record index   32 a 400-byte state (else 800)
//   64 no records_by_seq index   128 cache_size as the store sets it
// e.g. the store before and after history-v3-rowid-ids: `131 130`.
// Run: gcc -O2 -o /tmp/sql-floor scripts/sql-floor.c -lsqlite3 && /tmp/sql-floor 131 130
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static double cpu(void){struct timespec t;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec/1e9;}
enum { AUTOINC=1, SELECT=2, NOKIND=4, NOHIST=8, RAW=16, SMALL=32, NOSEQIDX=64, CACHE=128 };
static double run(int f){
  char path[64]; sprintf(path,"/tmp/sql-floor.db"); unlink(path); char w[80]; sprintf(w,"%s-wal",path); unlink(w); sprintf(w,"%s-shm",path); unlink(w);
  sqlite3*db; sqlite3_open(path,&db); sqlite3_exec(db,"pragma journal_mode=wal; pragma synchronous=normal",0,0,0);
  if(f&CACHE) sqlite3_exec(db,"pragma cache_size=-24576",0,0,0);
  char sql[3000]; sprintf(sql,"CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, parent TEXT, state BLOB NOT NULL, seq INTEGER NOT NULL, source_peer TEXT, deleted INTEGER NOT NULL DEFAULT 0, conflicted INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);"
  "%s %s CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;"
  "CREATE TABLE history (id INTEGER PRIMARY KEY %s, record_id TEXT NOT NULL, seq INTEGER NOT NULL, applied_at INTEGER NOT NULL, origin TEXT NOT NULL, authors TEXT NOT NULL, dots TEXT NOT NULL, state BLOB NOT NULL, previous BLOB);"
  "%s CREATE TABLE raw(id TEXT PRIMARY KEY, document TEXT, revision TEXT, exact TEXT, prefix TEXT, suffix TEXT, start INTEGER, \"end\" INTEGER, motivation TEXT, comment TEXT, tags TEXT, seq INTEGER);",
   (f&NOSEQIDX)?"":"CREATE UNIQUE INDEX records_by_seq ON records(seq);",
   (f&NOKIND)?"":"CREATE INDEX records_by_kind ON records(kind, parent);",
   (f&AUTOINC)?"AUTOINCREMENT":"", (f&NOHIST)?"":"CREATE INDEX history_by_record ON history(record_id, id);");
  if(sqlite3_exec(db,sql,0,0,0)) {printf("%s\n",sqlite3_errmsg(db));}
  sqlite3_stmt *r,*h,*q,*x; sqlite3_prepare_v2(db,"INSERT INTO records(id,kind,parent,state,seq,source_peer,deleted,conflicted,updated_at) VALUES (?,?,?,?,?,?,?,?,?)",-1,&r,0);
  sqlite3_prepare_v2(db,"INSERT INTO history(record_id,seq,applied_at,origin,authors,dots,state,previous) VALUES (?,?,?,?,?,?,X'',?)",-1,&h,0);
  sqlite3_prepare_v2(db,"SELECT rowid, state, parent, conflicted FROM records WHERE id = ?",-1,&q,0);
  sqlite3_prepare_v2(db,"INSERT INTO raw VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",-1,&x,0);
  char blob[800]; memset(blob,'x',sizeof blob); int blen=(f&SMALL)?400:800; char id[32];
  double t=cpu();
  for(int b=0;b<100000;b+=1000){ sqlite3_exec(db,"BEGIN",0,0,0);
    for(int i=b;i<b+1000;i++){ sprintf(id,"a-%012x",i);
      if(f&RAW){ sqlite3_bind_text(x,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_text(x,2,"d-1",-1,SQLITE_STATIC);sqlite3_bind_text(x,3,"rev-1",-1,SQLITE_STATIC);
        sqlite3_bind_text(x,4,"between 3,000 and 6,000 troops 12345",-1,SQLITE_STATIC);sqlite3_bind_text(x,5,"the US estimated that there were ",-1,SQLITE_STATIC);
        sqlite3_bind_text(x,6," in Syria at the height of the",-1,SQLITE_STATIC);sqlite3_bind_int64(x,7,i);sqlite3_bind_int64(x,8,i+30);sqlite3_bind_text(x,9,"highlighting",-1,SQLITE_STATIC);
        sqlite3_bind_text(x,10,"US estimate, see also VICE 12",-1,SQLITE_STATIC);sqlite3_bind_text(x,11,"troops",-1,SQLITE_STATIC);sqlite3_bind_int64(x,12,i);
        sqlite3_step(x); sqlite3_reset(x); continue; }
      if(f&SELECT){ sqlite3_bind_text(q,1,id,-1,SQLITE_TRANSIENT); sqlite3_step(q); sqlite3_reset(q);}
      sqlite3_bind_text(r,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_text(r,2,"annotation",-1,SQLITE_STATIC); sqlite3_bind_text(r,3,"d-1",-1,SQLITE_STATIC);
      sqlite3_bind_blob(r,4,blob,blen,SQLITE_TRANSIENT); sqlite3_bind_int64(r,5,i+1); sqlite3_bind_null(r,6); sqlite3_bind_int64(r,7,0); sqlite3_bind_int64(r,8,0); sqlite3_bind_int64(r,9,1);
      if(sqlite3_step(r)!=SQLITE_DONE) printf("err %s\n",sqlite3_errmsg(db)); sqlite3_reset(r);
      sqlite3_bind_text(h,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_int64(h,2,i+1); sqlite3_bind_int64(h,3,1); sqlite3_bind_text(h,4,"local",-1,SQLITE_STATIC);
      sqlite3_bind_text(h,5,"0123456789abcdef0123456789abcdef",-1,SQLITE_STATIC); sqlite3_bind_text(h,6,"0123456789abcdef0123456789abcdef:1",-1,SQLITE_STATIC); sqlite3_bind_null(h,7);
      if(sqlite3_step(h)!=SQLITE_DONE) printf("err %s\n",sqlite3_errmsg(db)); sqlite3_reset(h);
    }
    sqlite3_exec(db,"COMMIT",0,0,0);}
  t=cpu()-t; sqlite3_finalize(r);sqlite3_finalize(h);sqlite3_finalize(q);sqlite3_finalize(x); sqlite3_close(db); return t;
}
int main(int argc,char**argv){ int n=argc-1>16?16:argc-1; int fl[16]; for(int i=0;i<n;i++) fl[i]=atoi(argv[i+1]);
  for(int k=0;k<3;k++){ double raw=run(RAW); printf("raw %6.0f/s |",1e5/raw);
    for(int i=0;i<n;i++){ double t=run(fl[i]); printf(" [%d] %6.0f/s %.2fx |",fl[i],1e5/t,raw/t);} printf("\n"); fflush(stdout);}
  unlink("/tmp/sql-floor.db"); unlink("/tmp/sql-floor.db-wal"); unlink("/tmp/sql-floor.db-shm");
}
