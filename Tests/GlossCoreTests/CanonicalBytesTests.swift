import Foundation
import GlossCore
import Testing

/// The wire reader hands back a state's bytes only when they are its canonical encoding, so a
/// receiver can store them as they are: any other spelling of the same state must be refused.
@Suite struct CanonicalBytesTests {
    let a = ReplicaID(String(repeating: "a", count: 32))!
    let b = ReplicaID(String(repeating: "b", count: 32))!

    func read(_ data: Data) throws -> (Record, Data?) {
        try JSONReader.read(data) { try $0.recordKeepingCanonicalBytes() }
    }

    /// Records of every shape the encoder writes: escapes, conflicts, integers, booleans, sets
    /// with several dots, several replicas in the vector, a delete.
    func samples() -> [Record] {
        var plain = Record(id: "n1", kind: .note)
        plain.edit(by: a, at: 1_732_240_000_000) { e in
            e.set("title", .string("Troop numbers"))
            e.add("syria", to: "tags")
        }
        var escaped = Record(id: "d-1:x.y_z", kind: .document)
        escaped.edit(by: a, at: -5) { e in
            e.set("body", .string("quote \"x\" \\ tab\t nl\n cr\r \u{01}\u{08}\u{0C}\u{1F} é 😀 / end"))
            e.set("n", .int(-9_007_199_254_740_991))
            e.set("flag", .bool(false))
            e.set("zero", .int(0))
        }
        var other = escaped
        other.edit(by: b, at: 10_000_000_000_000) { e in
            e.set("body", .string("concurrent"))
            e.set("flag", .bool(true))
            e.add("b", to: "tags")
            e.add("a", to: "tags")
            e.add("x", to: "cites")
        }
        var concurrent = escaped
        concurrent.edit(by: a, at: 7) { e in
            e.set("body", .string("ours"))
            e.add("b", to: "tags")
        }
        let conflicted = concurrent.merged(with: other)  // two siblings, a set element with two dots
        var deleted = plain
        deleted.edit(by: b, at: 3) { $0.delete() }
        return [Record(id: "empty", kind: .annotation), plain, escaped, other, conflicted, deleted]
    }

    @Test func canonicalBytesAreKeptAsTheyAre() throws {
        for record in samples() {
            let bytes = record.canonicalData()
            let (read, kept) = try read(bytes)
            #expect(read == record)
            #expect(kept == bytes, "the canonical bytes of \(record.id) were not recognised")
        }
    }

    @Test func otherSpellingsOfTheSameStateAreNotKept() throws {
        for record in samples() {
            let canonical = String(decoding: record.canonicalData(), as: UTF8.self)
            var variants = [
                canonical.replacingOccurrences(of: "\":", with: "\": "),  // a space after each member name
                canonical.replacingOccurrences(of: ",\"kind\"", with: ", \"kind\""),
            ]
            if canonical.contains("/") { variants.append(canonical.replacingOccurrences(of: "/", with: "\\/")) }
            if canonical.contains("é") { variants.append(canonical.replacingOccurrences(of: "é", with: "\\u00e9")) }
            // Keys out of order: "id" moved to the front.
            let id = "\"id\":\"\(record.id)\","
            variants.append("{" + id + canonical.dropFirst().replacingOccurrences(of: id, with: ""))
            for variant in variants where variant != canonical {
                let (read, kept) = try read(Data(variant.utf8))
                #expect(read == record, "\(variant) does not read as \(record.id)")
                #expect(kept == nil, "non-canonical bytes were kept: \(variant)")
            }
        }
    }
}
