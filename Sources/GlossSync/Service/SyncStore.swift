import Foundation
import GlossCore
import GlossStore

/// The store operations sync needs, so `SyncService` and `SyncEngine` can run over another store
/// (a PostgreSQL hub later) than the SQLite `ReplicaStore` that implements it first.
public protocol SyncStore: Sendable {
    /// This replica's ID.
    var replicaID: ReplicaID { get }
    /// This replica's display name.
    var name: String { get }
    /// One page of the change feed after `cursor`, skipping states that are exactly what `peer` sent.
    func changes(since cursor: Int64, limit: Int, maxBytes: Int, excluding peer: ReplicaID?) throws -> ChangeBatch
    /// Merges states in one transaction, storing `cursor` with them.
    func apply(_ states: [GlossCore.Record], from peer: ReplicaID?, cursor: PullCursor?) throws -> ApplyOutcome
    /// Merges pulled states like `apply`; `canonical[i]` is the canonical encoding of `states[i]`
    /// when known, and `insertFirst` says most states are expected to be new records (a first
    /// sync). Stores that have no faster way fall back to `apply`.
    func apply(
        _ states: [GlossCore.Record], canonical: [Data?], from peer: ReplicaID?, cursor: PullCursor?, insertFirst: Bool
    ) throws -> ApplyOutcome
    /// Ends what a pull's `apply(_:canonical:from:cursor:insertFirst:)` calls left for later
    /// (the SQLite store: indexes a first sync deferred, and records it stored twice meanwhile,
    /// merged now). Called when a pull ends, however; returns what that merging did.
    func finishPull() throws -> ApplyOutcome
    /// The pull and push cursors kept for `peer`.
    func cursors(for peer: ReplicaID) throws -> PeerCursors
    /// Records that `peer` acknowledged this replica's feed up to `position`.
    func setPushCursor(_ position: Int64, for peer: ReplicaID) throws
    /// Remembers a peer's display name.
    func rememberReplica(_ id: ReplicaID, name: String) throws
    /// The epoch to propose to `peer` (see `SyncEpoch`).
    func proposeEpoch(to peer: ReplicaID) throws -> SyncEpoch
    /// Records that `peer` accepted `epoch`.
    func commitEpoch(_ epoch: String, with peer: ReplicaID) throws
    /// Stops local writes until the store takes a new replica ID.
    func requireRekey(_ reason: String) throws
    /// Server side: accepts or refuses a peer's epoch move.
    func acceptEpoch(from peer: ReplicaID, presented: String?, next: String) throws -> ReplicaStore.EpochAnswer
}

extension SyncStore {
    public func apply(
        _ states: [GlossCore.Record], canonical: [Data?], from peer: ReplicaID?, cursor: PullCursor?, insertFirst: Bool
    ) throws -> ApplyOutcome {
        try apply(states, from: peer, cursor: cursor)
    }

    public func finishPull() throws -> ApplyOutcome { ApplyOutcome() }
}

extension ReplicaStore: SyncStore {
    public func finishPull() throws -> ApplyOutcome { try buildDeferredIndexes() }
}
