// Store benchmark: local annotation writes and conflicting merges, each beside raw SQLite doing
// the same rows in the same run (the machine is shared and noisy, so ratios matter more than
// absolute figures).
//
// Run: cd Benchmarks && swift run -c release StoreBenchmark [records]
import Foundation
import GRDB
typealias Record = GlossCore.Record
import GlossCore
import GlossStore

let total = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let batch = 1_000
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(UUID().uuidString.prefix(8))")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }

// STORE_BENCH_CLOCK=cpu times each phase by the process's CPU time (user + system) instead of the
// wall clock: on a machine shared with other jobs, a phase starved of CPU otherwise looks slow
// and the ratios depend on what else ran at that moment. Time blocked on I/O is not counted.
let cpuClock = ProcessInfo.processInfo.environment["STORE_BENCH_CLOCK"] == "cpu"
func cpuNow() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
func seconds(_ body: () throws -> Void) rethrows -> Double {
    if cpuClock {
        let start = cpuNow()
        try body()
        return cpuNow() - start
    }
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct Row {
    let id: String, exact: String, prefix: String, suffix: String, comment: String
    let start: Int64, end: Int64
}
let rows: [Row] = (0..<total).map { i in
    Row(id: "a-\(String(format: "%012x", i))", exact: "between 3,000 and 6,000 troops \(i)",
        prefix: "the US estimated that there were ", suffix: " in Syria at the height of the",
        comment: "US estimate, see also VICE \(i % 97)", start: Int64(i * 7), end: Int64(i * 7 + 30))
}

// STORE_BENCH_ONLY=writes|merges runs only Gloss's side of one phase (for profilers).
let only = ProcessInfo.processInfo.environment["STORE_BENCH_ONLY"]

// Baseline 1: raw SQLite inserts of the same rows, same batch size, same WAL settings; once
// with SQLite's default pages (4 KiB) and once with the page size of Gloss's new stores (a
// store's pages are sized for its ~1 KB states; the fair comparison shows both).
@MainActor final class RawBaseline {
    let pool: DatabasePool
    init(_ path: String, pageSize: Int?) throws {
        var config = Configuration()
        config.journalMode = .wal
        if let pageSize {
            // Before the first write: an empty database takes the page size at once.
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = \(pageSize)") }
        }
        pool = try DatabasePool(path: path, configuration: config)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE annotations(id TEXT PRIMARY KEY, document TEXT, revision TEXT, exact TEXT, prefix TEXT,
                  suffix TEXT, start INTEGER, "end" INTEGER, motivation TEXT, comment TEXT, tags TEXT, seq INTEGER, state BLOB)
                """)
        }
    }
    var pageSize: Int { (try? pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") }) ?? 0 }
    func insert() throws -> Double {
        try seconds {
            for chunk in stride(from: 0, to: total, by: batch) {
                try pool.write { db in
                    let st = try db.cachedStatement(sql: "INSERT INTO annotations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,NULL)")
                    for i in chunk..<min(chunk + batch, total) {
                        let r = rows[i]
                        try st.execute(arguments: [r.id, "d-1", "rev-1", r.exact, r.prefix, r.suffix, r.start, r.end, "highlighting", r.comment, "troops", i])
                    }
                }
            }
        }
    }
    /// Rewrites the rows' state blobs, batch by batch.
    func update(_ blobs: [[(String, Data)]]) throws -> Double {
        try seconds {
            for chunk in blobs {
                try pool.write { db in
                    let st = try db.cachedStatement(sql: "UPDATE annotations SET state = ?, seq = seq + 1 WHERE id = ?")
                    for (id, data) in chunk { try st.execute(arguments: [data, id]) }
                }
            }
        }
    }
}
let storePageSize = try ReplicaStore.create(at: dir.appendingPathComponent("probe.sqlite"), name: "probe")
    .read { try Int.fetchOne($0, sql: "PRAGMA page_size") } ?? 4096
let raw = try RawBaseline(dir.appendingPathComponent("raw.sqlite").path, pageSize: nil)
let rawSized = try RawBaseline(dir.appendingPathComponent("raw-sized.sqlite").path, pageSize: storePageSize)
// A first, unmeasured run warms the page cache and allocator (the first measured run was up
// to 30% slower, whichever baseline it was).
if only == nil { _ = try RawBaseline(dir.appendingPathComponent("raw-warm-up.sqlite").path, pageSize: nil).insert() }
let rawInsert = only != nil ? 1 : try raw.insert()
let rawSizedInsert = only != nil ? 1 : try rawSized.insert()

// Baseline 1b (the floor): the statements a Gloss local write runs (records row, history row
// whose state is the current one, stored once in records), with the states already encoded, in
// a store with Gloss's schema. What Gloss spends beyond this is Swift-side work (encoding,
// record edits); it can never go below it. The search index is not written on the write path
// (it catches up before the next search; that cost is printed apart below).
let floorStore = try ReplicaStore.create(at: dir.appendingPathComponent("floor.sqlite"), name: "floor")
let floorStates: [Data] = only != nil ? [] : try {
    let scratch = try ReplicaStore.create(at: dir.appendingPathComponent("scratch.sqlite"), name: "scratch")
    var record = Record(id: "a-x", kind: .annotation)
    return rows.map { r in
        record = Record(id: r.id, kind: .annotation)
        record.edit(by: scratch.replicaID, at: 1) { e in
            e.set(FieldName.exact, .string(r.exact)); e.set(FieldName.comment, .string(r.comment))
            e.set("prefix", .string(r.prefix)); e.set("suffix", .string(r.suffix))
        }
        return record.canonicalData()
    }
}()
let floorInsert = only != nil ? 1 : try seconds {
    for chunk in stride(from: 0, to: total, by: batch) {
        try floorStore.write { w in
            let records = try w.db.cachedStatement(sql: """
                INSERT INTO records(id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at, last_history)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let history = try w.db.cachedStatement(sql: """
                INSERT INTO history(id, record_id, seq, applied_at, origin, authors, dots, state) VALUES (?, ?, ?, ?, ?, ?, ?, X'')
                """)
            for i in chunk..<min(chunk + batch, total) {
                let r = rows[i]
                try records.execute(arguments: [r.id, "annotation", "d-1", floorStates[i], i + 1, nil, false, false, 1, i + 1])
                try history.execute(arguments: [i + 1, r.id, i + 1, 1, "local", "x", "x:1"])
            }
        }
    }
}

// Gloss: the same rows as annotation records (one local operation each: new dot, feed
// position, history row, search index entry), 1,000 per transaction.
let a = try ReplicaStore.create(at: dir.appendingPathComponent("a.sqlite"), name: "a")
func writeAnnotations(_ store: ReplicaStore, comment: (Int) -> String) throws {
    for chunk in stride(from: 0, to: total, by: batch) {
        try store.write { w in
            for i in chunk..<min(chunk + batch, total) {
                let r = rows[i]
                try w.update(r.id, kind: .annotation) { e in
                    e.set(FieldName.document, .string("d-1"))
                    e.set("revision", .string("rev-1"))
                    e.set(FieldName.exact, .string(r.exact))
                    e.set("prefix", .string(r.prefix))
                    e.set("suffix", .string(r.suffix))
                    e.set("start", .int(r.start))
                    e.set("end", .int(r.end))
                    e.set("motivation", .string("highlighting"))
                    e.set(FieldName.comment, .string(comment(i)))
                    e.add("troops", to: FieldName.tags)
                }
            }
        }
    }
}
let glossInsert = try seconds { try writeAnnotations(a) { rows[$0].comment } }
// The search index catches up from the change feed before the next search: the cost moved off
// the write path, paid once per changed record (here all of them, in one go).
let insertCatchUp = only != nil ? 1 : try seconds { try a.updateSearchIndex() }
if only == "writes" {
    print("local writes   gloss \(Double(total) / glossInsert)/s")
    exit(0)
}

// Conflicting states: B starts from A's records and edits every comment; A edits them too.
let b = try ReplicaStore.create(at: dir.appendingPathComponent("b.sqlite"), name: "b")
var cursor: Int64 = 0
while true {
    let page = try a.changes(since: cursor, limit: 5_000)
    try b.apply(try page.states.map { try Record.decode($0) }, from: a.replicaID)
    cursor = page.next
    if !page.hasMore { break }
}
try writeAnnotations(a) { "A says: \(rows[$0].comment)" }
try writeAnnotations(b) { "B says: \(rows[$0].comment)" }
try a.updateSearchIndex()
var incoming: [[Record]] = []
cursor = 0
while true {
    let page = try b.changes(since: cursor, limit: batch)
    incoming.append(try page.states.map { try Record.decode($0) })
    cursor = page.next
    if !page.hasMore { break }
}
var conflicts = 0
let glossMerge = try seconds {
    for states in incoming { conflicts += try a.apply(states, from: b.replicaID).newConflicts }
}
let mergeCatchUp = try seconds { try a.updateSearchIndex() }
// Baseline 2: raw SQLite rewriting the same rows' state blobs, same batch size.
let blobs = incoming.map { $0.map { ($0.id, $0.canonicalData()) } }
let rawUpdate = try raw.update(blobs)
let rawSizedUpdate = try rawSized.update(blobs)

func rate(_ n: Int, _ s: Double) -> String { String(format: "%9.0f/s", Double(n) / s) }
print("StoreBenchmark: \(total) annotation records, batches of \(batch) (release build\(cpuClock ? ", CPU time" : ""))")
print("local writes   gloss \(rate(total, glossInsert))   raw SQLite insert \(rate(total, rawInsert))   ratio \(String(format: "%.2f", rawInsert / glossInsert))x raw")
print("  against raw SQLite with the store's \(rawSized.pageSize)-byte pages (default: \(raw.pageSize)): insert \(rate(total, rawSizedInsert))   ratio \(String(format: "%.2f", rawSizedInsert / glossInsert))x")
print("  floor: gloss's own statements with pre-encoded states \(rate(total, floorInsert))   ratio \(String(format: "%.2f", rawInsert / floorInsert))x raw")
print("  search index catch-up (deferred to the next search) \(rate(total, insertCatchUp));   writes + catch-up \(rate(total, glossInsert + insertCatchUp))   ratio \(String(format: "%.2f", rawInsert / (glossInsert + insertCatchUp)))x raw")
print("merges         gloss \(rate(total, glossMerge))   raw SQLite update \(rate(total, rawUpdate))   ratio \(String(format: "%.2f", rawUpdate / glossMerge))x raw   (\(conflicts) new conflicts)")
print("  against raw SQLite with the store's \(rawSized.pageSize)-byte pages: update \(rate(total, rawSizedUpdate))   ratio \(String(format: "%.2f", rawSizedUpdate / glossMerge))x")
print("  search index catch-up (deferred to the next search) \(rate(total, mergeCatchUp));   merges + catch-up \(rate(total, glossMerge + mergeCatchUp))   ratio \(String(format: "%.2f", rawUpdate / (glossMerge + mergeCatchUp)))x raw")
print("goal: >= 100000 writes/s and >= 0.3x raw")
