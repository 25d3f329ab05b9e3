import Foundation
import GlossCore
import Testing

/// Decoding refuses states no replica could have produced, with a message naming the problem.
@Suite struct RecordDecodingTests {
    let replica = String(repeating: "a", count: 32)

    func decode(_ json: String) -> Error? {
        do {
            _ = try Record.decode(Data(json.utf8))
            return nil
        } catch { return error }
    }

    @Test func stringsWithEscapesRoundTrip() throws {
        var r = Record(id: "n1", kind: .note)
        let text = "quote \"x\" \\ tab\t nl\n \u{01} é 😀 / end"
        r.edit(by: ReplicaID(replica)!, at: 1) { $0.set("body", .string(text)) }
        #expect(try Record.decode(r.canonicalData()).string("body") == text)
        #expect(try Record.decode(Data(#"{"id":"n1","kind":"note","vv":{"\#(replica)":1},"f":{"b":[{"v":"\ud83d\ude00\u00e9","r":"\#(replica)","n":1,"t":5}]}}"#.utf8)).string("b") == "😀é")
    }

    /// Found by the fuzzer (Fuzz/crashes/register-tie-order.json): two values with the same dot
    /// and value but different times were ordered by input, so equal states encoded differently.
    @Test(arguments: [3, 9, 5, 1], [1, 2, 3])
    func siblingsTiedOnDotAndValueEncodeTheSameInEitherOrder(firstTime: Int, dots: Int) throws {
        let tied = [firstTime, 7].map { #"{"v":"x","r":"\#(replica)","n":\#(dots),"t":\#($0)}"# }
        let forward = #"{"id":"n1","kind":"note","vv":{"\#(replica)":3},"f":{"b":[\#(tied[0]),\#(tied[1])]}}"#
        let backward = #"{"id":"n1","kind":"note","vv":{"\#(replica)":3},"f":{"b":[\#(tied[1]),\#(tied[0])]}}"#
        let a = try Record.decode(Data(forward.utf8)), b = try Record.decode(Data(backward.utf8))
        #expect(a == b)
        #expect(a.canonicalData() == b.canonicalData())
        #expect(try Record.decode(a.canonicalData()) == a)
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Array(#"{"id":"n1","kind":"note","vv":{},"f":{},"s":{"t":{"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"":[]}}}"#.utf8)
        #expect(throws: GlossError.self) { try Record.decode(Data(bytes)) }
    }

    @Test func acceptsAValidState() {
        #expect(decode(#"{"id":"n1","kind":"note","vv":{"\#(replica)":1},"f":{"title":[{"v":"T","r":"\#(replica)","n":1,"t":5}]},"s":{}}"#) == nil)
    }

    @Test(arguments: [
        (#"{"id":"n1","kind":"spaceship","vv":{},"f":{},"s":{}}"#, "unknown record kind"),
        (#"{"id":"n1","kind":"note","vv":{"xyz":1},"f":{},"s":{}}"#, "replica ID"),
        (#"{"id":"n1","kind":"note","vv":{"REPLICA":-1},"f":{},"s":{}}"#, ""),
        (#"{"id":"n1","kind":"note","vv":{"REPLICA":18446744073709551615},"f":{},"s":{}}"#, "out of range"),
        (#"{"id":"n1","kind":"note","vv":{"REPLICA":0},"f":{},"s":{}}"#, "out of range"),
        (#"{"id":"bad id!","kind":"note","vv":{},"f":{},"s":{}}"#, "record ID"),
        (#"{"id":"n1","kind":"note","vv":{},"f":{"title":[{"v":"T","r":"REPLICA","n":1,"t":5}]},"s":{}}"#, "not covered"),
        (#"{"id":"n1","kind":"note","vv":{"REPLICA":1},"f":{"title":[{"v":[1],"r":"REPLICA","n":1,"t":5}]},"s":{}}"#, "field value"),
        (#"{"id":"n1","kind":"note","vv":{"REPLICA":1},"f":{"title":[{"v":"T","r":"REPLICA","n":1,"t":5}]}"#, "expected"),
        (#"{"id":"n1","kind":"note","vv":{"REPLICA":1.5},"f":{},"s":{}}"#, "integer"),
        ("{\"id\":\"n1\",\"kind\":\"note\",\"vv\":{},\"f\":{},\"s\":{},\"x\":" + String(repeating: "[", count: 5000) + "}", "too deep"),
    ])
    func refusesMalformedStates(json: String, expected: String) {
        let error = decode(json.replacingOccurrences(of: "REPLICA", with: replica))
        #expect(error != nil)
        if !expected.isEmpty {
            #expect(String(describing: error!).contains(expected), "\(String(describing: error!))")
        }
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
