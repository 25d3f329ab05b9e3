import Foundation
import GlossCore
import GlossStore
import GlossSync

/// A transport that calls a peer's `SyncService` directly, through the same bodies HTTP carries
/// (encoded and decoded), so tests exercise the wire format without sockets.
public struct InProcessTransport: SyncTransport {
    /// The peer's service.
    public let service: SyncService
    public var peerDescription: String { "replica \(service.store.replicaID.short)" }

    /// A transport to the replica behind `service`.
    public init(service: SyncService) { self.service = service }

    /// A transport to `store`, with small server-side batches when `maxBatchRecords` is given.
    public init(store: ReplicaStore, maxBatchRecords: Int = SyncProtocol.maxBatchRecords) {
        self.service = SyncService(store: store, maxBatchRecords: maxBatchRecords)
    }

    public func info() async throws -> InfoResponse {
        let data = try JSONEncoder().encode(service.info())
        return try JSONDecoder().decode(InfoResponse.self, from: data)
    }

    public func session(_ request: SessionRequest) async throws {
        do {
            _ = try service.session(body: try JSONEncoder().encode(request))
        } catch let error as SyncRequestError {
            throw error.asGlossError(peer: peerDescription)
        }
    }

    public func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        try await arrivingChanges(since: since, limit: limit, peer: peer).decode()
    }

    public func arrivingChanges(since: Int64, limit: Int, peer: ReplicaID) async throws -> ArrivedPage {
        do {
            let body = try service.changes(since: since, limit: limit, peer: peer)
            return try ArrivedPage.read(body, from: peerDescription)
        } catch let error as SyncRequestError {
            throw error.asGlossError(peer: peerDescription)
        }
    }

    public func push(_ body: Data) async throws -> PushResponse {
        do {
            return try service.push(body: body)
        } catch let error as SyncRequestError {
            throw error.asGlossError(peer: peerDescription)
        }
    }
}
