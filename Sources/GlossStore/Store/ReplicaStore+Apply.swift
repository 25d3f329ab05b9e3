import Foundation
import GRDB
import GlossCore

/// What applying a batch of remote states did.
public struct ApplyOutcome: Sendable, Equatable {
    /// States that changed a record (new or merged).
    public var changed = 0
    /// States this replica already had (nothing written).
    public var unchanged = 0
    /// Records that became conflicted through this batch.
    public var newConflicts = 0
    /// Records where one dot carried two values (counter reuse detected on another replica).
    public var dotCollisions = 0
    /// States that made a new record (included in `changed`).
    public var created = 0

    public init() {}

    /// Counts `state`, stored as a new record.
    mutating func countCreated(_ state: Record) {
        changed += 1
        created += 1
        if state.isConflicted { newConflicts += 1 }
        if state.hasDotCollision { dotCollisions += 1 }
    }
}

/// Where to store a pull cursor, in the same transaction as the batch it follows.
public struct PullCursor: Sendable, Equatable {
    /// The peer the batch came from.
    public let peer: ReplicaID
    /// The peer's feed position after the batch.
    public let position: Int64

    public init(peer: ReplicaID, position: Int64) {
        self.peer = peer
        self.position = position
    }
}

extension ReplicaStore {
    /// Merges remote record states in one transaction, optionally storing a pull cursor with them.
    ///
    /// Idempotent: a state already seen writes nothing (no feed position, no history row).
    /// Refuses the whole batch, merging none of it, when a state carries a counter for this
    /// replica's own ID beyond what this store has: then this store's counters went back (it was
    /// restored or copied) or the ID is forged, and writing on would lose updates. That refusal
    /// does record one thing: the store then awaits `gloss rekey` (local writes are refused
    /// until then). Any holder of the sync token can cause it (tokens are not tied to replica
    /// IDs). Also refused, changing nothing, when another process rekeyed the store since this
    /// object opened it (`checkIdentity`).
    @discardableResult
    public func apply(_ states: [GlossCore.Record], from peer: ReplicaID?, cursor: PullCursor? = nil) throws -> ApplyOutcome {
        try recordingCounterReuse {
            try wrapDatabaseErrors {
                try transaction { db in
                    try checkIdentity(db)
                    return try applyInTransaction(states, from: peer, cursor: cursor, db)
                }
            }
        }
    }

    /// Runs an apply; when it refuses a batch for counter reuse, remembers that after its
    /// transaction rolled back, so no local write happens under the reused ID until `gloss rekey`.
    func recordingCounterReuse<T>(_ apply: () throws -> T) throws -> T {
        do {
            return try apply()
        } catch let error as GlossError where error.code == .counterReuse {
            try? requireRekey(error.message)
            throw error
        }
    }

    /// Checks, writing nothing, that `apply` would not refuse `states` for what this store
    /// holds: a record of another kind under the same ID, or a write under this replica's own ID
    /// beyond what this store made (then, as `apply` does, no local write happens until
    /// `gloss rekey`). For a payload of several batches checked before any is applied (a bundle):
    /// `kinds` holds the kinds of records that earlier batches bring and the store lacks, and is
    /// updated with this batch's.
    public func checkApplicable(_ states: [GlossCore.Record], kinds: inout [String: RecordKind]) throws {
        try recordingCounterReuse {
            try read { db in
                let select = try RawStatement(db, sql: "SELECT kind, state FROM records WHERE id = ?")
                for state in states {
                    select.reset()
                    select.bind(1, state.id)
                    guard try select.step(db) else {
                        select.reset()
                        if let earlier = kinds[state.id], earlier != state.kind {
                            throw GlossError(
                                .invalidInput, "record \(state.id) arrived as a \(earlier.rawValue) and again as a \(state.kind.rawValue)")
                        }
                        kinds[state.id] = state.kind
                        try checkOwnCounter(state, ours: 0)
                        continue
                    }
                    let kind = select.text(0)
                    // Only a state carrying a write of ours needs the stored state decoded.
                    let stored = state.version[replicaID] > 0 ? select.data(1) : nil
                    select.reset()
                    if kind != state.kind.rawValue {
                        throw GlossError(
                            .invalidInput, "record \(state.id) is a \(kind ?? "?") here but arrived as a \(state.kind.rawValue)")
                    }
                    if let stored {
                        let current: GlossCore.Record
                        do {
                            current = try GlossCore.Record.decode(stored)
                        } catch {
                            throw GlossError(.io, "record \(state.id) is unreadable in the store: \(error)", cause: error)
                        }
                        try checkOwnCounter(state, ours: current.version[replicaID])
                    }
                }
            }
        }
    }

    func applyInTransaction(_ states: [Record], from peer: ReplicaID?, cursor: PullCursor?, _ db: Database) throws -> ApplyOutcome {
        var outcome = ApplyOutcome()
        let time = clock()
        let origin = peer?.rawValue ?? "bundle"
        let seqs = RecordRow.Batch()
        try buildDeferredIndexes(seqs: seqs, into: &outcome, db)
        for state in states {
            try applyOne(state, from: peer, origin: origin, at: time, seqs: seqs, into: &outcome, db)
        }
        if let cursor { try storeCursor(cursor, at: time, db) }
        return outcome
    }

    /// Merges one remote state (the general path: read the record, merge, save what changed).
    func applyOne(
        _ state: Record, from peer: ReplicaID?, origin: String, at time: Int64, seqs: RecordRow.Batch,
        into outcome: inout ApplyOutcome, _ db: Database
    ) throws {
        let current = try RecordRow.fetch(state.id, with: seqs.statements(db).select, db)
        if let current, current.record.kind != state.kind {
            throw GlossError(
                .invalidInput, "record \(state.id) is a \(current.record.kind.rawValue) here but arrived as a \(state.kind.rawValue)")
        }
        try checkOwnCounter(state, ours: current?.record.version[replicaID] ?? 0)
        guard let current else {
            _ = try RecordRow.save(state, previous: nil, origin: origin, sourcePeer: peer, at: time, seqs: seqs, db)
            outcome.countCreated(state)
            return
        }
        let merged = current.record.merged(with: state)
        if merged == current.record {
            outcome.unchanged += 1
            return
        }
        _ = try RecordRow.save(
            merged, previous: current, origin: origin, sourcePeer: merged == state ? peer : nil, at: time, seqs: seqs, db)
        outcome.changed += 1
        if merged.isConflicted && !current.record.isConflicted { outcome.newConflicts += 1 }
        if merged.hasDotCollision && !current.record.hasDotCollision { outcome.dotCollisions += 1 }
    }

    /// Refuses a state carrying a write under this replica's own ID beyond `ours` (what this
    /// store has made of that record).
    func checkOwnCounter(_ state: Record, ours: UInt64) throws {
        let theirs = state.version[replicaID]
        if theirs > ours {
            throw GlossError(
                .counterReuse,
                "record \(state.id) arrived with write \(replicaID.short):\(theirs) under this replica's own ID, but this store only made \(ours). Either this store was restored from a backup or copied (run `gloss rekey` to take a new ID, then sync), or the sender forged the ID. Nothing from this batch was applied.")
        }
    }

    /// Stores a pull cursor (in the caller's transaction).
    func storeCursor(_ cursor: PullCursor, at time: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO sync_peers(peer_id, pull_cursor, last_sync) VALUES (?, ?, ?)
            ON CONFLICT(peer_id) DO UPDATE SET pull_cursor = excluded.pull_cursor, last_sync = excluded.last_sync
            """).execute(arguments: [cursor.peer.rawValue, cursor.position, time])
    }
}
