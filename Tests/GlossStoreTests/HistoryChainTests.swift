import Foundation
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

/// Reading history by following each record's links (HistoryChain): one record's rows, or every
/// row of the store in one pass.
@Suite struct HistoryChainTests {
    /// Reading a record's history follows its own chain only: rows of other records, written in
    /// between, are not read as its own.
    @Test func aRecordsHistoryHoldsOnlyItsOwnRowsInOrder() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        for round in 1...4 {
            for id in ["a", "b", "c"] {
                _ = try store.write { w in try w.update(id, kind: .note) { $0.set("body", .string("\(id)\(round)")) } }
            }
        }
        for id in ["a", "b", "c"] {
            let history = try store.history(of: id)
            #expect(history.map { $0.state.string("body") } == (1...4).map { "\(id)\($0)" })
            #expect(history.map(\.id) == history.map(\.id).sorted())
        }
        #expect(try store.history(of: "missing").isEmpty)
    }

    /// The whole store's log (one pass over history, newest first) gives each row the same
    /// state as reading its record's chain.
    @Test func theWholeLogReadsEachRowAsItsRecordsChainDoes() throws {
        let clock = TestStores.steppingClock()
        let (store, dir) = try TestStores.make(name: "alice", clock: clock)
        let (other, otherDir) = try TestStores.make(name: "bob", clock: clock)
        defer { dir.remove(); otherDir.remove() }
        for round in 1...3 {
            _ = try store.write { w in
                try w.update("a", kind: .note) { $0.set("body", .string("a\(round)")) }
                if round != 2 { try w.update("b", kind: .note) { $0.set("title", .string("b\(round)")) } }
            }
            _ = try other.write { w in try w.update("c", kind: .note) { $0.add("t\(round)", to: "tags") } }
            try store.apply(other.records(kind: .note), from: other.replicaID)
        }
        _ = try store.write { w in try w.update("b", kind: .note) { $0.delete() } }
        let whole = try store.log()
        var perRecord: [LogEntry] = []
        for id in ["a", "b", "c"] { perRecord += try store.log(of: id) }
        #expect(whole.count == 3 + 3 + 3)
        #expect(whole.map { "\($0.recordID) \($0.seq) \($0.change)" }.sorted()
            == perRecord.map { "\($0.recordID) \($0.seq) \($0.change)" }.sorted())
        #expect(whole.map(\.seq) == whole.map(\.seq).sorted())
    }

    /// The whole store's log with a limit reads only the newest rows' records, and gives the
    /// same entries as the whole log cut to its newest: labels and changes come from each
    /// record's earlier states, even those older than the limit.
    @Test func theNewestEntriesOfTheWholeLogAreTheWholeLogsNewest() throws {
        let clock = TestStores.steppingClock()
        let (store, dir) = try TestStores.make(name: "alice", clock: clock)
        let (other, otherDir) = try TestStores.make(name: "bob", clock: clock)
        defer { dir.remove(); otherDir.remove() }
        _ = try store.write { w in
            try w.update("titled", kind: .note) { $0.set("title", .string("Troop numbers")) }
            try w.update("quiet", kind: .note) { $0.set("body", .string("no title")) }
        }
        for round in 1...3 {
            _ = try store.write { w in try w.update("quiet", kind: .note) { $0.set("body", .string("body \(round)")) } }
            _ = try other.write { w in try w.update("remote-\(round)", kind: .note) { $0.set("title", .string("from bob")) } }
            try store.apply(other.records(kind: .note), from: other.replicaID)
        }
        _ = try store.write { w in try w.update("titled", kind: .note) { $0.delete() } }
        _ = try store.write { w in try w.update("quiet", kind: .note) { $0.set("body", .string("last")) } }

        func text(_ entries: [LogEntry]) -> [String] {
            entries.map { "\($0.recordID) \($0.seq) \($0.label ?? "-") \($0.origin) \($0.writes.count) \($0.change)" }
        }
        let whole = try store.log()
        let rows = try store.historyCount()
        #expect(whole.count == rows)
        #expect(whole.last?.recordID == "quiet" && whole.dropLast().last?.label == "Troop numbers")
        for limit in 1...(whole.count + 1) {
            #expect(text(try store.log(limit: limit)) == text(Array(whole.suffix(limit))), "limit \(limit)")
        }
    }
}
