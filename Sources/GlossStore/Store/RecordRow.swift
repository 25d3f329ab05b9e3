import Foundation
import GRDB
import GlossCore

/// Reading and writing the `records` and `history` rows of one record inside a transaction.
/// Every change to a record goes through `save`, so the change feed and history can never
/// disagree with the record, and the search index, which follows the feed (`SearchIndexer`),
/// sees every change.
enum RecordRow {
    struct Current {
        let rowID: Int64
        let record: Record
        /// The stored bytes of `record` (kept in history when this state is superseded).
        let data: Data
        /// The row's indexed columns as stored: a save rewrites them (and their index entries)
        /// only when they change.
        var parent: String? = nil
        var conflicted = false
        /// The record's latest history row (`records.last_history`): the row a save links its
        /// new history row to (see `HistoryChain`).
        var lastHistory: Int64? = nil
    }

    static let selectSQL = "SELECT rowid, state, parent, conflicted, last_history FROM records WHERE id = ?"

    static func fetch(_ id: String, _ db: Database) throws -> Current? {
        try fetch(id, with: RawStatement(db, sql: selectSQL), db)
    }

    /// `fetch` with the select statement of a transaction's `Batch`.
    static func fetch(_ id: String, with select: RawStatement, _ db: Database) throws -> Current? {
        select.reset()
        select.bind(1, id)
        guard try select.step(db) else { return nil }
        let rowID = select.int64(0)
        let data = select.data(1)
        let parent = select.text(2)
        let conflicted = select.int64(3) != 0
        let lastHistory = select.isNull(4) ? nil : select.int64(4)
        select.reset()
        do {
            return Current(
                rowID: rowID, record: try Record.decode(data), data: data, parent: parent, conflicted: conflicted,
                lastHistory: lastHistory)
        } catch {
            throw GlossError(.io, "record \(id) is unreadable in the store: \(error)", cause: error)
        }
    }

    static func nextSeq(_ db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(sql: "SELECT MAX(seq) FROM records")
        return (try Int64.fetchOne(statement) ?? 0) + 1
    }

    static func nextHistoryID(_ db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(sql: "SELECT MAX(id) FROM history")
        return (try Int64.fetchOne(statement) ?? 0) + 1
    }

    /// One transaction's saves: hands out feed positions and history row ids (the first of each
    /// from its table, the rest counted on: one `MAX` query per transaction instead of one per
    /// saved state), and keeps what every save reuses: the prepared statements, bound through
    /// SQLite's C API, and the buffers states and history texts are encoded into. Make one per
    /// transaction.
    final class Batch {
        private var next: Int64?
        private var nextHistory: Int64?
        private var prepared: Statements?
        /// The state being saved, canonically encoded.
        fileprivate let state = CanonicalBuffer()
        /// The history row's authors and dots texts.
        fileprivate var authors: [UInt8] = []
        fileprivate var dots: [UInt8] = []

        init() {}

        func allocate(_ db: Database) throws -> Int64 { try allocate(1, db) }

        /// The first of `count` consecutive feed positions.
        func allocate(_ count: Int, _ db: Database) throws -> Int64 {
            let seq = try next ?? RecordRow.nextSeq(db)
            next = seq + Int64(count)
            return seq
        }

        /// Takes back the positions handed out from `first` on (their rows were not written).
        func release(from first: Int64) { next = first }

        /// The first of `count` consecutive history row ids. Ids are handed out in the order rows
        /// are written, so history stays ordered by id (see `HistoryChain`).
        func allocateHistory(_ count: Int, _ db: Database) throws -> Int64 {
            let id = try nextHistory ?? RecordRow.nextHistoryID(db)
            nextHistory = id + Int64(count)
            return id
        }

        /// Takes back the history ids handed out from `first` on.
        func releaseHistory(from first: Int64) { nextHistory = first }

        /// The statements of `RecordRow`, prepared on first use.
        func statements(_ db: Database) throws -> Statements {
            if let prepared { return prepared }
            let made = try Statements(db)
            prepared = made
            return made
        }

        /// The update setting `parent` and `conflicted` only when they change (see `updateRecordSQL`).
        private var updates: [RawStatement?] = [nil, nil, nil, nil]

        func update(parent: Bool, conflicted: Bool, _ db: Database) throws -> RawStatement {
            let index = (parent ? 1 : 0) + (conflicted ? 2 : 0)
            if let statement = updates[index] { return statement }
            let made = try RawStatement(db, sql: RecordRow.updateRecordSQL(parent: parent, conflicted: conflicted))
            updates[index] = made
            return made
        }
    }

    struct Statements {
        let select: RawStatement
        let insert: RawStatement
        let history: RawStatement

        init(_ db: Database) throws {
            select = try RawStatement(db, sql: RecordRow.selectSQL)
            insert = try RawStatement(db, sql: RecordRow.insertRecordSQL)
            history = try RawStatement(db, sql: RecordRow.insertHistorySQL)
        }
    }

    /// A new record's row: id, kind, parent, state, seq, source_peer, deleted, conflicted,
    /// updated_at, last_history.
    static let insertRecordSQL = insertRecordsSQL(rows: 1)

    /// `insertRecordSQL` for `rows` rows in one statement (parameters row after row, as
    /// `bindRecordRow` binds them).
    static func insertRecordsSQL(rows: Int) -> String {
        "INSERT INTO records(id, kind, parent, state, seq, source_peer, deleted, conflicted, updated_at, last_history) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// The parameters of one row of `insertRecordsSQL`.
    static let recordRowParameters: Int32 = 10

    /// A record's new state: state, seq, source_peer, deleted, updated_at, rowid, then, when
    /// set, parent and conflicted, then last_history. Parent and conflicted are indexed: setting
    /// one, even to its value, makes SQLite rewrite its index entries, so they are set only when
    /// they change.
    static func updateRecordSQL(parent: Bool, conflicted: Bool) -> String {
        "UPDATE records SET state = ?1, seq = ?2, source_peer = ?3, deleted = ?4, updated_at = ?5, last_history = ?9"
            + (parent ? ", parent = ?7" : "") + (conflicted ? ", conflicted = ?8" : "") + " WHERE rowid = ?6"
    }

    /// A history row: id, record_id, seq, applied_at, origin, authors, dots, previous (the state
    /// it superseded; its own state is stored once, elsewhere), prev (the record's history row
    /// before it). See `HistoryChain`.
    static let insertHistorySQL = insertHistorySQL(rows: 1)

    /// `insertHistorySQL` for `rows` rows in one statement (parameters row after row, as
    /// `bindHistoryRow` binds them).
    static func insertHistorySQL(rows: Int) -> String {
        "INSERT INTO history(id, record_id, seq, applied_at, origin, authors, dots, state, previous, prev) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, X'', ?, ?)", count: rows).joined(separator: ", ")
    }

    /// The parameters of one row of `insertHistorySQL`.
    static let historyRowParameters: Int32 = 9

    /// Binds a new record's row (`insertRecordSQL`, or a variant with its parameters) to
    /// `insert` and runs it.
    static func insertRow(
        _ insert: RawStatement, _ record: Record, parent: String?, state: UnsafeRawBufferPointer, seq: Int64,
        sourcePeer: ReplicaID?, at time: Int64, history: Int64, _ db: Database
    ) throws {
        insert.reset()
        bindRecordRow(
            insert, after: 0, record, parent: parent, state: state, seq: seq, sourcePeer: sourcePeer, at: time, history: history)
        try insert.execute(db)
    }

    /// Binds a new record's row to the parameters of `insert` that follow parameter `offset`
    /// (0 for the first row of `insertRecordsSQL`, `recordRowParameters` for the second...).
    static func bindRecordRow(
        _ insert: RawStatement, after offset: Int32, _ record: Record, parent: String?, state: UnsafeRawBufferPointer,
        seq: Int64, sourcePeer: ReplicaID?, at time: Int64, history: Int64
    ) {
        insert.bind(offset + 1, record.id)
        insert.bind(offset + 2, record.kind.rawValue)
        insert.bind(offset + 3, parent)
        insert.bindBlob(offset + 4, state)
        insert.bind(offset + 5, seq)
        insert.bind(offset + 6, sourcePeer?.rawValue)
        insert.bind(offset + 7, record.isDeleted)
        insert.bind(offset + 8, record.isConflicted)
        insert.bind(offset + 9, time)
        insert.bind(offset + 10, history)
    }

    /// Saves `record` as the new state of its row, with a new feed position (from `batch`, one
    /// per transaction; the search index catches up from it) and a history row. `previous` is the
    /// state it replaces (nil for a new record). `localDot`, for a local operation, is the one
    /// write it made (the history row's dots, without comparing version vectors).
    static func save(
        _ record: Record, previous: Current?, origin: String, sourcePeer: ReplicaID?, at time: Int64,
        seqs batch: Batch, localDot: Dot? = nil, _ db: Database
    ) throws -> Int64 {
        let seq = try batch.allocate(db)
        let historyID = try batch.allocateHistory(1, db)
        let statements = try batch.statements(db)
        record.canonicalData(into: batch.state)
        let parent = record.string(FieldName.document)
        if let previous {
            let conflicted = record.isConflicted
            let setParent = parent != previous.parent, setConflicted = conflicted != previous.conflicted
            let update = try batch.update(parent: setParent, conflicted: setConflicted, db)
            update.reset()
            batch.state.withBytes { update.bindBlob(1, $0) }
            update.bind(2, seq)
            update.bind(3, sourcePeer?.rawValue)
            update.bind(4, record.isDeleted)
            update.bind(5, time)
            update.bind(6, previous.rowID)
            if setParent { update.bind(7, parent) }
            if setConflicted { update.bind(8, conflicted) }
            update.bind(9, historyID)
            try update.execute(db)
        } else {
            try batch.state.withBytes { state in
                try insertRow(
                    statements.insert, record, parent: parent, state: state, seq: seq, sourcePeer: sourcePeer, at: time,
                    history: historyID, db)
            }
        }
        // The new state is stored once, in `records`; the superseded one leaves `records` and is
        // kept here, in a row linked to the record's previous one (see `HistoryChain`).
        try appendHistory(
            historyID, record.id, seq: seq, at: time, origin: origin,
            dots: localDot.map { [$0] } ?? newDots(in: record, since: previous?.record.version ?? VersionVector()),
            previous: previous?.data, prev: previous?.lastHistory, statements.history, batch, db)
        return seq
    }

    /// Appends a record's history row (see `insertHistorySQL`).
    static func appendHistory(
        _ historyID: Int64, _ id: String, seq: Int64, at time: Int64, origin: String, dots: [Dot], previous: Data?, prev: Int64?,
        _ history: RawStatement, _ batch: Batch, _ db: Database
    ) throws {
        history.reset()
        bindHistoryRow(
            history, after: 0, historyID, id, seq: seq, at: time, origin: origin, dots: dots, previous: previous, prev: prev, batch)
        try history.execute(db)
    }

    /// Binds a history row to the parameters of `history` that follow parameter `offset` (see
    /// `bindRecordRow`).
    static func bindHistoryRow(
        _ history: RawStatement, after offset: Int32, _ historyID: Int64, _ id: String, seq: Int64, at time: Int64, origin: String,
        dots: [Dot], previous: Data?, prev: Int64?, _ batch: Batch
    ) {
        history.bind(offset + 1, historyID)
        history.bind(offset + 2, id)
        history.bind(offset + 3, seq)
        history.bind(offset + 4, time)
        history.bind(offset + 5, origin)
        if dots.count == 1 {
            history.bind(offset + 6, dots[0].replica.rawValue)
        } else {
            authorsText(dots, into: &batch.authors)
            batch.authors.withUnsafeBufferPointer { history.bindText(offset + 6, $0) }
        }
        dotsText(dots, into: &batch.dots)
        batch.dots.withUnsafeBufferPointer { history.bindText(offset + 7, $0) }
        history.bind(offset + 8, previous)
        history.bind(offset + 9, prev)
    }

    /// `authorsText` as UTF-8, into `out` (replacing its contents).
    static func authorsText(_ dots: [Dot], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        for (i, replica) in (dots.count == 1 ? [dots[0].replica] : dots.map(\.replica).sorted()).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: replica.rawValue.utf8)
        }
    }

    /// `dotsText` as UTF-8, into `out` (replacing its contents).
    static func dotsText(_ dots: [Dot], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        for (i, dot) in dots.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: dot.replica.rawValue.utf8)
            out.append(UInt8(ascii: ":"))
            appendDecimal(dot.counter, &out)
        }
    }

    private static func appendDecimal(_ n: UInt64, _ out: inout [UInt8]) {
        let start = out.count
        var rest = n
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        out[start...].reverse()
    }

    /// The replicas of `dots`, sorted, comma-separated.
    static func authorsText(_ dots: [Dot]) -> String {
        // One dot per replica (new dots come from a version vector): no duplicates to drop.
        if dots.count == 1 { return dots[0].replica.rawValue }
        return dots.map(\.replica).sorted().map(\.rawValue).joined(separator: ",")
    }

    /// `replica:counter` for each dot, comma-separated.
    static func dotsText(_ dots: [Dot]) -> String {
        var text = ""
        for (i, dot) in dots.enumerated() {
            if i > 0 { text += "," }
            text += dot.replica.rawValue
            text += ":"
            text += String(dot.counter)
        }
        return text
    }

    /// The writes `record` carries beyond `old`: for each replica, the counters past old's.
    static func newDots(in record: Record, since old: VersionVector) -> [Dot] {
        record.version.counters.compactMap { replica, counter in
            counter > old[replica] ? Dot(replica: replica, counter: counter) : nil
        }.sorted()
    }
}
