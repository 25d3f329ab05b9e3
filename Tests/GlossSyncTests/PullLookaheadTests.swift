import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// A pull fetches pages ahead of the one it merges, and no further than `SyncEngine.pagesAhead`.
@Suite struct PullLookaheadTests {
    @Test func pagesAreFetchedAheadOfTheMergeAndNoFurther() async throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        try SyncEngineTests.notes(b, 1...30, prefix: "b")
        let transport = PageCounting(inner: InProcessTransport(store: b, maxBatchRecords: 3))
        let seen = CallCount()  // pages fetched while the engine waited after merging the first
        let summary = try await SyncEngine(
            store: a, transport: transport, options: SyncOptions(batchRecords: 3, retry: .immediate(attempts: 1)),
            progress: { progress in
                // Called right after a page is merged, before the engine takes the next: hold
                // the engine there after the first page and count what arrives meanwhile.
                guard progress.phase == .pull, progress.records == 3 else { return }
                let deadline = Date().addingTimeInterval(20)
                while transport.fetched.value < 1 + SyncEngine.pagesAhead && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
                Thread.sleep(forTimeInterval: 0.2)  // time for any fetch beyond the bound to show
                for _ in 0..<transport.fetched.value { _ = seen.increment() }
            }
        ).run()
        // The merged page and the two after it; fetching one page ahead shows 2 here, and a
        // pull that fetched without a bound more than 3.
        #expect(seen.value == 1 + SyncEngine.pagesAhead)
        #expect(summary.pulled == 30)
        #expect(try a.stateHash() == b.stateHash())
    }
}

/// Passes calls through and counts the pages of changes it returned.
struct PageCounting: SyncTransport {
    let inner: InProcessTransport
    let fetched = CallCount()
    var peerDescription: String { inner.peerDescription }
    func info() async throws -> InfoResponse { try await inner.info() }
    func session(_ request: SessionRequest) async throws { try await inner.session(request) }
    func changes(since: Int64, limit: Int, peer: ReplicaID) async throws -> ChangesPage {
        let page = try await inner.changes(since: since, limit: limit, peer: peer)
        _ = fetched.increment()
        return page
    }
    func push(_ body: Data) async throws -> PushResponse { try await inner.push(body) }
}
