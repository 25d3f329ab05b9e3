import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Gives this store a new random replica ID, for a store restored from a backup or copied
    /// from another machine: two stores writing under one ID reuse counters, and a reused
    /// counter can make a merge drop a write (Riak's kv679). Returns the new ID; close this
    /// object and open the store again to write under it.
    ///
    /// Writes under the old ID that no peer has confirmed are re-stamped as new writes under the
    /// new ID, and the record's vector stops claiming those old counters. So they survive any
    /// merge with what the other copy wrote under the same counters: at worst they show up as
    /// conflicts, never silently lost. A peer has confirmed a record's old counters up to the
    /// highest in a state received from a peer, or in a state this store pushed and a peer
    /// acknowledged (a history row at or below a push cursor: the latest such row of a record
    /// is the state a push sent). Those writes keep their dots: re-stamping them too made this
    /// store's later edits conflict with its own earlier ones, and brought back tags and values
    /// that the other copy had removed after seeing them.
    ///
    /// The epochs agreed with peers are forgotten: peers knew this store by its old ID, and the
    /// epochs they hold for the old pair would refuse its first session under the new one (a
    /// rekeyed hub locked every client out). So are the cursors, pull and push, for every peer:
    /// the next sync with each re-exchanges everything once (merging what is already there
    /// changes nothing). A cursor may have been moved by a twin of the peer (a copy of the hub,
    /// say, whose feed numbers its own records): kept, it skipped the real peer's records for
    /// good (found by the copied-store property test, seed 79). And so is which peer sent each
    /// state (`source_peer`, which keeps a state from being sent back to where it came from):
    /// without the epochs, a second store with that peer's ID can no longer be told apart, and
    /// it was never sent what the first had sent (seed 891). Clears the "rekey required" flag.
    @discardableResult
    public func rekey() throws -> ReplicaID {
        let old = replicaID
        let new = ReplicaID.random()
        try wrapDatabaseErrors {
            try transaction { db in
                try checkIdentity(db)
                let time = clock()
                let seqs = RecordRow.Batch()
                var merged = ApplyOutcome()
                try buildDeferredIndexes(seqs: seqs, into: &merged, db)
                let pushed = try Int64.fetchOne(db, sql: "SELECT MAX(push_cursor) FROM sync_peers") ?? 0
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id FROM records WHERE instr(CAST(state AS TEXT), ?) > 0 ORDER BY seq", arguments: [old.rawValue])
                for row in rows {
                    let id: String = row["id"]
                    guard let current = try RecordRow.fetch(id, db) else { continue }
                    var confirmed: UInt64 = 0
                    for row in try HistoryChain.rows(of: id, db) where row.origin != "local" || row.seq <= pushed {
                        if let state = try? Record.decode(row.state) { confirmed = max(confirmed, state.version[old]) }
                    }
                    guard let restamped = Self.restamp(current.record, old: old, new: new, confirmed: confirmed, time: time) else {
                        continue
                    }
                    _ = try RecordRow.save(restamped, previous: current, origin: "local", sourcePeer: nil, at: time, seqs: seqs, db)
                }
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'replica_id'", arguments: [new.rawValue])
                try db.execute(sql: "DELETE FROM meta WHERE key = 'rekey_required'")
                try db.execute(sql: "UPDATE sync_peers SET epoch = NULL, pending_epoch = NULL, pull_cursor = 0, push_cursor = 0")
                try db.execute(sql: "UPDATE records SET source_peer = NULL WHERE source_peer IS NOT NULL")
                try db.execute(
                    sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('previous_replica_ids', coalesce((SELECT value || ',' FROM meta WHERE key = 'previous_replica_ids'), '') || ?)",
                    arguments: [old.rawValue])
                let name = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_name'") ?? new.short
                try db.execute(sql: "INSERT OR REPLACE INTO replicas(id, name) VALUES (?, ?)", arguments: [new.rawValue, name])
            }
        }
        return new
    }

    /// The record with `old`'s unconfirmed writes (counter > `confirmed`) moved to fresh dots of
    /// `new`, and its vector lowered to `confirmed` for `old`; nil when nothing changes.
    static func restamp(_ record: Record, old: ReplicaID, new: ReplicaID, confirmed: UInt64, time: Int64) -> Record? {
        guard record.version[old] > confirmed else { return nil }
        var counter: UInt64 = 0
        func fresh(_ dot: Dot) -> Dot {
            guard dot.replica == old, dot.counter > confirmed else { return dot }
            counter += 1
            return Dot(replica: new, counter: counter)
        }
        var fields: [String: MultiValueRegister] = [:]
        for (name, register) in record.fields.sorted(by: { $0.key < $1.key }) {
            fields[name] = MultiValueRegister(siblings: register.siblings.map {
                Sibling(value: $0.value, dot: fresh($0.dot), time: $0.dot.replica == old && $0.dot.counter > confirmed ? time : $0.time)
            })
        }
        var sets: [String: AddWinsSet] = [:]
        for (name, set) in record.sets.sorted(by: { $0.key < $1.key }) {
            var entries: [String: Set<Dot>] = [:]
            for (element, dots) in set.entries.sorted(by: { $0.key < $1.key }) {
                entries[element] = Set(dots.sorted().map(fresh))
            }
            sets[name] = AddWinsSet(entries: entries)
        }
        var counters = record.version.counters
        counters[old] = confirmed
        // Always advance the new ID at least once: the re-stamped state must be newer than the
        // old one for every peer, even when no value needed a new dot.
        counters[new] = max(counter, 1)
        return Record(id: record.id, kind: record.kind, version: VersionVector(counters), fields: fields, sets: sets)
    }
}
