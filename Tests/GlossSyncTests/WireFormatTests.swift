import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// gzip and the spliced bodies decode to what was encoded; bundles carry changes between stores.
@Suite struct WireFormatTests {
    @Test func gzipRoundTripsAndRefusesBombsAndGarbage() throws {
        let text = Data((0..<10_000).map { "line \($0)\n" }.joined().utf8)
        let compressed = try Gzip.compress(text)
        #expect(Gzip.isCompressed(compressed))
        #expect(compressed.count < text.count / 3)
        #expect(try Gzip.decompress(compressed) == text)
        #expect(throws: GzipError.tooLarge(limit: 1000)) { try Gzip.decompress(compressed, limit: 1000) }
        #expect(throws: GzipError.self) { try Gzip.decompress(compressed.prefix(compressed.count / 2)) }
        #expect(throws: GzipError.self) { try Gzip.decompress(Data([0x1F, 0x8B, 0, 0, 0])) }
    }

    @Test func changesBodyDecodesToTheStoredStates() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        _ = try store.write { w in
            try w.update("n1", kind: .note) { $0.set("title", .string("quote \" and \\ and é")); $0.add("tag", to: "tags") }
            try w.update("d1", kind: .document) { $0.set("title", .string("doc")) }
        }
        let batch = try store.changes(since: 0, limit: 10)
        let page = try ChangesPage.decode(ChangesResponse.body(states: batch.states, next: batch.next, hasMore: false), from: "t")
        #expect(page.states.map { $0.canonicalData() } == batch.states)
        #expect(page.next == 2 && !page.hasMore)
        // The received canonical bytes of each state (stored as they are by a first sync), from
        // a plain body, a gzipped one and one that is a slice of a larger buffer; a state sent in
        // another form has none.
        let body = ChangesResponse.body(states: batch.states, next: batch.next, hasMore: false)
        for sent in [body, try Gzip.compress(body), (Data("--".utf8) + body).dropFirst(2)] {
            #expect(try ChangesPage.decode(sent, from: "t").canonical == batch.states.map { Optional($0) })
        }
        let spaced = Data("{ ".utf8) + batch.states[0].dropFirst()
        let mixed = Data("{\"protocol\":\(SyncProtocol.version),\"states\":[".utf8) + spaced + Data(",".utf8) + batch.states[1]
            + Data("],\"next\":2,\"hasMore\":false}".utf8)
        let mixedPage = try ChangesPage.decode(mixed, from: "t")
        #expect(mixedPage.canonical == [nil, batch.states[1]])
        #expect(mixedPage.states.map { $0.canonicalData() } == batch.states)
        let push = try SyncService.decodePush(PushRequest.body(from: store.replicaID, name: "A \"quoted\" name", states: batch.states))
        #expect(push.name == "A \"quoted\" name" && push.from == store.replicaID && push.states.count == 2)
    }

    /// A page's protocol is read from its first member when the server put it there (as
    /// `ChangesResponse` does), from anywhere otherwise; either way another version is refused as
    /// a version mismatch, and a later `protocol` member cannot contradict the first.
    @Test func aPageOfAnotherProtocolIsRefusedWhereverItsProtocolMemberIs() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        _ = try store.write { w in try w.update("n1", kind: .note) { $0.set("title", .string("t")) } }
        let state = String(decoding: try #require(try store.changes(since: 0, limit: 10).states.first), as: UTF8.self)
        func code(_ body: String) -> GlossError.Code? {
            do {
                _ = try ChangesPage.decode(Data(body.utf8), from: "t")
                return nil
            } catch let error as GlossError {
                return error.code
            } catch {
                return .io
            }
        }
        #expect(code("{\"protocol\":1,\"next\":1,\"hasMore\":false,\"states\":[\(state)]}") == nil)
        #expect(code("{\"next\":1,\"hasMore\":false,\"states\":[\(state)],\"protocol\":1}") == nil)
        #expect(code("{\"protocol\":2,\"next\":1,\"hasMore\":false,\"states\":[\(state)]}") == .versionMismatch)
        #expect(code("{\"next\":1,\"hasMore\":false,\"states\":[],\"protocol\":2}") == .versionMismatch)
        #expect(code("{\"protocol\":1,\"next\":1,\"hasMore\":false,\"states\":[],\"protocol\":2}") == .versionMismatch)
        #expect(code("{\"protocol\":10,\"next\":1,\"hasMore\":false,\"states\":[]}") == .versionMismatch)
        #expect(code("{\"protocol\":01,\"next\":1,\"hasMore\":false,\"states\":[]}") == nil)
        // Well-formed after the protocol or not: a broken body is still refused as malformed.
        #expect(code("{\"protocol\":1,\"next\":1,\"hasMore\":false,\"states\":[\(state)") == .invalidInput)
        #expect(code("{\"protocol\":1,\"next\":1,\"hasMore\":false,\"states\":[{\"id\":\"x\"}]}") == .invalidInput)
        #expect(code("{\"protocol\":1,\"next\":1,\"hasMore\":false,\"states\":[]} trailing") == .invalidInput)
    }

    @Test func bundleCarriesChangesAndADamagedBundleChangesNothing() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        _ = try a.write { w in for i in 0..<5000 { try w.update("n\(i)", kind: .note) { $0.set("title", .string("t\(i)")) } } }
        let file = dirA.path("out.gloss-bundle")
        let written = try SyncBundle.create(from: a, for: nil, to: file, batchRecords: 1000)
        #expect(written.records == 5000 && written.batches == 5)
        // A truncated copy is refused whole.
        let damaged = dirB.path("damaged.gloss-bundle")
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count - 100).write(to: damaged)
        let before = try b.stateHash()
        #expect(throws: GlossError.self) { try SyncBundle.apply(damaged, to: b) }
        #expect(try b.stateHash() == before)
        let applied = try SyncBundle.apply(file, to: b)
        #expect(applied.records == 5000 && applied.changed == 5000)
        #expect(try a.stateHash() == b.stateHash())
        let again = try SyncBundle.apply(file, to: b)
        #expect(again.changed == 0)
        #expect(try b.historyCount() == 5000)
    }

    /// A bundle that merging would refuse in a later batch (a record of another kind here, or a
    /// write under this store's own ID beyond what it made) is refused before any batch is
    /// merged: the batches before the refused one are not applied either.
    @Test func aBundleRefusedInALaterBatchChangesNothing() throws {
        let (a, dirA) = try TestStores.make(name: "a")
        let (b, dirB) = try TestStores.make(name: "b")
        defer { dirA.remove(); dirB.remove() }
        _ = try a.write { w in for i in 0..<3000 { try w.update("n\(i)", kind: .note) { $0.set("title", .string("t\(i)")) } } }
        let file = dirA.path("out.gloss-bundle")
        #expect(try SyncBundle.create(from: a, for: nil, to: file, batchRecords: 1000).batches == 3)

        // Batch 3 holds n2500, a document here.
        _ = try b.write { w in try w.update("n2500", kind: .document) { $0.set("title", .string("a document")) } }
        let before = try b.stateHash(), seq = try b.currentSeq()
        let kind = #expect(throws: GlossError.self) { try SyncBundle.apply(file, to: b) }
        #expect(kind?.code == .invalidInput && kind?.message.contains("batch 3") == true, "\(kind?.message ?? "")")
        #expect(kind?.message.contains("Nothing was applied") == true)
        #expect(try b.stateHash() == before && b.currentSeq() == seq && b.historyCount() == 1)

        // A bundle whose last batch carries a write under c's own ID that c never made (a forged
        // ID, or c is a restored copy).
        let (c, dirC) = try TestStores.make(name: "c")
        defer { dirC.remove() }
        let forger = ReplicaID.random()
        let forged = try Record.decode(Data("""
            {"id":"forged","kind":"note","vv":{"\(c.replicaID.rawValue)":7},"f":{"title":[{"v":"x","r":"\(c.replicaID.rawValue)","n":7,"t":1}]},"s":{}}
            """.utf8))
        try a.apply([forged], from: forger)
        let file2 = dirA.path("forged.gloss-bundle")
        #expect(try SyncBundle.create(from: a, for: nil, to: file2, batchRecords: 1000).batches == 4)
        let cBefore = try c.stateHash()
        let reuse = #expect(throws: GlossError.self) { try SyncBundle.apply(file2, to: c) }
        #expect(reuse?.code == .counterReuse && reuse?.message.contains("batch 4") == true, "\(reuse?.message ?? "")")
        #expect(try c.stateHash() == cBefore && c.historyCount() == 0)
        // As when merging refuses it: no local write until `gloss rekey`.
        #expect(try c.status().rekeyRequired)

        // Within one bundle: a record that a later batch brings as another kind.
        let (d, dirD) = try TestStores.make(name: "d")
        defer { dirD.remove() }
        let first = PushRequest.body(from: forger, name: "f", states: [try a.record("n1")!.canonicalData()])
        let other = try Record.decode(Data("""
            {"id":"n1","kind":"annotation","vv":{"\(forger.rawValue)":9},"f":{"title":[{"v":"x","r":"\(forger.rawValue)","n":9,"t":1}]},"s":{}}
            """.utf8))
        let second = PushRequest.body(from: forger, name: "f", states: [other.canonicalData()])
        let file3 = dirD.path("mixed.gloss-bundle")
        try (Gzip.compress(first) + Gzip.compress(second)).write(to: file3)
        let mixed = #expect(throws: GlossError.self) { try SyncBundle.apply(file3, to: d) }
        #expect(mixed?.code == .invalidInput && mixed?.message.contains("batch 2") == true, "\(mixed?.message ?? "")")
        #expect(try d.historyCount() == 0)
    }
}
