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

    /// The encoder writes exactly the bytes it always wrote (stored states and the wire depend
    /// on them): SHA-256 of each sample's encoding, as made by the encoder before it wrote
    /// through a pointer (November 2026). The plain sample is spelled out.
    @Test func theEncodingIsByteForByteTheOneStoresHold() {
        let digests = [
            "d26dff47c7b246420bc8c72aee64966683a69b4101fa68eef6f3fa95a08baeff",
            "09658d2273290687c0c1cd57f60db6ae0809007f69a0a332501c81f5fe7eebb6",
            "f3975041a21968e87c411b6cee2c5b40abef1b4bdb52211499bd5d18740bc23e",
            "3e18a31eb5947f220786aaa6ebdf2eff6d78318de32004ee7262e7b6be275593",
            "97de6603469243b7107dd20edbcfaea67f16a13ed58c0d9f0621ab4d4d7cd1e2",
            "c14bce7db0035239c1c131db4533920cffa497ba1e60160124d5907b9bcde69b",
        ]
        let records = samples()
        #expect(records.count == digests.count)
        let buffer = CanonicalBuffer()
        var array: [UInt8] = []
        for (record, digest) in zip(records, digests) {
            let bytes = record.canonicalData()
            #expect(SHA256.hex(bytes) == digest, "\(record.id): \(String(decoding: bytes, as: UTF8.self))")
            // The reusable buffers hold the same bytes, also when reused for a shorter state.
            record.canonicalData(into: buffer)
            #expect(buffer.withBytes { Data($0) } == bytes)
            record.canonicalData(into: &array)
            #expect(Data(array) == bytes)
        }
        let a32 = String(repeating: "a", count: 32)
        #expect(String(decoding: records[1].canonicalData(), as: UTF8.self) == """
            {"f":{"title":[{"n":1,"r":"\(a32)","t":1732240000000,"v":"Troop numbers"}]},"id":"n1","kind":"note",\
            "s":{"tags":{"syria":[{"counter":1,"replica":"\(a32)"}]}},"vv":{"\(a32)":1}}
            """)
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
