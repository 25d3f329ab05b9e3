import Foundation
import GlossCore
import GlossStore

/// Options of one sync.
public struct SyncOptions: Sendable {
    /// Records per batch, each way.
    public var batchRecords: Int
    /// About how many bytes of states per pushed batch.
    public var batchBytes: Int
    /// Retries of transport failures.
    public var retry: RetryPolicy

    /// Options; the defaults suit a LAN or the Internet.
    public init(batchRecords: Int = 2_000, batchBytes: Int = 4 * 1024 * 1024, retry: RetryPolicy = RetryPolicy()) {
        self.batchRecords = batchRecords
        self.batchBytes = batchBytes
        self.retry = retry
    }
}

/// Syncs a local store with one peer: handshake, pull, then push, batch by batch.
///
/// - The pull cursor is stored in the same transaction as the batch it follows, so a crash never
///   loses or repeats a batch.
/// - The push cursor advances only after the peer acknowledged a batch; a lost answer means a
///   harmless re-send (merging is idempotent).
/// - States the peer sent are not pushed back to it, and the peer leaves out what we pushed: a
///   second sync moves nothing.
/// - Memory is bounded by `pagesAhead + 1` pages (one merged while the next are fetched and
///   decoded), whatever the number of changes.
public struct SyncEngine: Sendable {
    /// The local store.
    public let store: any SyncStore
    /// The peer.
    public let transport: any SyncTransport
    /// Batch sizes and retries.
    public let options: SyncOptions
    /// Called after the handshake and after each batch.
    public let progress: (@Sendable (SyncProgress) -> Void)?
    /// Called with the peer's answer once the handshake accepted it, before anything moves.
    public let accepted: (@Sendable (InfoResponse) throws -> Void)?

    /// An engine for one sync of `store` with the peer behind `transport`.
    public init(
        store: any SyncStore, transport: any SyncTransport, options: SyncOptions = SyncOptions(),
        progress: (@Sendable (SyncProgress) -> Void)? = nil, accepted: (@Sendable (InfoResponse) throws -> Void)? = nil
    ) {
        self.store = store
        self.transport = transport
        self.options = options
        self.progress = progress
        self.accepted = accepted
    }

    /// Runs one full sync and says what it did.
    public func run() async throws -> SyncSummary {
        let peerText = transport.peerDescription
        var requests = 0
        let info = try await options.retry.run("the handshake", peer: peerText) {
            requests += 1
            return try await transport.info()
        }
        try Self.checkHandshake(info, local: store, peer: peerText)
        try accepted?(info)
        try store.rememberReplica(info.replicaID, name: info.name)
        // Move the pair's epoch before anything else: a copy of this store that synced with the
        // peer since is detected here, before any state moves (see `SyncEpoch`).
        let epoch = try store.proposeEpoch(to: info.replicaID)
        // The name this replica gives itself, read once for the session and every pushed batch.
        let name = store.name
        let session = SessionRequest(from: store.replicaID, name: name, epoch: epoch.agreed, next: epoch.pending!)
        do {
            try await options.retry.run("the session", peer: peerText) {
                requests += 1
                try await transport.session(session)
            }
        } catch let error as GlossError where error.code == .counterReuse {
            try store.requireRekey(error.message)
            throw error
        }
        try store.commitEpoch(session.next, with: info.replicaID)
        progress?(SyncProgress(phase: .handshake, records: 0, bytes: 0))

        var summary = SyncSummary(peer: info.replicaID, peerName: info.name)
        let pullStart = try store.cursors(for: info.replicaID).pull
        do {
            try await pull(from: info.replicaID, since: pullStart, into: &summary, requests: &requests)
        } catch {
            _ = try? store.finishPull()
            throw error
        }
        let finished = try store.finishPull()
        summary.newConflicts += finished.newConflicts
        summary.dotCollisions += finished.dotCollisions
        try await push(to: info.replicaID, as: name, pulledFrom: pullStart, into: &summary, requests: &requests)
        summary.requests = requests
        return summary
    }

    /// Refuses a peer that speaks another protocol or schema, or that has our own replica ID.
    static func checkHandshake(_ info: InfoResponse, local: any SyncStore, peer: String) throws {
        guard info.protocolVersion == SyncProtocol.version else {
            throw GlossError(
                .versionMismatch,
                "\(peer) speaks sync protocol \(info.protocolVersion), this gloss speaks \(SyncProtocol.version): upgrade the older one. Nothing was changed.")
        }
        guard info.schema == SyncProtocol.schemaVersion else {
            throw GlossError(
                .versionMismatch,
                "\(peer) stores records in schema \(info.schema), this gloss uses \(SyncProtocol.schemaVersion): upgrade the older one. Nothing was changed.")
        }
        guard info.replicaID != local.replicaID else {
            throw GlossError(
                .counterReuse,
                "\(peer) has this store's own replica ID \(info.replicaID.short): one of the two is a copy of the other. Run `gloss rekey` on the copy, then sync. Nothing was changed.")
        }
    }

    private func pull(from peer: ReplicaID, since start: Int64, into summary: inout SyncSummary, requests: inout Int) async throws {
        var records = 0, bytes = 0
        let counter = RequestCounter()
        defer { requests += counter.value }
        // Pages are fetched ahead of the one being merged (`pagesAhead` of them), each asked for
        // as soon as the one before it arrived and decoded meanwhile: the network, decoding and
        // the database work at the same time. Memory holds at most `pagesAhead + 1` pages.
        // Asking for the next page only once the merge began, after decoding, a first sync of
        // 1M records waited 1.8-2.3 s of its 11-12 s for pages.
        var ahead: [Task<FetchedPage?, any Error>] = [Task { try await fetch(since: start, counter: counter) }]
        defer { for task in ahead { task.cancel() } }
        // A first sync brings mostly new records: insert them without looking each one up first
        // while pages keep being mostly new (a resumed first sync switches it on after a page).
        var insertFirst = start == 0
        while true {
            while ahead.count < Self.pagesAhead + 1 { ahead.append(fetchPage(after: ahead[ahead.count - 1], counter: counter)) }
            guard let fetched = try await ahead.removeFirst().value else { break }
            let page = try await fetched.decoded.value
            // A page that brings nothing and leaves the cursor where it is (every sync that
            // finds the peer quiet ends with one) has nothing to store: no write transaction.
            let outcome = page.states.isEmpty && page.next == fetched.since ? ApplyOutcome() : try store.apply(
                page.states, canonical: page.canonical, from: peer, cursor: PullCursor(peer: peer, position: page.next),
                insertFirst: insertFirst)
            insertFirst = outcome.created * 2 >= page.states.count && !page.states.isEmpty
            summary.newConflicts += outcome.newConflicts
            summary.dotCollisions += outcome.dotCollisions
            records += page.states.count
            bytes += page.wireBytes
            summary.pulled += page.states.count
            summary.bytesPulled += page.wireBytes
            progress?(SyncProgress(phase: .pull, records: records, bytes: bytes))
        }
    }

    /// How many pages a pull fetches ahead of the one it is merging.
    public static let pagesAhead = 2

    /// A page of the peer's feed being decoded, and the cursor it was asked from.
    struct FetchedPage: Sendable {
        var since: Int64
        var arrived: ArrivedPage
        var decoded: Task<ChangesPage, any Error>
        /// The cursor to ask from next; nil at the end of the feed (or for a page that does not
        /// move, which would loop forever).
        var next: Int64? { arrived.hasMore && arrived.next > since ? arrived.next : nil }
    }

    private func fetch(since: Int64, counter: RequestCounter) async throws -> FetchedPage {
        let arrived = try await options.retry.run("fetching changes", peer: transport.peerDescription) {
            counter.increment()
            return try await transport.arrivingChanges(since: since, limit: options.batchRecords, peer: store.replicaID)
        }
        return FetchedPage(since: since, arrived: arrived, decoded: Task { try arrived.decode() })
    }

    /// The page after the one `previous` fetches, asked for once that one arrived; nil when
    /// `previous` was the last (its failure is this one's too, and is thrown where `previous` is
    /// awaited first).
    private func fetchPage(after previous: Task<FetchedPage?, any Error>, counter: RequestCounter) -> Task<FetchedPage?, any Error> {
        Task {
            guard let since = try await previous.value?.next else { return nil }
            try Task.checkCancellation()
            return try await fetch(since: since, counter: counter)
        }
    }

    private func push(
        to peer: ReplicaID, as name: String, pulledFrom pullStart: Int64, into summary: inout SyncSummary, requests: inout Int
    ) async throws {
        let cursors = try store.cursors(for: peer)
        var cursor = cursors.push
        // Tell the peer how far we pulled, at least once when the pull moved, so it does not
        // send those states back when it syncs with us.
        var mustAcknowledge = cursors.pull > pullStart
        var records = 0, bytes = 0
        while true {
            let batch = try store.changes(since: cursor, limit: options.batchRecords, maxBytes: options.batchBytes, excluding: peer)
            if !batch.states.isEmpty || mustAcknowledge {
                mustAcknowledge = false
                let body = PushRequest.body(
                    from: store.replicaID, name: name, states: batch.states, since: cursor, next: batch.next,
                    pulled: cursors.pull)
                let answer = try await options.retry.run("sending changes", peer: transport.peerDescription) {
                    requests += 1
                    return try await transport.push(body)
                }
                summary.newConflictsOnPeer += answer.newConflicts
                summary.dotCollisions += answer.dotCollisions
                records += batch.states.count
                bytes += body.count
                summary.pushed += batch.states.count
                summary.bytesPushed += body.count
            }
            if batch.next > cursor { try store.setPushCursor(batch.next, for: peer) }
            progress?(SyncProgress(phase: .push, records: records, bytes: bytes))
            guard batch.hasMore, batch.next > cursor else { break }
            cursor = batch.next
        }
    }
}

/// Counts requests made from concurrent tasks.
final class RequestCounter: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
