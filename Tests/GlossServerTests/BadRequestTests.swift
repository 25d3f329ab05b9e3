import Foundation
import GlossCore
import GlossServer
import GlossStore
import GlossSync
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Every malformed or unauthorised request gets a 4xx with a JSON error saying what is wrong, and
/// the server's store is exactly as it was.
@Suite struct BadRequestTests {
    static let token = "s3cret-token"
    static let auth: HTTPFields = [.authorization: "Bearer \(token)"]

    /// A server store holding one note, and the router serving it (64 KB body limit).
    static func withServer(_ test: @Sendable (ReplicaStore, any TestClientProtocol) async throws -> Void) async throws {
        let (store, dir) = try TestStores.make(name: "server")
        defer { dir.remove() }
        _ = try store.write { w in try w.update("note-1", kind: .note) { $0.set("title", .string("Troop numbers")) } }
        let configuration = SyncServerConfiguration(token: token, maxBodyBytes: 64 * 1024)
        let app = Application(router: SyncServer.makeRouter(service: SyncService(store: store), configuration: configuration))
        try await app.test(.router) { client in try await test(store, client) }
    }

    /// Sends `body` to POST /v1/changes and checks a 4xx JSON error whose message contains
    /// `expected`, with the store unchanged.
    static func expectRefusal(
        _ body: Data, status: HTTPResponse.Status, code: String, message expected: String,
        headers: HTTPFields = auth, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withServer { store, client in
            let before = try store.stateHash()
            let seq = try store.currentSeq()
            let response = try await client.execute(uri: "/v1/changes", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(response.status == status, sourceLocation: sourceLocation)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
            let error = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(error.error == code, sourceLocation: sourceLocation)
            #expect(error.message.contains(expected), "message was: \(error.message)", sourceLocation: sourceLocation)
            #expect(try store.stateHash() == before, sourceLocation: sourceLocation)
            #expect(try store.currentSeq() == seq, sourceLocation: sourceLocation)
        }
    }

    static let peer = ReplicaID.random()

    static func push(_ statesJSON: String, protocolVersion: String = "1", from: String? = nil) -> Data {
        Data("{\"protocol\":\(protocolVersion),\"from\":\"\(from ?? peer.rawValue)\",\"name\":\"x\",\"states\":\(statesJSON)}".utf8)
    }

    static func state(kind: String = "note", counter: String = "1", replica: ReplicaID = peer) -> String {
        "{\"id\":\"note-9\",\"kind\":\"\(kind)\",\"vv\":{\"\(replica.rawValue)\":\(counter)},\"f\":{\"title\":[{\"v\":\"x\",\"r\":\"\(replica.rawValue)\",\"n\":1,\"t\":1}]},\"s\":{}}"
    }

    @Test func malformedJSONIsRefusedWith400() async throws {
        try await Self.expectRefusal(Data("{\"protocol\":1, \"states\": [".utf8), status: .badRequest, code: "invalid-input", message: "not valid JSON")
    }

    @Test func wrongTypesAreRefusedWith400NamingTheField() async throws {
        try await Self.expectRefusal(Self.push("\"not a list\""), status: .badRequest, code: "invalid-input", message: "states has the wrong type")
        try await Self.expectRefusal(Self.push("[]", protocolVersion: "\"one\""), status: .badRequest, code: "invalid-input", message: "protocol has the wrong type")
    }

    @Test func missingFieldIsRefusedWith400() async throws {
        try await Self.expectRefusal(Data("{\"protocol\":1,\"states\":[]}".utf8), status: .badRequest, code: "invalid-input", message: "from is missing")
    }

    @Test func hugeBodyIsRefusedWith413() async throws {
        let huge = Data(repeating: UInt8(ascii: " "), count: 200 * 1024)
        try await Self.expectRefusal(huge, status: .contentTooLarge, code: "invalid-input", message: "larger than this server accepts")
    }

    @Test func gzipBombIsRefusedWith413() async throws {
        let bomb = try Gzip.compress(Data(repeating: UInt8(ascii: " "), count: 10 * 1024 * 1024), level: 9)
        #expect(bomb.count < 64 * 1024)
        var headers = Self.auth
        headers[.contentEncoding] = "gzip"
        try await Self.expectRefusal(bomb, status: .contentTooLarge, code: "invalid-input", message: "larger than this server accepts", headers: headers)
    }

    @Test func corruptGzipIsRefusedWith400() async throws {
        var headers = Self.auth
        headers[.contentEncoding] = "gzip"
        try await Self.expectRefusal(Data([0x1F, 0x8B, 1, 2, 3]), status: .badRequest, code: "invalid-input", message: "not valid gzip", headers: headers)
    }

    @Test(arguments: ["-1", "0", "9007199254740992", "18446744073709551616", "1.5"])
    func vectorClockCounterOutOfRangeIsRefusedWith400(counter: String) async throws {
        try await Self.expectRefusal(
            Self.push("[\(Self.state(counter: counter))]"), status: .badRequest, code: "invalid-input", message: "states[0].vv")
    }

    @Test(arguments: ["0", "-3", "9007199254740993"])
    func setElementDotOutOfRangeIsRefusedWith400(counter: String) async throws {
        let state = Self.state().replacingOccurrences(
            of: "\"s\":{}", with: "\"s\":{\"tags\":{\"syria\":[{\"counter\":\(counter),\"replica\":\"\(Self.peer.rawValue)\"}]}}")
        try await Self.expectRefusal(Self.push("[\(state)]"), status: .badRequest, code: "invalid-input", message: "out of range")
    }

    @Test func malformedSessionIsRefusedWith400AndStaleEpochWith409() async throws {
        try await Self.withServer { store, client in
            let bad = try await client.execute(
                uri: "/v1/session", method: .post, headers: Self.auth, body: ByteBuffer(string: "{\"protocol\":1}"))
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("from is missing"))
            let first = SessionRequest(from: Self.peer, name: "laptop", epoch: nil, next: "e1")
            let ok = try await client.execute(
                uri: "/v1/session", method: .post, headers: Self.auth, body: ByteBuffer(bytes: try JSONEncoder().encode(first)))
            #expect(ok.status == .ok)
            // The same replica ID presenting the state before "e1": a copy.
            let stale = SessionRequest(from: Self.peer, name: "restored copy", epoch: nil, next: "e2")
            let refused = try await client.execute(
                uri: "/v1/session", method: .post, headers: Self.auth, body: ByteBuffer(bytes: try JSONEncoder().encode(stale)))
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("gloss rekey"))
            let retry = try await client.execute(
                uri: "/v1/session", method: .post, headers: Self.auth, body: ByteBuffer(bytes: try JSONEncoder().encode(first)))
            #expect(retry.status == .ok)
        }
    }

    @Test func unknownProtocolVersionIsRefusedWith400() async throws {
        try await Self.expectRefusal(
            Self.push("[\(Self.state())]", protocolVersion: "2"), status: .badRequest, code: "version-mismatch",
            message: "speaks sync protocol 1, the request uses 2")
    }

    @Test func unknownRecordKindIsRefusedWith400() async throws {
        try await Self.expectRefusal(
            Self.push("[\(Self.state(kind: "spreadsheet"))]"), status: .badRequest, code: "invalid-input",
            message: "unknown record kind \"spreadsheet\"")
    }

    @Test func kindChangeOfAnExistingRecordIsRefusedWith400() async throws {
        let state = Self.state(kind: "document").replacingOccurrences(of: "note-9", with: "note-1")
        try await Self.expectRefusal(Self.push("[\(state)]"), status: .badRequest, code: "invalid-input", message: "is a note here")
    }

    @Test func invalidBatchIsRefusedWhole() async throws {
        // A valid state followed by an invalid one: neither is applied.
        try await Self.expectRefusal(
            Self.push("[\(Self.state()),\(Self.state(kind: "bogus"))]"), status: .badRequest, code: "invalid-input", message: "states[1].kind")
    }

    @Test func missingTokenIsRefusedWith401() async throws {
        try await Self.expectRefusal(Self.push("[\(Self.state())]"), status: .unauthorized, code: "unauthorized", message: "needs a token", headers: [:])
    }

    @Test func wrongTokenIsRefusedWith403() async throws {
        try await Self.expectRefusal(
            Self.push("[\(Self.state())]"), status: .forbidden, code: "unauthorized", message: "refused",
            headers: [.authorization: "Bearer s3cret-tokeN"])
        try await Self.expectRefusal(
            Self.push("[\(Self.state())]"), status: .forbidden, code: "unauthorized", message: "refused",
            headers: [.authorization: "Bearer s3cret-token-longer"])
    }

    @Test func readsNeedTheTokenToo() async throws {
        try await Self.withServer { _, client in
            let info = try await client.execute(uri: "/v1/info", method: .get)
            #expect(info.status == .unauthorized)
            let changes = try await client.execute(uri: "/v1/changes?since=0", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(changes.status == .forbidden)
            #expect(!String(buffer: changes.body).contains("Troop"))
        }
    }

    @Test func badQueryValuesAreRefusedWith400() async throws {
        try await Self.withServer { _, client in
            for query in ["since=-1", "since=abc", "limit=0", "peer=xyz"] {
                let response = try await client.execute(uri: "/v1/changes?\(query)", method: .get, headers: Self.auth)
                #expect(response.status == .badRequest, "\(query)")
                let error = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
                #expect(error.message.contains("must be"), "\(query): \(error.message)")
            }
        }
    }

    @Test func stateCarryingTheServersOwnCounterAheadIsRefusedWith409() async throws {
        try await Self.withServer { store, client in
            let before = try store.stateHash()
            let forged = Self.state(counter: "5", replica: store.replicaID)
            let response = try await client.execute(
                uri: "/v1/changes", method: .post, headers: Self.auth, body: ByteBuffer(bytes: Self.push("[\(forged)]")))
            #expect(response.status == .conflict)
            let error = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(error.error == "counter-reuse")
            #expect(error.message.contains("gloss rekey"))
            #expect(try store.stateHash() == before)
        }
    }

    @Test func validPushIsAppliedAndNotEchoedToItsSender() async throws {
        try await Self.withServer { store, client in
            let response = try await client.execute(
                uri: "/v1/changes", method: .post, headers: Self.auth, body: ByteBuffer(bytes: Self.push("[\(Self.state())]")))
            #expect(response.status == .ok)
            let answer = try JSONDecoder().decode(PushResponse.self, from: Data(response.body.readableBytesView))
            #expect(answer.received == 1 && answer.changed == 1)
            #expect(try store.record("note-9")?.string("title") == "x")
            // The sender's own state is left out of its pull; another peer gets it.
            let own = try await client.execute(uri: "/v1/changes?since=1&peer=\(Self.peer.rawValue)", method: .get, headers: Self.auth)
            let ownPage = try ChangesPage.decode(Data(own.body.readableBytesView), from: "test")
            #expect(ownPage.states.isEmpty && ownPage.next == 2)
            let other = try await client.execute(uri: "/v1/changes?since=1", method: .get, headers: Self.auth)
            #expect(try ChangesPage.decode(Data(other.body.readableBytesView), from: "test").states.map(\.id) == ["note-9"])
        }
    }
}
