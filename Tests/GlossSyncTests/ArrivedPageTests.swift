import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// A page's cursor is read as it arrives and its states decoded later; the cursor used to ask for
/// the next page can never differ from the one the decoded page stores.
@Suite struct ArrivedPageTests {
    static func oneState() throws -> (state: String, cleanup: TemporaryDirectory) {
        let (store, dir) = try TestStores.make()
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("t")) } }
        let state = String(decoding: try #require(try store.changes(since: 0, limit: 10).states.first), as: UTF8.self)
        return (state, dir)
    }

    @Test func aServersPageIsReadAsFarAsItsCursorAndDecodesAsWhole() throws {
        let (state, dir) = try Self.oneState()
        defer { dir.remove() }
        let body = ChangesResponse.body(states: [Data(state.utf8)], next: 41, hasMore: true)
        for sent in [body, try Gzip.compress(body)] {
            let arrived = try ArrivedPage.read(sent, from: "t")
            #expect(arrived.next == 41 && arrived.hasMore)
            let page = try arrived.decode()
            #expect(page.next == 41 && page.hasMore && page.states.map(\.id) == ["n1"] && page.wireBytes == sent.count)
        }
    }

    /// Members in another order than a server's: the whole page is decoded when it arrives.
    @Test func aPageInAnotherOrderIsDecodedWhenItArrives() throws {
        let (state, dir) = try Self.oneState()
        defer { dir.remove() }
        let reordered = Data("{\"protocol\":1,\"states\":[\(state)],\"hasMore\":false,\"next\":7}".utf8)
        let arrived = try ArrivedPage.read(reordered, from: "t")
        #expect(arrived.next == 7 && !arrived.hasMore)
        #expect(try arrived.decode().states.count == 1)
        let broken = Data("{\"protocol\":1,\"states\":[\(state)],\"hasMore\":false,\"next\":-}".utf8)
        #expect(throws: GlossError.self) { try ArrivedPage.read(broken, from: "t") }
    }

    /// `next` and `hasMore` repeated with other values later in the body: the page is refused
    /// when decoded, and a sync that met it stores nothing from it.
    @Test func laterMembersContradictingTheCursorAreRefusedAndChangeNothing() async throws {
        let (state, dir) = try Self.oneState()
        defer { dir.remove() }
        for tail in [",\"next\":9}", ",\"hasMore\":false}"] {
            let body = Data("{\"protocol\":1,\"next\":5,\"hasMore\":true,\"states\":[\(state)]\(tail)".utf8)
            let arrived = try ArrivedPage.read(body, from: "peer")
            #expect(arrived.next == 5 && arrived.hasMore)
            #expect {
                _ = try arrived.decode()
            } throws: { error in
                let error = error as? GlossError
                return error?.code == .invalidInput && error!.message.contains("appears twice with different values") && error!.message.contains("nothing from it was applied")
            }
        }
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        try SyncEngineTests.notes(b, 1...3, prefix: "b")
        let before = try a.stateHash()
        let contradicting = Data("{\"protocol\":1,\"next\":5,\"hasMore\":true,\"states\":[\(state)],\"next\":9}".utf8)
        let transport = ServingBody(inner: InProcessTransport(store: b), body: contradicting)
        await #expect {
            _ = try await SyncEngine(store: a, transport: transport, options: SyncOptions(retry: .immediate(attempts: 1))).run()
        } throws: { error in
            (error as? GlossError)?.code == .invalidInput
        }
        #expect(try a.stateHash() == before)
        #expect(try a.cursors(for: b.replicaID).pull == 0)
        #expect(try a.record("n1") == nil)
    }
}

/// A peer that answers every request for changes with `body`.
struct ServingBody: SyncTransport {
    let inner: InProcessTransport
    let body: Data
    var peerDescription: String { "peer" }
    func info() async throws -> InfoResponse { try await inner.info() }
    func session(_ request: SessionRequest) async throws { try await inner.session(request) }
    func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        try await arrivingChanges(since: since, limit: limit, peer: peer).decode()
    }
    func arrivingChanges(since: Int64, limit: Int, peer: ReplicaID) async throws -> ArrivedPage {
        try ArrivedPage.read(body, from: peerDescription)
    }
    func push(_ body: Data) async throws -> PushResponse { try await inner.push(body) }
}
