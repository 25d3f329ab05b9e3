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
        var out = ByteOutput(capacity: 160 + 120 * record.fields.count)
        write(record, &out)
        return Data(bytesNoCopy: out.base, count: out.count, deallocator: .free)
    }

    /// Appends the canonical encoding of `record` to `out`.
    static func encode(_ record: Record, appendingTo out: inout [UInt8]) {
        var bytes = ByteOutput(capacity: 160 + 120 * record.fields.count)
        defer { free(bytes.base) }
        write(record, &bytes)
        out.append(contentsOf: UnsafeBufferPointer(start: bytes.base, count: bytes.count))
    }

    /// Replaces the contents of `buffer` with the canonical encoding of `record` (the store's
    /// write path reuses one buffer for a whole transaction instead of making a `Data` per state).
    static func encode(_ record: Record, into buffer: CanonicalBuffer) {
        buffer.output.count = 0
        write(record, &buffer.output)
    }

    /// Writes the canonical encoding through a pointer: room is reserved once per piece, then
    /// bytes are stored without further checks, and keys are ordered on the stack (no array
    /// of sorted pairs, no intermediate strings).
    static func write(_ record: Record, _ out: inout ByteOutput) {
        out.reserve(6)
        out.put("{\"f\":{")
        var first = true
        forEachSorted(record.fields) { name, register in
            if !first { out.reserve(1); out.put(UInt8(ascii: ",")) }
            first = false
            writeString(name, &out)
            out.reserve(2)
            out.put(":[")
            var firstSibling = true
            for s in register.siblings {
                // {"n":N,"r":"R","t":T,"v": : 12 + 20 + 32 + 6 + 20 + 5 bytes at most.
                out.reserve(96)
                out.put(firstSibling ? "{\"n\":" : ",{\"n\":")
                firstSibling = false
                writeInt(s.dot.counter, &out)
                out.put(",\"r\":\"")
                putReplica(s.dot.replica, &out)
                out.put("\",\"t\":")
                writeSigned(s.time, &out)
                out.put(",\"v\":")
                switch s.value {
                case .string(let text): writeString(text, &out)
                case .int(let n):
                    out.reserve(20)
                    writeSigned(n, &out)
                case .bool(let b):
                    out.reserve(5)
                    out.put(b ? "true" : "false")
                }
                out.reserve(1)
                out.put(UInt8(ascii: "}"))
            }
            out.reserve(1)
            out.put(UInt8(ascii: "]"))
        }
        out.reserve(7)
        out.put("},\"id\":")
        writeString(record.id, &out)
        let kind = record.kind.rawValue
        out.reserve(kind.utf8.count + 20)
        out.put(",\"kind\":\"")
        putUTF8(kind, &out)
        out.put("\",\"s\":{")
        first = true
        forEachSorted(record.sets) { name, set in
            if !first { out.reserve(1); out.put(UInt8(ascii: ",")) }
            first = false
            writeString(name, &out)
            out.reserve(2)
            out.put(":{")
            var firstElement = true
            forEachSorted(set.entries) { element, dots in
                if !firstElement { out.reserve(1); out.put(UInt8(ascii: ",")) }
                firstElement = false
                writeString(element, &out)
                out.reserve(2)
                out.put(":[")
                if dots.count == 1 {
                    writeDot(dots.first!, first: true, &out)
                } else {
                    for (j, dot) in dots.sorted().enumerated() { writeDot(dot, first: j == 0, &out) }
                }
                out.reserve(1)
                out.put(UInt8(ascii: "]"))
            }
            out.reserve(1)
            out.put(UInt8(ascii: "}"))
        }
        out.reserve(8)
        out.put("},\"vv\":{")
        let counters = record.version.counters
        if counters.count == 1, let (replica, counter) = counters.first {
            writeCounter(replica, counter, first: true, &out)
        } else {
            for (i, (replica, counter)) in counters.sorted(by: { $0.key < $1.key }).enumerated() {
                writeCounter(replica, counter, first: i == 0, &out)
            }
        }
        out.reserve(2)
        out.put("}}")
    }

    /// Calls `body` with the pairs of `d` in key order, ordered on the stack by insertion (a
    /// record has a few keys of each kind).
    @inline(__always)
    private static func forEachSorted<V>(_ d: [String: V], _ body: (String, V) -> Void) {
        switch d.count {
        case 0: return
        case 1:
            let (key, value) = d.first!
            body(key, value)
        default:
            withUnsafeTemporaryAllocation(of: (key: String, value: V).self, capacity: d.count) { pairs in
                let base = pairs.baseAddress!
                var n = 0
                for pair in d {
                    var j = n
                    while j > 0 && pair.key < base[j - 1].key { j -= 1 }
                    (base + j + 1).moveInitialize(from: base + j, count: n - j)
                    (base + j).initialize(to: pair)
                    n += 1
                }
                for i in 0..<n { body(base[i].key, base[i].value) }
                base.deinitialize(count: n)
            }
        }
    }

    /// `{"counter":N,"replica":"R"}`, after a comma unless `first`.
    private static func writeDot(_ dot: Dot, first: Bool, _ out: inout ByteOutput) {
        out.reserve(80)
        out.put(first ? "{\"counter\":" : ",{\"counter\":")
        writeInt(dot.counter, &out)
        out.put(",\"replica\":\"")
        putReplica(dot.replica, &out)
        out.put("\"}")
    }

    /// `"R":N`, after a comma unless `first`.
    private static func writeCounter(_ replica: ReplicaID, _ counter: UInt64, first: Bool, _ out: inout ByteOutput) {
        out.reserve(60)
        if !first { out.put(UInt8(ascii: ",")) }
        out.put(UInt8(ascii: "\""))
        putReplica(replica, &out)
        out.put("\":")
        writeInt(counter, &out)
    }

    /// A replica ID's 32 hex digits (room reserved).
    @inline(__always)
    private static func putReplica(_ replica: ReplicaID, _ out: inout ByteOutput) {
        putUTF8(replica.rawValue, &out)
    }

    /// A string's UTF-8 bytes as they are (room reserved).
    @inline(__always)
    private static func putUTF8(_ text: String, _ out: inout ByteOutput) {
        var text = text
        text.withUTF8 { out.put(UnsafeRawBufferPointer($0)) }
    }

    /// Decimal digits, most significant first (room for 20 reserved).
    @inline(__always)
    private static func writeInt(_ n: UInt64, _ out: inout ByteOutput) {
        if n < 10 { out.put(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: n)); return }
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20 && n >= limit { digits += 1; limit = limit &* 10 }
        var at = out.base + out.count + digits
        var rest = n
        repeat {
            at -= 1
            at.pointee = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
        out.count += digits
    }

    /// A signed decimal (room for 20 reserved).
    @inline(__always)
    private static func writeSigned(_ n: Int64, _ out: inout ByteOutput) {
        if n < 0 { out.put(UInt8(ascii: "-")) }
        writeInt(n.magnitude, &out)
    }

    private static let hex: StaticString = "0123456789abcdef"

    /// A JSON string: only `"`, `\` and control characters escaped.
    private static func writeString(_ s: String, _ out: inout ByteOutput) {
        var s = s
        s.withUTF8 { utf8 in
            var plain = true
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                plain = false
                break
            }
            if plain {
                out.reserve(utf8.count + 2)
                out.put(UInt8(ascii: "\""))
                out.put(UnsafeRawBufferPointer(utf8))
                out.put(UInt8(ascii: "\""))
                return
            }
            out.reserve(utf8.count * 6 + 2)
            out.put(UInt8(ascii: "\""))
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.put("\\\"")
                case UInt8(ascii: "\\"): out.put("\\\\")
                case 0x0A: out.put("\\n")
                case 0x0D: out.put("\\r")
                case 0x09: out.put("\\t")
                case 0x08: out.put("\\b")
                case 0x0C: out.put("\\f")
                case ..<0x20:
                    out.put("\\u00")
                    out.put(hex.utf8Start[Int(byte >> 4)])
                    out.put(hex.utf8Start[Int(byte & 0xF)])
                default: out.put(byte)
                }
            }
            out.put(UInt8(ascii: "\""))
        }
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

    /// The replica whose 32 hex digits are `text` (a version vector's key), shared with the
    /// replicas already seen; nil when `text` is not a replica ID.
    mutating func replica(named text: UnsafeBufferPointer<UInt8>) -> ReplicaID? {
        guard let (high, low) = ReplicaID.bits(text) else { return nil }
        if let known = knownReplicas.first(where: { $0.hasBits(high, low) }) { return known }
        let id = ReplicaID(validatedHex: String(decoding: text, as: UTF8.self), high: high, low: low)
        knownReplicas.append(id)
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
        try objectWithKeyBytes { p, key in
            guard key.count == 1 else { return try p.skipValue() }
            switch key[0] {
            case UInt8(ascii: "v"): value = try p.fieldValue()
            case UInt8(ascii: "r"): replica = try p.replica()
            case UInt8(ascii: "n"): counter = try p.counter()
            case UInt8(ascii: "t"): time = try p.int64()
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
        try objectWithKeyBytes { p, key in
            if Self.key(key, is: "replica") {
                replica = try p.replica()
            } else if Self.key(key, is: "counter") {
                counter = try p.counter()
            } else {
                try p.skipValue()
            }
        }
        guard let replica else { throw missing("replica") }
        guard let counter else { throw missing("counter") }
        return Dot(replica: replica, counter: counter)
    }

    /// True when a member name's bytes are `name`.
    @inline(__always)
    static func key(_ key: UnsafeBufferPointer<UInt8>, is name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }

    /// One record state, validated as `Record.decode` does.
    public mutating func record() throws -> Record {
        var id: String?, kind: RecordKind?
        var version = VersionVector()
        var fields: [String: MultiValueRegister] = [:]
        var sets: [String: AddWinsSet] = [:]
        try objectWithKeyBytes { p, key in
            if Self.key(key, is: "id") {
                let text = try p.string()
                guard Record.isValidID(text) else {
                    throw p.fail("record ID must be 1-\(Record.maxIDLength) characters of A-Z a-z 0-9 _ - : .")
                }
                id = text
            } else if Self.key(key, is: "kind") {
                let text = try p.string()
                guard let k = RecordKind(rawValue: text) else {
                    throw p.fail("unknown record kind \(text.prefix(40).debugDescription)")
                }
                kind = k
            } else if Self.key(key, is: "vv") {
                var counters: [ReplicaID: UInt64] = [:]
                try p.objectWithKeyBytes { p, replicaText in
                    guard let r = p.replica(named: replicaText) else {
                        let text = String(decoding: replicaText, as: UTF8.self)
                        throw p.fail("version vector key is not a replica ID: \(text.prefix(40).debugDescription)")
                    }
                    counters[r] = try p.counter()
                }
                // Every counter is positive (`counter()` checks): nothing to drop.
                version = VersionVector(positive: counters)
            } else if Self.key(key, is: "f") {
                try p.object { p, name in
                    var siblings: [Sibling] = []
                    try p.array { p in siblings.append(try p.sibling()) }
                    fields[name] = MultiValueRegister(siblings: siblings)
                }
            } else if Self.key(key, is: "s") {
                try p.object { p, name in
                    var entries: [String: Set<Dot>] = [:]
                    try p.object { p, element in
                        var dots = Set<Dot>()
                        try p.array { p in dots.insert(try p.dot()) }
                        entries[element] = dots
                    }
                    sets[name] = AddWinsSet(entries: entries)
                }
            } else {
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
