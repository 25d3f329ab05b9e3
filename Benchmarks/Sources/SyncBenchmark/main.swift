// Sync benchmark: prints figures for syncing over loopback HTTP (a real Hummingbird server and
// the URLSession client, in one process).
//
//   cd Benchmarks && swift run -c release SyncBenchmark [records=100000] [incremental=10000]
//
// Figures: first sync of N records into an empty replica (beside copying the same rows between
// two SQLite files with INSERT ... SELECT, and, last, into the store's own records table; with
// its CPU, client and server, and how long applying the pages took inside it), incremental sync of M changes, no-op sync, bytes per record on the
// wire, peak RSS (VmHWM: client and server together, same process). After each sync and its
// search catch-up the replica is closed, as `gloss sync` closes it, and the close is timed.
//
// Environment: SYNC_BENCH_PHASES=1 times the steps of the first sync alone, and, with
// SYNC_BENCH_ROUNDS=k ≥ 2 (the incremental sync repeated k times, the same notes changed again),
// the steps of the last incremental round alone. Each incremental round prints its CPU seconds and
// the bytes and write calls it made (/proc/self/io); SYNC_BENCH_WINDOW=1 prints its CLOCK_MONOTONIC
// window, and the first sync's, to cut a whole-run `perf record -k CLOCK_MONOTONIC` with
// `perf report --time`. SYNC_BENCH_KEEP=1 leaves the folder and its stores. SYNC_BENCH_BATCH=n syncs in batches of n records (default 2,000).
import Foundation
import GRDB
import GlossCore
import GlossServer
import GlossStore
import GlossSync
import Logging

func peakRSSMB(_ field: String = "VmHWM:") -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field) {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
        return kb / 1024
    }
    return -1
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// CPU seconds used by this process so far (every thread: the phases below run alone).
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func format(_ s: Double) -> String { String(format: "%.3f s", s) }

let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let count = args.first ?? 100_000
let incremental = args.dropFirst().first ?? 10_000
let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gloss-syncbench-\(UUID().uuidString.prefix(8))")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { if ProcessInfo.processInfo.environment["SYNC_BENCH_KEEP"] != "1" { try? FileManager.default.removeItem(at: folder) } }

/// The ID of the benchmark's note `n`. By default an ID like the store's own (`DomainID`: "n-" and
/// 12 hex digits that look random, from a bijection of `n`, so the same every run), since a
/// first sync inserts IDs into the `records` ID index in feed order and random IDs touch pages
/// all over it; `SYNC_BENCH_IDS=sequential` names them "note-N", as this benchmark did until
/// 30 November 2026, which kept those inserts near one another.
let sequentialIDs = ProcessInfo.processInfo.environment["SYNC_BENCH_IDS"] == "sequential"
func noteID(_ n: Int) -> String {
    if sequentialIDs { return "note-\(n)" }
    let mixed = (UInt64(n) &* 0x9E37_79B9_7F4B) & 0xFFFF_FFFF_FFFF  // odd multiplier: a bijection mod 2^48
    let hex = String(mixed, radix: 16)
    return "n-" + String(repeating: "0", count: 12 - hex.count) + hex
}

print("SyncBenchmark: \(count) records, \(incremental) incremental changes (folder \(folder.path)), IDs \(sequentialIDs ? "note-N" : "like DomainID's")")

// 1. A source replica with `count` notes.
let source = try ReplicaStore.create(at: folder.appendingPathComponent("source.sqlite"), name: "source")
let seedTime = try await seconds {
    var i = 0
    while i < count {
        let end = min(i + 10_000, count)
        _ = try source.write { w in
            for n in i..<end {
                try w.update(noteID(n), kind: .note) { e in
                    e.set("title", .string("Troop numbers, estimate \(n)"))
                    e.set("body", .string("US estimate 3,000-6,000 [RFE/RL 2016]; 1,140 withdrawn [Lavrov 2017] #\(n)"))
                    e.add("syria", to: "tags")
                }
            }
        }
        i = end
    }
}
print("seed: \(count) local writes in \(format(seedTime))")

// 2. Baseline: the same rows copied between two SQLite files, three times (each into a new
// file): one copy took 1.0 s or 2.2 s in the same session, probably as the kernel was or was
// not still writing the seed's pages back; the ratios below are to the median.
var copyTimes: [Double] = []
for round in 0..<3 {
    let copy = folder.appendingPathComponent("copy-\(round).sqlite")
    copyTimes.append(try await seconds {
        let target = try DatabaseQueue(path: copy.path)
        try target.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [source.fileURL.path])
            try db.inTransaction {
                try db.execute(sql: "CREATE TABLE records AS SELECT * FROM src.records WHERE 0")
                try db.execute(sql: "INSERT INTO records SELECT * FROM src.records")
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE src")
        }
        try target.close()
    })
    try FileManager.default.removeItem(at: copy)
}
let copyTime = copyTimes.sorted()[1]
print("baseline: copy \(count) record rows between two SQLite files (INSERT ... SELECT): \(format(copyTime)) (median of \(copyTimes.map(format).joined(separator: ", ")))")

// 3. Serve the source on loopback.
var logger = Logger(label: "bench")
logger.logLevel = .warning
let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
let serverTask = Task {
    let app = SyncServer.makeApplication(
        store: source, configuration: SyncServerConfiguration(host: "127.0.0.1", port: 0, token: "bench-token"),
        logger: logger, onRunning: { port in portContinuation.yield(port) })
    try await app.runService(gracefulShutdownSignals: [])
}
func firstPort(_ stream: AsyncStream<Int>) async -> Int? {
    for await port in stream { return port }
    return nil
}
guard let port = await firstPort(portStream) else { fatalError("server did not start") }
let url = URL(string: "http://127.0.0.1:\(port)")!
print("server: \(url)")

/// A store that times its `apply` calls (wall, and CPU of the calling thread) and passes
/// everything else through: how long the pull's apply stage took inside a real sync, beside the
/// phases measured alone.
final class TimedApplyStore: SyncStore, @unchecked Sendable {  // the engine applies one page at a time
    let inner: ReplicaStore
    private(set) var wall = 0.0, threadCPU = 0.0

    init(_ inner: ReplicaStore) { self.inner = inner }

    private func timed<T>(_ body: () throws -> T) rethrows -> T {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        let (w, c) = (DispatchTime.now().uptimeNanoseconds, Double(t.tv_sec) + Double(t.tv_nsec) / 1e9)
        defer {
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            wall += Double(DispatchTime.now().uptimeNanoseconds - w) / 1e9
            threadCPU += Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 - c
        }
        return try body()
    }

    var replicaID: ReplicaID { inner.replicaID }
    var name: String { inner.name }
    func changes(since cursor: Int64, limit: Int, maxBytes: Int, excluding peer: ReplicaID?) throws -> ChangeBatch {
        try inner.changes(since: cursor, limit: limit, maxBytes: maxBytes, excluding: peer)
    }
    func apply(_ states: [GlossCore.Record], from peer: ReplicaID?, cursor: PullCursor?) throws -> ApplyOutcome {
        try timed { try inner.apply(states, from: peer, cursor: cursor) }
    }
    func apply(
        _ states: [GlossCore.Record], canonical: [Data?], from peer: ReplicaID?, cursor: PullCursor?, insertFirst: Bool
    ) throws -> ApplyOutcome {
        try timed { try inner.apply(states, canonical: canonical, from: peer, cursor: cursor, insertFirst: insertFirst) }
    }
    /// Builds the indexes a first sync deferred: part of applying, timed with it.
    func finishPull() throws -> ApplyOutcome { try timed { try inner.finishPull() } }
    func cursors(for peer: ReplicaID) throws -> PeerCursors { try inner.cursors(for: peer) }
    func setPushCursor(_ position: Int64, for peer: ReplicaID) throws { try inner.setPushCursor(position, for: peer) }
    func rememberReplica(_ id: ReplicaID, name: String) throws { try inner.rememberReplica(id, name: name) }
    func proposeEpoch(to peer: ReplicaID) throws -> SyncEpoch { try inner.proposeEpoch(to: peer) }
    func commitEpoch(_ epoch: String, with peer: ReplicaID) throws { try inner.commitEpoch(epoch, with: peer) }
    func requireRekey(_ reason: String) throws { try inner.requireRekey(reason) }
    func acceptEpoch(from peer: ReplicaID, presented: String?, next: String) throws -> ReplicaStore.EpochAnswer {
        try inner.acceptEpoch(from: peer, presented: presented, next: next)
    }
}

/// Records per batch (`SYNC_BENCH_BATCH`, default the engine's 2,000), as `gloss sync --batch-records`.
let batchRecords = Int(ProcessInfo.processInfo.environment["SYNC_BENCH_BATCH"] ?? "") ?? SyncOptions().batchRecords

func sync(_ store: any SyncStore) async throws -> (SyncSummary, Double) {
    var summary: SyncSummary?
    let time = try await seconds {
        let client = try SyncClient(baseURL: url, token: "bench-token")
        summary = try await SyncEngine(store: store, transport: client, options: SyncOptions(batchRecords: batchRecords)).run()
    }
    return (summary!, time)
}

// 4. First sync into an empty replica.
var replica = try ReplicaStore.create(at: folder.appendingPathComponent("replica.sqlite"), name: "replica")

/// Closes the replica and opens it again; returns how long closing took. The store `gloss sync`
/// used is closed when the command ends, and closing copies what the WAL still holds into the
/// database file (`ReplicaStore.close`; SQLite's last connection does the same).
@MainActor func closeAndReopenReplica() throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try replica.close()
    let time = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    replica = try ReplicaStore.open(at: replica.fileURL)
    return time
}
let firstCPU = cpuSeconds()
let timedReplica = TimedApplyStore(replica)
var firstWindow = (timespec(), timespec())
clock_gettime(CLOCK_MONOTONIC, &firstWindow.0)
let (first, firstTime) = try await sync(timedReplica)
clock_gettime(CLOCK_MONOTONIC, &firstWindow.1)
let firstCPUTime = cpuSeconds() - firstCPU
precondition(first.pulled == count, "pulled \(first.pulled)")
let sameAfterFirst = try replica.stateHash() == source.stateHash()
precondition(sameAfterFirst, "replicas differ after the first sync")
print("first sync: \(first.pulled) records in \(format(firstTime)) (\(Int(Double(count) / firstTime)) records/s), \(first.requests) requests, CPU \(format(firstCPUTime)) (client and server)")
print(String(format: "  ratio to the SQLite copy baseline: %.1fx (peak RSS %.1f MB, now %.1f MB)", firstTime / copyTime, peakRSSMB(), peakRSSMB("VmRSS:")))
print(String(format: "  applying the pages inside it: %.3f s (%.3f s of its thread's CPU): the rest of the sync, client and server, shares the same cores meanwhile",
             timedReplica.wall, timedReplica.threadCPU))
if ProcessInfo.processInfo.environment["SYNC_BENCH_WINDOW"] == "1" {
    let (t0, t1) = firstWindow
    print("  window (CLOCK_MONOTONIC, for perf report --time): \(t0.tv_sec).\(String(format: "%06d", t0.tv_nsec / 1000)),\(t1.tv_sec).\(String(format: "%06d", t1.tv_nsec / 1000))")
}
print(String(format: "  bytes on the wire: %.1f MB pulled (gzip), %.1f bytes/record", Double(first.bytesPulled) / 1048576, Double(first.bytesPulled) / Double(count)))
// `gloss sync` indexes what it pulled for search before it finishes (the index follows the
// change feed); `SyncEngine` alone does not, so it is timed here and added for the command.
let indexWindowStart = monotonicNow()
let indexTime = try await seconds { try replica.updateSearchIndex() }
printWindow("the first sync's search index", from: indexWindowStart)
let firstCloseTime = try closeAndReopenReplica()
print(String(format: "  search index for the pulled records: %@, closing the store %@ (first sync + index + close, as `gloss sync` does it: %@, %.1fx the copy)",
             format(indexTime), format(firstCloseTime), format(firstTime + indexTime + firstCloseTime), (firstTime + indexTime + firstCloseTime) / copyTime))
print(String(format: "  peak RSS so far: %.1f MB (now %.1f MB)", peakRSSMB(), peakRSSMB("VmRSS:")))

/// Wall and CPU seconds per named step, for the SYNC_BENCH_PHASES=1 breakdowns: each step timed
/// alone (no network, no overlap between steps; the process's CPU: nothing else runs meanwhile).
final class PhaseTimes {
    private(set) var wall: [String: Double] = [:], cpu: [String: Double] = [:]

    func step<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let (w, c) = (DispatchTime.now().uptimeNanoseconds, cpuSeconds())
        defer {
            wall[name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - w) / 1e9
            cpu[name, default: 0] += cpuSeconds() - c
        }
        return try body()
    }

    /// The steps of `pullPage`, in order.
    static let pullSteps = ["serve pages (read rows, build JSON)", "gzip", "gunzip", "decode and validate states"]

    /// One page of `service`'s feed after `since` for `peer`, as a pull gets it: served, gzipped,
    /// gunzipped and decoded, each step timed.
    func pullPage(from service: SyncService, since: Int64, peer: ReplicaID) throws -> ChangesPage {
        let body = try step(Self.pullSteps[0]) { try service.changes(since: since, limit: 2_000, peer: peer) }
        let packed = try step(Self.pullSteps[1]) { try Gzip.compress(body) }
        let plain = try step(Self.pullSteps[2]) { try Gzip.decompress(packed) }
        return try step(Self.pullSteps[3]) { try ChangesPage.decode(plain, from: "bench") }
    }
}

// 4b. Where a first sync's time goes (SYNC_BENCH_PHASES=1): the same pages pulled by hand into
// another empty replica, each step timed alone (no network, no overlap between steps), in wall
// and CPU seconds (the process's: nothing else runs meanwhile).
if ProcessInfo.processInfo.environment["SYNC_BENCH_PHASES"] == "1" {
    let target = try ReplicaStore.create(at: folder.appendingPathComponent("phases.sqlite"), name: "phases")
    let service = SyncService(store: source)
    let times = PhaseTimes()
    var since: Int64 = 0
    var insertFirst = true
    while true {
        let pulled = try times.pullPage(from: service, since: since, peer: target.replicaID)
        let cursor = PullCursor(peer: source.replicaID, position: pulled.next)
        let outcome = try times.step("apply (insert rows)") {
            try target.apply(pulled.states, canonical: pulled.canonical, from: source.replicaID, cursor: cursor, insertFirst: insertFirst)
        }
        insertFirst = outcome.created * 2 >= pulled.states.count && !pulled.states.isEmpty
        guard pulled.hasMore else { break }
        since = pulled.next
    }
    let rssBeforeIndex = peakRSSMB()
    _ = try times.step("search index") { try target.updateSearchIndex() }
    print("  phases of a first sync, each alone (SYNC_BENCH_PHASES=1): wall s, ratio to the copy, CPU s")
    for name in PhaseTimes.pullSteps + ["apply (insert rows)", "search index"] {
        let w = times.wall[name] ?? 0, c = times.cpu[name] ?? 0
        print("    " + name.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%7.3f s  %5.1fx  %7.3f s", w, w / copyTime, c))
    }
    print(String(format: "    peak RSS before the search index %.1f MB, after %.1f MB", rssBeforeIndex, peakRSSMB()))
}

// 5. No-op sync.
var noopTimes: [Double] = []
for _ in 0..<5 {
    let (noop, time) = try await sync(replica)
    precondition(noop.pulled == 0 && noop.pushed == 0, "no-op sync moved records")
    noopTimes.append(time)
}
print("no-op sync: \(format(noopTimes.sorted()[2])) median of 5, 0 records moved")

/// This process's I/O counters so far (/proc/self/io): bytes written to storage, write calls.
func ioCounters() -> (written: Double, writeCalls: Double) {
    guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return (-1, -1) }
    var values: [String: Double] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":")
        if parts.count == 2 { values[String(parts[0])] = Double(parts[1].trimmingCharacters(in: .whitespaces)) }
    }
    return (values["wchar"] ?? -1, values["syscw"] ?? -1)
}

/// CLOCK_MONOTONIC now, as perf report --time writes it (seconds.microseconds).
func monotonicNow() -> String {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return "\(t.tv_sec).\(String(format: "%06d", t.tv_nsec / 1000))"
}

/// With SYNC_BENCH_WINDOW=1, prints the window of a step from `start` to now, for perf report --time.
func printWindow(_ step: String, from start: String) {
    guard ProcessInfo.processInfo.environment["SYNC_BENCH_WINDOW"] == "1" else { return }
    print("  window of \(step) (CLOCK_MONOTONIC, for perf report --time): \(start),\(monotonicNow())")
}

/// Where an incremental sync's time goes (SYNC_BENCH_PHASES=1, last of SYNC_BENCH_ROUNDS ≥ 2):
/// the changed states pulled by hand, page by page as the engine does, each step timed alone
/// (no network, no overlap), in wall and CPU seconds, then the push side's scan of the feed (the
/// pulled records, all skipped as the peer's own) and the search catch-up.
@MainActor func incrementalPhases() throws {
    let service = SyncService(store: source)
    let times = PhaseTimes()
    let pushFrom = try replica.cursors(for: source.replicaID).push
    var since = try replica.cursors(for: source.replicaID).pull
    var pulled = 0
    while true {
        let page = try times.pullPage(from: service, since: since, peer: replica.replicaID)
        let cursor = PullCursor(peer: source.replicaID, position: page.next)
        if !page.states.isEmpty || page.next != since {
            if ProcessInfo.processInfo.environment["SYNC_BENCH_WINDOW"] == "1" {
                var t = timespec()
                clock_gettime(CLOCK_MONOTONIC, &t)
                print("  apply starts at \(t.tv_sec).\(String(format: "%06d", t.tv_nsec / 1000)) (CLOCK_MONOTONIC)")
            }
            _ = try times.step("apply (read, merge, rewrite rows)") {
                try replica.apply(page.states, canonical: page.canonical, from: source.replicaID, cursor: cursor, insertFirst: false)
            }
        }
        pulled += page.states.count
        guard page.hasMore, page.next > since else { break }
        since = page.next
    }
    var scanFrom = pushFrom
    while true {
        let batch = try times.step("push side: scan the feed") {
            try replica.changes(since: scanFrom, limit: 2_000, maxBytes: 4 * 1024 * 1024, excluding: source.replicaID)
        }
        guard batch.hasMore, batch.next > scanFrom else { break }
        scanFrom = batch.next
    }
    _ = try times.step("search index") { try replica.updateSearchIndex() }
    // What the sync left in the WAL for a later checkpoint (the store's own checkpoints ran in
    // the steps above): copied to the database file here, as closing the store would.
    let checkpointer = try DatabaseQueue(path: replica.fileURL.path)
    try times.step("checkpoint of what is left in the WAL") {
        try checkpointer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }
    try checkpointer.close()
    print("  phases of this incremental sync of \(pulled) states, each alone (SYNC_BENCH_PHASES=1): wall s, CPU s")
    let rest = ["apply (read, merge, rewrite rows)", "push side: scan the feed", "search index", "checkpoint of what is left in the WAL"]
    for name in PhaseTimes.pullSteps + rest {
        print("    " + name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%7.3f s  %7.3f s", times.wall[name] ?? 0, times.cpu[name] ?? 0))
    }
    let same = try replica.stateHash() == source.stateHash()
    precondition(same, "replicas differ after the incremental phases")
}

// 6. Incremental: change `incremental` notes on the source, sync. SYNC_BENCH_ROUNDS=k repeats
// it k times (the same notes changed again each round), the first round being the figure.
let rounds = max(1, Int(ProcessInfo.processInfo.environment["SYNC_BENCH_ROUNDS"] ?? "") ?? 1)
for round in 0..<rounds {
    _ = try source.write { w in
        for n in 0..<incremental {
            let title = round == 0 ? "Revised estimate \(n)" : "Revised estimate \(n), round \(round)"
            try w.update(noteID(n * max(1, count / incremental) % count), kind: .note) { e in e.set("title", .string(title)) }
        }
    }
    if round > 0 && round == rounds - 1 && ProcessInfo.processInfo.environment["SYNC_BENCH_PHASES"] == "1" {
        try incrementalPhases()
        continue
    }
    var t0 = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t0)
    let (io0, cpu0) = (ioCounters(), cpuSeconds())
    let (inc, incTime) = try await sync(replica)
    let (io1, cpu1) = (ioCounters(), cpuSeconds())
    print("incremental sync: \(inc.pulled) changed records into a \(count)-record store in \(format(incTime)), \(String(format: "%.1f", Double(inc.bytesPulled) / Double(max(inc.pulled, 1)))) bytes/record" + String(format: " (peak RSS %.1f MB)", peakRSSMB()))
    let incIndexWindowStart = monotonicNow()
    let incIndexTime = try await seconds { try replica.updateSearchIndex() }
    printWindow("the incremental sync's search index", from: incIndexWindowStart)
    let incCloseTime = try closeAndReopenReplica()
    let (io2, cpu2) = (ioCounters(), cpuSeconds())
    var t1 = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t1)
    if ProcessInfo.processInfo.environment["SYNC_BENCH_WINDOW"] == "1" {
        print("  window (CLOCK_MONOTONIC, for perf report --time): \(t0.tv_sec).\(String(format: "%06d", t0.tv_nsec / 1000)),\(t1.tv_sec).\(String(format: "%06d", t1.tv_nsec / 1000))")
    }
    print("  search index for them: \(format(incIndexTime)), closing the store \(format(incCloseTime)) (incremental + index + close, as `gloss sync` does it: \(format(incTime + incIndexTime + incCloseTime)))")
    print(String(
        format: "  CPU %.3f s + %.3f s; written (wchar) %.1f MB in %.0f calls + %.1f MB in %.0f calls",
        cpu1 - cpu0, cpu2 - cpu1, (io1.written - io0.written) / 1048576, io1.writeCalls - io0.writeCalls,
        (io2.written - io1.written) / 1048576, io2.writeCalls - io1.writeCalls))
    let sameAfterIncremental = try replica.stateHash() == source.stateHash()
    precondition(sameAfterIncremental, "replicas differ after the incremental sync")
}

// 7. Push direction: the replica changes `incremental` notes and pushes them.
_ = try replica.write { w in
    for n in 0..<incremental { try w.update("pushed-\(n)", kind: .note) { e in e.set("title", .string("from the replica \(n)")) } }
}
let (push, pushTime) = try await sync(replica)
print("push: \(push.pushed) new records in \(format(pushTime)), \(String(format: "%.1f", Double(push.bytesPushed) / Double(max(push.pushed, 1)))) bytes/record before gzip")

print(String(format: "peak RSS (VmHWM, client + server in one process): %.1f MB", peakRSSMB()))

// 8. A second baseline, for comparison only (the goal is against the first): the same rows
// copied into the store's own `records` table (its CREATE statements, read from the source; the
// store's 16 KiB pages, WAL and 24 MiB cache), its indexes created after the rows, as a first
// sync does; still no `history` rows, JSON, network or validation. Taken last, so its index
// builds do not raise the peak RSS printed above.
var schemaCopyTimes: [Double] = []
let recordsSchema = try source.read { db in
    try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'records' AND sql IS NOT NULL ORDER BY type = 'index', name")
}
for round in 0..<3 {
    let copy = folder.appendingPathComponent("schema-copy-\(round).sqlite")
    schemaCopyTimes.append(try await seconds {
        let target = try DatabaseQueue(path: copy.path)
        try target.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA cache_size = -24576")
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [source.fileURL.path])
            try db.inTransaction {
                try db.execute(sql: recordsSchema[0])
                try db.execute(sql: "INSERT INTO records SELECT * FROM src.records")
                for index in recordsSchema.dropFirst() { try db.execute(sql: index) }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE src")
        }
        try target.close()
    })
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy.path + suffix) }
}
let schemaCopyTime = schemaCopyTimes.sorted()[1]
print("second baseline: the same rows into the store's own records table, indexes made after: \(format(schemaCopyTime)) (median of \(schemaCopyTimes.map(format).joined(separator: ", ")); \(recordsSchema.count - 1) indexes)")
print(String(format: "  the first sync's ratio to it: %.1fx", firstTime / schemaCopyTime))

serverTask.cancel()
_ = try? await serverTask.value
