// The store's statements under a page size (argument: 4096, 8192, 16384): 100k new annotation
// rows (a lookup, the records row with a 1,150-byte state, the history row) in batches of 1,000,
// the same rows' states rewritten (a merge: update plus a history row keeping the old state),
// 2,000 one-write transactions on random records, 20,000 point reads. Process CPU time.
// Run: gcc -O2 -o /tmp/page-size scripts/page-size.c -lsqlite3 && for p in 4096 8192 16384; do /tmp/page-size $p; done
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static double cpu(void){struct timespec t;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec/1e9;}
static void ex(sqlite3*db,const char*s){char*e=0; if(sqlite3_exec(db,s,0,0,&e)){printf("%s: %s\n",s,e);}}
int main(int argc,char**argv){ int ps=atoi(argv[1]); int N=100000;
  const char*path="/tmp/page-size.db"; unlink(path); unlink("/tmp/page-size.db-wal"); unlink("/tmp/page-size.db-shm");
  sqlite3*db; sqlite3_open(path,&db); char s[100]; sprintf(s,"pragma page_size=%d",ps); ex(db,s);
  ex(db,"pragma journal_mode=wal; pragma synchronous=normal; pragma cache_size=-24576");
  ex(db,"CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, parent TEXT, state BLOB NOT NULL, seq INTEGER NOT NULL, source_peer TEXT, deleted INTEGER NOT NULL DEFAULT 0, conflicted INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);"
  "CREATE UNIQUE INDEX records_by_seq ON records(seq); CREATE INDEX records_by_kind ON records(kind, parent); CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;"
  "CREATE TABLE history (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, seq INTEGER NOT NULL, applied_at INTEGER NOT NULL, origin TEXT NOT NULL, authors TEXT NOT NULL, dots TEXT NOT NULL, state BLOB NOT NULL, previous BLOB); CREATE INDEX history_by_record ON history(record_id, id);");
  sqlite3_stmt *r,*h,*u,*q; sqlite3_prepare_v2(db,"INSERT INTO records(id,kind,parent,state,seq,source_peer,deleted,conflicted,updated_at) VALUES (?,?,?,?,?,?,?,?,?)",-1,&r,0);
  sqlite3_prepare_v2(db,"INSERT INTO history(record_id,seq,applied_at,origin,authors,dots,state,previous) VALUES (?,?,?,?,?,?,X'',?)",-1,&h,0);
  sqlite3_prepare_v2(db,"UPDATE records SET state=?1, seq=?2, updated_at=?3 WHERE id=?4",-1,&u,0);
  sqlite3_prepare_v2(db,"SELECT rowid, state FROM records WHERE id = ?",-1,&q,0);
  char blob[1400]; memset(blob,'x',sizeof blob); char id[32]; int seq=0;
  double t=cpu();
  for(int b=0;b<N;b+=1000){ ex(db,"BEGIN");
    for(int i=b;i<b+1000;i++){ sprintf(id,"a-%012x",i); seq++;
      sqlite3_bind_text(q,1,id,-1,SQLITE_TRANSIENT); sqlite3_step(q); sqlite3_reset(q);
      sqlite3_bind_text(r,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_text(r,2,"annotation",-1,SQLITE_STATIC); sqlite3_bind_text(r,3,"d-1",-1,SQLITE_STATIC);
      sqlite3_bind_blob(r,4,blob,1150,SQLITE_TRANSIENT); sqlite3_bind_int64(r,5,seq); sqlite3_bind_null(r,6); sqlite3_bind_int64(r,7,0); sqlite3_bind_int64(r,8,0); sqlite3_bind_int64(r,9,1);
      sqlite3_step(r); sqlite3_reset(r);
      sqlite3_bind_text(h,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_int64(h,2,seq); sqlite3_bind_int64(h,3,1); sqlite3_bind_text(h,4,"local",-1,SQLITE_STATIC);
      sqlite3_bind_text(h,5,"0123456789abcdef0123456789abcdef",-1,SQLITE_STATIC); sqlite3_bind_text(h,6,"0123456789abcdef0123456789abcdef:1",-1,SQLITE_STATIC); sqlite3_bind_null(h,7);
      sqlite3_step(h); sqlite3_reset(h); }
    ex(db,"COMMIT");}
  double ins=cpu()-t; t=cpu();
  for(int b=0;b<N;b+=1000){ ex(db,"BEGIN");
    for(int i=b;i<b+1000;i++){ sprintf(id,"a-%012x",i); seq++;
      sqlite3_bind_text(q,1,id,-1,SQLITE_TRANSIENT); sqlite3_step(q); sqlite3_reset(q);
      sqlite3_bind_blob(u,1,blob,1350,SQLITE_TRANSIENT); sqlite3_bind_int64(u,2,seq); sqlite3_bind_int64(u,3,2); sqlite3_bind_text(u,4,id,-1,SQLITE_TRANSIENT); sqlite3_step(u); sqlite3_reset(u);
      sqlite3_bind_text(h,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_int64(h,2,seq); sqlite3_bind_int64(h,3,1); sqlite3_bind_text(h,4,"peer",-1,SQLITE_STATIC);
      sqlite3_bind_text(h,5,"0123456789abcdef0123456789abcdef",-1,SQLITE_STATIC); sqlite3_bind_text(h,6,"0123456789abcdef0123456789abcdef:1",-1,SQLITE_STATIC); sqlite3_bind_blob(h,7,blob,1150,SQLITE_TRANSIENT);
      sqlite3_step(h); sqlite3_reset(h); }
    ex(db,"COMMIT");}
  double upd=cpu()-t; t=cpu();
  srand(1);
  for(int k=0;k<2000;k++){ int i=rand()%N; ex(db,"BEGIN"); sprintf(id,"a-%012x",i); seq++;
      sqlite3_bind_text(q,1,id,-1,SQLITE_TRANSIENT); sqlite3_step(q); sqlite3_reset(q);
      sqlite3_bind_blob(u,1,blob,1350,SQLITE_TRANSIENT); sqlite3_bind_int64(u,2,seq); sqlite3_bind_int64(u,3,2); sqlite3_bind_text(u,4,id,-1,SQLITE_TRANSIENT); sqlite3_step(u); sqlite3_reset(u);
      sqlite3_bind_text(h,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_int64(h,2,seq); sqlite3_bind_int64(h,3,1); sqlite3_bind_text(h,4,"local",-1,SQLITE_STATIC);
      sqlite3_bind_text(h,5,"0123456789abcdef0123456789abcdef",-1,SQLITE_STATIC); sqlite3_bind_text(h,6,"0123456789abcdef0123456789abcdef:1",-1,SQLITE_STATIC); sqlite3_bind_blob(h,7,blob,1350,SQLITE_TRANSIENT);
      sqlite3_step(h); sqlite3_reset(h); ex(db,"COMMIT"); }
  double one=cpu()-t; t=cpu();
  // random point reads
  for(int k=0;k<20000;k++){ int i=rand()%N; sprintf(id,"a-%012x",i); sqlite3_bind_text(q,1,id,-1,SQLITE_TRANSIENT); sqlite3_step(q); sqlite3_reset(q);}
  double rd=cpu()-t;
  printf("page %5d: insert %6.0f/s  update %6.0f/s  single-write txns %6.0f/s  point reads %6.0f/s\n",ps,N/ins,N/upd,2000/one,20000/rd);
  sqlite3_close(db);
}
