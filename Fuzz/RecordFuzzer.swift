// libFuzzer target for the record decoder and merge (the code every byte from the network
// reaches). Built by scripts/fuzz.sh together with GlossCore's sources:
//   swiftc -sanitize=fuzzer,address -parse-as-library -O Sources/GlossCore/**/*.swift Fuzz/RecordFuzzer.swift
// Invariants checked on every input that decodes:
//   - re-encoding is canonical: decode(encode(r)) == r and encodes to the same bytes;
//   - merge is idempotent and commutative with a second record derived from the input.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let record = try? Record.decode(data) else { return 0 }
    let encoded = record.canonicalData()
    guard let again = try? Record.decode(encoded) else { fatalError("canonical encoding does not decode") }
    precondition(again == record, "decode(encode(r)) != r")
    precondition(again.canonicalData() == encoded, "encoding not canonical")
    precondition(record.merged(with: record) == record, "merge not idempotent")
    // A second state of the same record: one more local write by a fixed replica.
    var other = record
    other.edit(by: ReplicaID(String(repeating: "f", count: 32))!, at: 0) { e in
        e.set("fuzz", .string("x"))
        e.add("t", to: "tags")
    }
    precondition(record.merged(with: other) == other.merged(with: record), "merge not commutative")
    precondition(record.merged(with: other).merged(with: other) == record.merged(with: other), "re-delivery changed the state")
    return 0
}
