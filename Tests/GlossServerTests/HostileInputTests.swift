import Foundation
import GlossCore
import GlossServer
import GlossStore
import GlossSync
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Every body of the hostile corpus (Fixtures/hostile/http, made by scripts/gen-hostile-corpus.py)
/// sent to POST /v1/changes gets exactly the refusal its manifest names (status and error code)
/// with a JSON message, and the served store is exactly as it was.
@Suite struct HostileInputTests {
    struct Case: Decodable {
        let file: String
        let status: Int
        let error: String
        let why: String
        let encoding: String?
    }

    static let token = "hostile-token"
    static let folder = GlossBinary.packageRoot.appendingPathComponent("Fixtures/hostile/http")

    static func manifest() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    @Test func corpusHasAtLeastFiveHundredCasesOfEveryCategory() throws {
        let cases = try Self.manifest()
        #expect(cases.count >= 500)
        let categories = Set(cases.map { $0.file.split(separator: "-", maxSplits: 1).last.map(String.init) ?? "" })
        for required in ["truncated.body", "wrong-type.body", "deep-nesting.body", "huge-string.body", "invalid-utf8.body", "counter.body",
                         "unknown-kind.body", "unknown-version.body", "duplicate-id.body"] {
            #expect(categories.contains(required), "no \(required) case")
        }
    }

    @Test func everyHostileBodyGetsItsRefusalAndChangesNothing() async throws {
        let cases = try Self.manifest()
        let (store, dir) = try TestStores.make(name: "server")
        defer { dir.remove() }
        _ = try store.write { w in
            try w.update("note-9", kind: .note) { $0.set("title", .string("Troop numbers")) }
        }
        let configuration = SyncServerConfiguration(token: Self.token, maxBodyBytes: 64 * 1024)
        let app = Application(router: SyncServer.makeRouter(service: SyncService(store: store), configuration: configuration))
        let before = (try store.stateHash(), try store.currentSeq(), try store.historyCount())
        let (failures, statuses) = try await app.test(.router) { client in
            var failures: [String] = []
            var statuses: [Int: Int] = [:]
            for item in cases {
                let body = try Data(contentsOf: Self.folder.appendingPathComponent(item.file))
                var headers: HTTPFields = [.authorization: "Bearer \(Self.token)", .contentType: "application/json"]
                if let encoding = item.encoding { headers[.contentEncoding] = encoding }
                let response = try await client.execute(uri: "/v1/changes", method: .post, headers: headers, body: ByteBuffer(bytes: body))
                statuses[Int(response.status.code), default: 0] += 1
                let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
                if Int(response.status.code) != item.status || error?.error != item.error || (error?.message.isEmpty ?? true) {
                    failures.append(
                        "\(item.file) (\(item.why)): expected \(item.status) \(item.error), got \(response.status.code) \(error?.error ?? "?"): \(error?.message.prefix(160) ?? String(buffer: response.body).prefix(160))")
                }
            }
            return (failures, statuses)
        }
        print("hostile corpus: \(cases.count) bodies, statuses \(statuses.sorted { $0.key < $1.key }), \(failures.count) mismatches")
        for failure in failures.prefix(40) { Issue.record("\(failure)") }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) bodies were not refused as expected")
        let after = (try store.stateHash(), try store.currentSeq(), try store.historyCount())
        #expect(after == before, "the store changed")
        #expect(try StoreInvariants.violations(in: store).isEmpty)
    }
}
