import Foundation
import GlossCore
import GlossStore

/// The serving side of sync, independent of HTTP: the handshake, pages of the change feed, and
/// pushed states. Routes (or an in-process transport) call it with raw bodies and query values;
/// every refusal is a `SyncRequestError` and leaves the store as it was.
public struct SyncService: Sendable {
    /// The served store.
    public let store: any SyncStore
    /// The most records one page holds.
    public let maxBatchRecords: Int
    /// About how many bytes of states one page holds.
    public let maxBatchBytes: Int

    /// A service over `store`.
    public init(store: any SyncStore, maxBatchRecords: Int = SyncProtocol.maxBatchRecords, maxBatchBytes: Int = SyncProtocol.maxBatchBytes) {
        self.store = store
        self.maxBatchRecords = maxBatchRecords
        self.maxBatchBytes = maxBatchBytes
    }

    /// `GET /v1/info`.
    public func info() -> InfoResponse {
        InfoResponse(replicaID: store.replicaID, name: store.name)
    }

    /// `POST /v1/session`: accepts a client's epoch move, or refuses a second store with the
    /// same replica ID (409 counter-reuse).
    public func session(body: Data) throws -> Data {
        let request: SessionRequest
        if JSONNesting.isTooDeep(body) {
            throw SyncRequestError.badRequest("malformed session body: JSON nested deeper than \(JSONNesting.maxDepth) levels")
        }
        do {
            request = try JSONDecoder().decode(SessionRequest.self, from: body)
        } catch let error as DecodingError {
            throw SyncRequestError.badRequest("malformed session body: \(SyncRequestError.describe(error))")
        }
        guard request.protocolVersion == SyncProtocol.version else {
            throw SyncRequestError.badRequest(
                "this server speaks sync protocol \(SyncProtocol.version), the request uses \(request.protocolVersion); upgrade the older gloss",
                code: .versionMismatch)
        }
        guard request.next.utf8.count <= 64, !request.next.isEmpty else {
            throw SyncRequestError.badRequest("`next` must be 1-64 characters")
        }
        if request.from == store.replicaID {
            throw SyncRequestError(
                status: 409, code: .counterReuse,
                "the client has this server's replica ID \(request.from.short): one of the two stores is a copy. Run `gloss rekey` on the copy, then sync.")
        }
        switch try internalErrors({ try store.acceptEpoch(from: request.from, presented: request.epoch, next: request.next) }) {
        case .accepted:
            break
        case .clientHasATwin:
            throw SyncRequestError(
                status: 409, code: .counterReuse,
                "another store with replica ID \(request.from.short) has synced with this server since this one last did: one of them is a copy or a restored backup, and writing on under one ID would lose updates. Run `gloss rekey` on this store (it keeps its changes), then sync again.")
        case .thisStoreHasATwin:
            // `conflict`, not `counter-reuse`: the client is not the one to take a new ID.
            throw SyncRequestError(
                status: 409, code: .conflict,
                "this server's store (replica \(store.replicaID.short)) has a twin, a copy or a restored backup with the same replica ID, that synced with this client; the server now awaits a new ID. Run `gloss rekey` on the server's store, restart `gloss serve`, then sync again. No record was changed.")
        }
        if !request.name.isEmpty { try? store.rememberReplica(request.from, name: request.name) }
        return Data("{\"protocol\":\(SyncProtocol.version),\"accepted\":true}".utf8)
    }

    /// `GET /v1/changes` from raw query values (`since`, `limit`, `peer`; all optional).
    public func changes(sinceText: String?, limitText: String?, peerText: String?) throws -> Data {
        var since: Int64 = 0
        if let sinceText {
            guard let value = Int64(sinceText), value >= 0 else {
                throw SyncRequestError.badRequest("`since` must be a feed position (an integer >= 0), got \(sinceText.prefix(40).debugDescription)")
            }
            since = value
        }
        var limit = maxBatchRecords
        if let limitText {
            guard let value = Int(limitText), value >= 1 else {
                throw SyncRequestError.badRequest("`limit` must be an integer >= 1, got \(limitText.prefix(40).debugDescription)")
            }
            limit = value
        }
        var peer: ReplicaID?
        if let peerText {
            guard let id = ReplicaID(peerText) else {
                throw SyncRequestError.badRequest("`peer` must be a replica ID (32 lowercase hex digits), got \(peerText.prefix(40).debugDescription)")
            }
            peer = id
        }
        return try changes(since: since, limit: limit, peer: peer)
    }

    /// `GET /v1/changes`: the page after `since`, leaving out states that are exactly what `peer`
    /// sent (no echo). The body is built from the stored canonical JSON without decoding it.
    public func changes(since: Int64, limit: Int, peer: ReplicaID?) throws -> Data {
        let batch = try internalErrors {
            try store.changes(since: since, limit: min(max(limit, 1), maxBatchRecords), maxBytes: maxBatchBytes, excluding: peer)
        }
        return ChangesResponse.body(states: batch.states, next: batch.next, hasMore: batch.hasMore)
    }

    /// `POST /v1/changes`: decodes, validates and merges pushed states (all or nothing).
    public func push(body: Data) throws -> PushResponse {
        let request = try Self.decodePush(body)
        if request.from == store.replicaID {
            throw SyncRequestError(
                status: 409, code: .counterReuse,
                "the pushing replica has this server's replica ID \(request.from.short): one of the two stores is a copy. Run `gloss rekey` on the copy, then sync.")
        }
        do {
            let cursor = request.pullCursor(givenPulled: try store.cursors(for: request.from).pull)
            let outcome = try store.apply(request.states, from: request.from, cursor: cursor)
            if !request.name.isEmpty { try? store.rememberReplica(request.from, name: request.name) }
            if let pulled = request.pulled, pulled > 0 { try store.setPushCursor(pulled, for: request.from) }
            return PushResponse(
                received: request.states.count, changed: outcome.changed, newConflicts: outcome.newConflicts,
                dotCollisions: outcome.dotCollisions)
        } catch let error as GlossError where error.code == .counterReuse {
            throw SyncRequestError(status: 409, code: .counterReuse, error.message)
        } catch let error as GlossError where error.code == .invalidInput {
            throw SyncRequestError(status: 400, code: .invalidInput, error.message)
        } catch let error as GlossError where error.code == .conflict {
            throw Self.restartNeeded(error)
        } catch let error as GlossError {
            throw SyncRequestError(status: 500, code: error.code, "the server could not store the states: \(error.message)")
        }
    }

    /// Decodes a push body (also a bundle batch), turning every failure into a clear 400.
    public static func decodePush(_ body: Data) throws -> PushRequest {
        do {
            return try PushRequest.decode(body).validated()
        } catch let error as ProtocolVersionMismatch {
            throw SyncRequestError.badRequest(
                "this server speaks sync protocol \(SyncProtocol.version), the request uses \(error.received); upgrade the older gloss",
                code: .versionMismatch)
        } catch let error as GlossError where error.code == .invalidInput {
            throw SyncRequestError.badRequest("malformed push body: \(error.message)")
        }
    }

    /// `gloss rekey` ran on the served store while this server had it open: the store refuses
    /// to write under the ID this server knows it by (see `ReplicaStore.checkIdentity`).
    static func restartNeeded(_ error: GlossError) -> SyncRequestError {
        SyncRequestError(
            status: 409, code: .conflict, "the server's store took a new replica ID while being served; restart `gloss serve` there. (\(error.message))")
    }

    private func internalErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GlossError where error.code == .conflict {
            throw Self.restartNeeded(error)
        } catch let error as GlossError {
            throw SyncRequestError(status: 500, code: error.code, "the server could not read its store: \(error.message)")
        }
    }
}
