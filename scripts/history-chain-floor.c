// The SQL floor of an incremental sync: 10k changed records merged into a 1M-record store, in
// transactions of 2,000 (a pull's pages), under three schemas, and wall time of the apply plus the
// closing checkpoint. Each change reads the record by id, appends a history row keeping the old
// state, and rewrites the record's row.
//   variant 0: the schema before `history-v4-chain` (records_by_seq, history_by_record)
//   variant 1: a feed table appended to instead of records_by_seq (not built)
//   variant 2: variant 1, and history rows linked by `prev` from `records.last_history` instead
//              of history_by_record
//   variant 3: the `history-v4-chain` schema: records_by_seq, history rows linked, no
//              history_by_record
// Environment: PS page size (default 16384), RS state bytes (default 1000; notes are ~300),
// STRIDE=1 changes every 100th record in order (as SyncBenchmark does) instead of random ones,
// SYNC=NORMAL|FULL sets PRAGMA synchronous for the apply. The first run of a variant builds its
// store in /tmp/exp (and prints the build time); later runs reuse it.
// Run: gcc -O2 -o /tmp/floor scripts/history-chain-floor.c -lsqlite3 && mkdir -p /tmp/exp &&
//      for v in 0 1 2; do STRIDE=1 RS=300 /tmp/floor $v; done
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
static void ex(sqlite3*db,const char*s){char*e=0; if(sqlite3_exec(db,s,0,0,&e)){printf("%s: %s\n",s,e);exit(1);}}
static sqlite3_stmt*prep(sqlite3*db,const char*s){sqlite3_stmt*p; if(sqlite3_prepare_v2(db,s,-1,&p,0)){printf("%s: %s\n",s,sqlite3_errmsg(db));exit(1);} return p;}
static void mkid(char*id,unsigned long long i){ unsigned long long x=i*0x9E3779B97F4A7C15ULL; x^=x>>29; sprintf(id,"a-%016llx",x);}
int main(int argc,char**argv){ int v=atoi(argv[1]); int N=argc>2?atoi(argv[2]):1000000; int M=10000;
  int PS=getenv("PS")?atoi(getenv("PS")):16384; int RS=getenv("RS")?atoi(getenv("RS")):1000; char path[96]; sprintf(path,"/tmp/exp/inc%d-%d-%d.db",v,PS,RS);
  int build = access(path,0)!=0;
  sqlite3*db; 
  if(build){ double tb=now();
  sqlite3_open(path,&db); {char q[80]; sprintf(q,"pragma page_size=%d",PS); ex(db,q);} ex(db,"pragma journal_mode=wal; pragma cache_size=-24576");
  ex(db,"CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, parent TEXT, state BLOB NOT NULL, seq INTEGER NOT NULL, source_peer TEXT, deleted INTEGER NOT NULL DEFAULT 0, conflicted INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL, last_hist INTEGER);"
    "CREATE INDEX records_by_kind ON records(kind, parent); CREATE INDEX records_conflicted ON records(conflicted) WHERE conflicted = 1;"
    "CREATE TABLE history (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, seq INTEGER NOT NULL, applied_at INTEGER NOT NULL, origin TEXT NOT NULL, authors TEXT NOT NULL, dots TEXT NOT NULL, state BLOB NOT NULL, previous BLOB, prev_hist INTEGER);"
    "CREATE TABLE feed (seq INTEGER PRIMARY KEY, rid INTEGER NOT NULL);");
  if(v==0||v==3) ex(db,"CREATE UNIQUE INDEX records_by_seq ON records(seq);");
  if(v<2) ex(db,"CREATE INDEX history_by_record ON history(record_id, id);");
  sqlite3_stmt*r=prep(db,"INSERT INTO records(id,kind,parent,state,seq,updated_at,last_hist) VALUES (?,'annotation','d-1',?,?,1,?)");
  sqlite3_stmt*h=prep(db,"INSERT INTO history(id,record_id,seq,applied_at,origin,authors,dots,state) VALUES (?,?,?,1,'peer','0123456789abcdef0123456789abcdef','0123456789abcdef0123456789abcdef:1',X'')");
  sqlite3_stmt*f=prep(db,"INSERT INTO feed(seq,rid) VALUES (?,?)");
  char blob[1400]; memset(blob,'x',sizeof blob); char id[32];
  for(int b=0;b<N;b+=5000){ ex(db,"BEGIN");
    for(int i=b;i<b+5000;i++){ mkid(id,i);
      sqlite3_bind_text(r,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_blob(r,2,blob,RS+(i%50),SQLITE_STATIC); sqlite3_bind_int64(r,3,i+1); sqlite3_bind_int64(r,4,i+1); sqlite3_step(r); sqlite3_reset(r);
      sqlite3_bind_int64(h,1,i+1); sqlite3_bind_text(h,2,id,-1,SQLITE_TRANSIENT); sqlite3_bind_int64(h,3,i+1); sqlite3_step(h); sqlite3_reset(h);
      if(v==1||v==2){ sqlite3_bind_int64(f,1,i+1); sqlite3_bind_int64(f,2,i+1); sqlite3_step(f); sqlite3_reset(f);} }
    ex(db,"COMMIT"); }
  ex(db,"pragma wal_checkpoint(TRUNCATE)"); sqlite3_close(db); printf("build %.2f s\n",now()-tb);
  }
  sqlite3_open(path,&db); ex(db,"pragma cache_size=-24576"); if(getenv("SYNC")) { char q[64]; sprintf(q,"pragma synchronous=%s",getenv("SYNC")); ex(db,q);}
  sqlite3_stmt*q=prep(db,"SELECT rowid, state, last_hist FROM records WHERE id = ?");
  sqlite3_stmt*u=prep(db, v>=2 ? "UPDATE records SET state=?1, seq=?2, source_peer=NULL, updated_at=?3, last_hist=?5 WHERE rowid=?4" : "UPDATE records SET state=?1, seq=?2, source_peer=NULL, updated_at=?3 WHERE rowid=?4");
  sqlite3_stmt*h=prep(db,"INSERT INTO history(record_id,seq,applied_at,origin,authors,dots,state,previous,prev_hist) VALUES (?,?,1,'peer','0123456789abcdef0123456789abcdef','0123456789abcdef0123456789abcdef:1',X'',?,?)");
  sqlite3_stmt*f=prep(db,"INSERT INTO feed(seq,rid) VALUES (?,?)");
  sqlite3_stmt*mx=prep(db, (v==1||v==2)?"SELECT max(seq) FROM feed":"SELECT max(seq) FROM records");
  char blob[1400]; memset(blob,'y',sizeof blob); char id[32]; int round=argc>3?atoi(argv[3]):0;
  srand(42+round);
  double t=now();
  for(int b=0;b<M;b+=2000){ ex(db,"BEGIN");
    sqlite3_step(mx); long long seq=sqlite3_column_int64(mx,0); sqlite3_reset(mx);
    for(int k=0;k<2000;k++){ int i= getenv("STRIDE") ? (b+k)*(N/M) : (int)(((long long)rand()*RAND_MAX+rand())%N); mkid(id,i); seq++;
      sqlite3_bind_text(q,1,id,-1,SQLITE_TRANSIENT); if(sqlite3_step(q)!=SQLITE_ROW){printf("miss\n");exit(1);}
      long long rid=sqlite3_column_int64(q,0); long long lh=sqlite3_column_int64(q,2);
      char old[1400]; int ol=sqlite3_column_bytes(q,1); memcpy(old,sqlite3_column_blob(q,1),ol); sqlite3_reset(q);
      sqlite3_bind_text(h,1,id,-1,SQLITE_TRANSIENT); sqlite3_bind_int64(h,2,seq); sqlite3_bind_blob(h,3,old,ol,SQLITE_TRANSIENT); sqlite3_bind_int64(h,4,lh); sqlite3_step(h); sqlite3_reset(h);
      long long hid=sqlite3_last_insert_rowid(db);
      sqlite3_bind_blob(u,1,blob,RS+60,SQLITE_STATIC); sqlite3_bind_int64(u,2,seq); sqlite3_bind_int64(u,3,2); sqlite3_bind_int64(u,4,rid); if(v>=2) sqlite3_bind_int64(u,5,hid); sqlite3_step(u); sqlite3_reset(u);
      if(v==1||v==2){ sqlite3_bind_int64(f,1,seq); sqlite3_bind_int64(f,2,rid); sqlite3_step(f); sqlite3_reset(f);} }
    ex(db,"COMMIT"); }
  double apply=now()-t; t=now();
  ex(db,"pragma wal_checkpoint(TRUNCATE)");
  double ck=now()-t;
  printf("variant %d: apply %.3f s, close checkpoint %.3f s, total %.3f s\n",v,apply,ck,apply+ck);
  sqlite3_close(db);
}
