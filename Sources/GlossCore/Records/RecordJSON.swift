import Foundation

/// A fast, canonical JSON codec for `Record`, the store's and the wire's hot path.
///
/// Foundation's `JSONEncoder`/`JSONDecoder` cost ~100 µs per record here, which capped local
/// writes and merges at a few thousand per second; this codec writes and parses the one fixed
/// shape directly. The format is the one `Record: Codable` produces with sorted keys:
/// `{"f":{field:[{"n":counter,"r":replica,"t":ms,"v":value}]},"id":…,"kind":…,"s":{set:{elem:[{"counter":n,"replica":r}]}},"vv":{replica:n}}`.
/// Equal records give equal bytes. Decoding validates exactly what `Record.init(from:)` does.
enum RecordJSON {
    // MARK: Encoding

    static func encode(_ record: Record) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(160 + 120 * record.fields.count)
        encode(record, appendingTo: &out)
        return Data(out)
    }

    /// Appends the canonical encoding of `record` to `out` (the store's write path reuses one
    /// buffer for a whole transaction instead of making a `Data` per state).
    static func encode(_ record: Record, appendingTo out: inout [UInt8]) {
        out.append(ascii: "{\"f\":{")
        var first = true
        for (name, register) in record.fields.sorted(by: { $0.key < $1.key }) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(name, &out)
            out.append(ascii: ":[")
            for (i, s) in register.siblings.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(ascii: "{\"n\":")
                writeInt(s.dot.counter, &out)
                out.append(ascii: ",\"r\":\"")
                out.append(contentsOf: s.dot.replica.rawValue.utf8)
                out.append(ascii: "\",\"t\":")
                writeSigned(s.time, &out)
                out.append(ascii: ",\"v\":")
                switch s.value {
                case .string(let text): writeString(text, &out)
                case .int(let n): writeSigned(n, &out)
                case .bool(let b): out.append(ascii: b ? "true" : "false")
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(ascii: "},\"id\":")
        writeString(record.id, &out)
        out.append(ascii: ",\"kind\":\"")
        out.append(contentsOf: record.kind.rawValue.utf8)
        out.append(ascii: "\",\"s\":{")
        first = true
        for (name, set) in record.sets.sorted(by: { $0.key < $1.key }) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(name, &out)
            out.append(ascii: ":{")
            for (i, (element, dots)) in set.entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(element, &out)
                out.append(ascii: ":[")
                for (j, dot) in (dots.count == 1 ? Array(dots) : dots.sorted()).enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(ascii: "{\"counter\":")
                    writeInt(dot.counter, &out)
                    out.append(ascii: ",\"replica\":\"")
                    out.append(contentsOf: dot.replica.rawValue.utf8)
                    out.append(ascii: "\"}")
                }
                out.append(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(ascii: "},\"vv\":{")
        for (i, (replica, counter)) in record.version.counters.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: replica.rawValue.utf8)
            out.append(ascii: "\":")
            writeInt(counter, &out)
        }
        out.append(ascii: "}}")
    }

    private static func writeInt(_ n: UInt64, _ out: inout [UInt8]) {
        if n < 10 { out.append(UInt8(ascii: "0") + UInt8(n)); return }
        // Digits into a small stack buffer from the end, then one append.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            var rest = n
            while rest > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }


    private static func writeSigned(_ n: Int64, _ out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        writeInt(n.magnitude, &out)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them in one go.
        let copied: Bool? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if copied == true { return }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(ascii: "\\\"")
            case UInt8(ascii: "\\"): out.append(ascii: "\\\\")
            case 0x0A: out.append(ascii: "\\n")
            case 0x0D: out.append(ascii: "\\r")
            case 0x09: out.append(ascii: "\\t")
            case 0x08: out.append(ascii: "\\b")
            case 0x0C: out.append(ascii: "\\f")
            case ..<0x20:
                out.append(ascii: "\\u00")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Decoding

    static func decode(_ data: Data) throws -> Record {
        do {
            return try JSONReader.read(data) { reader in try reader.record() }
        } catch let error as GlossError {
            throw GlossError(.invalidInput, "malformed record JSON: \(error.message)")
        }
    }
}

/// The record-shaped parts of the reader (see `RecordJSON` for the format).
extension JSONReader {
    mutating func replica() throws -> ReplicaID {
        skipWhitespace()
        // Fast path: a quoted run of 32 lowercase hex digits, compared by value with the
        // replicas already seen, so no string is made for a repeat.
        if i + 34 <= bytes.count, bytes[i] == UInt8(ascii: "\""), bytes[i + 33] == UInt8(ascii: "\""),
            let (high, low) = ReplicaID.bits(UnsafeBufferPointer(rebasing: bytes[(i + 1)..<(i + 33)]))
        {
            i += 34
            if let known = knownReplicas.first(where: { $0.hasBits(high, low) }) { return known }
            let id = ReplicaID(validatedHex: String(decoding: UnsafeBufferPointer(rebasing: bytes[(i - 33)..<(i - 1)]), as: UTF8.self), high: high, low: low)
            knownReplicas.append(id)
            return id
        }
        let text = try string()
        guard let id = ReplicaID(text) else { throw fail("replica ID must be 32 lowercase hex digits") }
        return id
    }

    mutating func fieldValue() throws -> FieldValue {
        skipWhitespace()
        guard i < bytes.count else { throw fail("expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try literalBool())
        case UInt8(ascii: "-"), 0x30...0x39: return .int(try int64())
        default: throw fail("field value must be a string, an integer or a boolean")
        }
    }



    mutating func sibling() throws -> Sibling {
        var value: FieldValue?, replica: ReplicaID?, counter: UInt64?, time: Int64?
        try object { p, key in
            switch key {
            case "v": value = try p.fieldValue()
            case "r": replica = try p.replica()
            case "n": counter = try p.counter()
            case "t": time = try p.int64()
            default: try p.skipValue()
            }
        }
        guard let value else { throw missing("v") }
        guard let replica else { throw missing("r") }
        guard let counter else { throw missing("n") }
        guard let time else { throw missing("t") }
        return Sibling(value: value, dot: Dot(replica: replica, counter: counter), time: time)
    }

    mutating func dot() throws -> Dot {
        var replica: ReplicaID?, counter: UInt64?
        try object { p, key in
            switch key {
            case "replica": replica = try p.replica()
            case "counter": counter = try p.counter()
            default: try p.skipValue()
            }
        }
        guard let replica else { throw missing("replica") }
        guard let counter else { throw missing("counter") }
        return Dot(replica: replica, counter: counter)
    }

    /// One record state, validated as `Record.decode` does.
    public mutating func record() throws -> Record {
        var id: String?, kind: RecordKind?
        var version = VersionVector()
        var fields: [String: MultiValueRegister] = [:]
        var sets: [String: AddWinsSet] = [:]
        try object { p, key in
            switch key {
            case "id":
                let text = try p.string()
                guard Record.isValidID(text) else {
                    throw p.fail("record ID must be 1-\(Record.maxIDLength) characters of A-Z a-z 0-9 _ - : .")
                }
                id = text
            case "kind":
                let text = try p.string()
                guard let k = RecordKind(rawValue: text) else {
                    throw p.fail("unknown record kind \(text.prefix(40).debugDescription)")
                }
                kind = k
            case "vv":
                var counters: [ReplicaID: UInt64] = [:]
                try p.object { p, replicaText in
                    guard let r = p.knownReplicas.first(where: { $0.rawValue == replicaText }) ?? ReplicaID(replicaText) else {
                        throw p.fail("version vector key is not a replica ID: \(replicaText.prefix(40).debugDescription)")
                    }
                    counters[r] = try p.counter()
                }
                version = VersionVector(counters)
            case "f":
                try p.object { p, name in
                    var siblings: [Sibling] = []
                    try p.array { p in siblings.append(try p.sibling()) }
                    fields[name] = MultiValueRegister(siblings: siblings)
                }
            case "s":
                try p.object { p, name in
                    var entries: [String: Set<Dot>] = [:]
                    try p.object { p, element in
                        var dots = Set<Dot>()
                        try p.array { p in dots.insert(try p.dot()) }
                        entries[element] = dots
                    }
                    sets[name] = AddWinsSet(entries: entries)
                }
            default:
                try p.skipValue()
            }
        }
        guard let id else { throw missing("id") }
        guard let kind else { throw missing("kind") }
        for register in fields.values {
            for s in register.siblings where !version.covers(s.dot) {
                throw fail("a field value's dot \(s.dot) is not covered by the record's version vector")
            }
        }
        for set in sets.values {
            for dots in set.entries.values {
                for d in dots where !version.covers(d) {
                    throw fail("a set element's dot \(d) is not covered by the record's version vector")
                }
            }
        }
        return Record(id: id, kind: kind, version: version, fields: fields, sets: sets)
    }
}

extension Array where Element == UInt8 {
    fileprivate mutating func append(ascii text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}
