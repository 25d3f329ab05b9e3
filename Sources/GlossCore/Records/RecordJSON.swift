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
        out.reserveCapacity(256)
        out.append(ascii: "{\"f\":{")
        var first = true
        for name in record.fields.keys.sorted() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(name, &out)
            out.append(ascii: ":[")
            for (i, s) in record.fields[name]!.siblings.enumerated() {
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
        for name in record.sets.keys.sorted() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(name, &out)
            out.append(ascii: ":{")
            let entries = record.sets[name]!.entries
            for (i, element) in entries.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(element, &out)
                out.append(ascii: ":[")
                for (j, dot) in entries[element]!.sorted().enumerated() {
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
        for (i, replica) in record.version.counters.keys.sorted().enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: replica.rawValue.utf8)
            out.append(ascii: "\":")
            writeInt(record.version.counters[replica]!, &out)
        }
        out.append(ascii: "}}")
        return Data(out)
    }

    private static func writeInt(_ n: UInt64, _ out: inout [UInt8]) {
        if n == 0 { out.append(UInt8(ascii: "0")); return }
        var digits: [UInt8] = []
        var v = n
        while v > 0 { digits.append(UInt8(ascii: "0") + UInt8(v % 10)); v /= 10 }
        out.append(contentsOf: digits.reversed())
    }

    private static func writeSigned(_ n: Int64, _ out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        writeInt(n.magnitude, &out)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
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
        try data.withUnsafeBytes { raw in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
            let record = try parser.record()
            parser.skipWhitespace()
            guard parser.atEnd else { throw parser.fail("unexpected data after the record") }
            return record
        }
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        var atEnd: Bool { i >= bytes.count }

        func fail(_ message: String) -> GlossError {
            GlossError(.invalidInput, "malformed record JSON at byte \(i): \(message)")
        }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == c else {
                throw fail("expected '\(Character(UnicodeScalar(c)))'")
            }
            i += 1
        }

        /// Consumes `c` if it is next.
        mutating func take(_ c: UInt8) -> Bool {
            skipWhitespace()
            if i < bytes.count, bytes[i] == c { i += 1; return true }
            return false
        }

        /// Iterates the members of an object, calling `body` with each key.
        mutating func object(_ body: (inout Parser, String) throws -> Void) throws {
            try expect(UInt8(ascii: "{"))
            if take(UInt8(ascii: "}")) { return }
            repeat {
                let key = try string()
                try expect(UInt8(ascii: ":"))
                try body(&self, key)
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        }

        mutating func array(_ body: (inout Parser) throws -> Void) throws {
            try expect(UInt8(ascii: "["))
            if take(UInt8(ascii: "]")) { return }
            repeat { try body(&self) } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = i
            var plain = true
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") { plain = false; i += 1 }
                else if bytes[i] < 0x20 { throw fail("control character in string") }
                i += 1
            }
            guard i < bytes.count else { throw fail("unterminated string") }
            let end = i
            i += 1
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if plain {
                guard let s = String(validating: slice, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
                return s
            }
            return try unescape(slice)
        }

        func unescape(_ slice: UnsafeBufferPointer<UInt8>) throws -> String {
            var out: [UInt8] = []
            out.reserveCapacity(slice.count)
            var j = 0
            func hex4(_ at: Int) throws -> UInt32 {
                guard at + 4 <= slice.count else { throw fail("short \\u escape") }
                var v: UInt32 = 0
                for k in at..<at + 4 {
                    let c = slice[k]
                    v <<= 4
                    switch c {
                    case 0x30...0x39: v |= UInt32(c - 0x30)
                    case 0x41...0x46: v |= UInt32(c - 0x41 + 10)
                    case 0x61...0x66: v |= UInt32(c - 0x61 + 10)
                    default: throw fail("bad \\u escape")
                    }
                }
                return v
            }
            while j < slice.count {
                let c = slice[j]
                guard c == UInt8(ascii: "\\") else { out.append(c); j += 1; continue }
                guard j + 1 < slice.count else { throw fail("bad escape") }
                let e = slice[j + 1]
                j += 2
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(j)
                    j += 4
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard j + 6 <= slice.count, slice[j] == UInt8(ascii: "\\"), slice[j + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate")
                        }
                        let low = try hex4(j + 2)
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                        j += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail("bad escape")
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
            return s
        }

        /// An integer (no fraction or exponent); `negative` tells whether it had a minus sign.
        mutating func integer() throws -> (magnitude: UInt64, negative: Bool) {
            skipWhitespace()
            var negative = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            let start = i
            var v: UInt64 = 0
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - 0x30))
                if o1 || o2 { throw fail("number out of range") }
                v = a
                i += 1
            }
            guard i > start else { throw fail("expected a number") }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                throw fail("expected an integer")
            }
            return (v, negative)
        }

        mutating func counter() throws -> UInt64 {
            let (v, negative) = try integer()
            guard !negative, v > 0, v < UInt64(1) << 53 else { throw fail("version counter out of range (1...2^53-1)") }
            return v
        }

        mutating func int64() throws -> Int64 {
            let (v, negative) = try integer()
            if negative {
                guard v <= UInt64(Int64.max) + 1 else { throw fail("number out of range") }
                return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
            }
            guard v <= UInt64(Int64.max) else { throw fail("number out of range") }
            return Int64(v)
        }

        mutating func replica() throws -> ReplicaID {
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

        mutating func literalBool() throws -> Bool {
            if bytes.count - i >= 4, bytes[i..<i + 4].elementsEqual("true".utf8) { i += 4; return true }
            if bytes.count - i >= 5, bytes[i..<i + 5].elementsEqual("false".utf8) { i += 5; return false }
            throw fail("expected true or false")
        }

        /// Skips any JSON value (for unknown keys), refusing nesting deeper than 32.
        mutating func skipValue(depth: Int = 0) throws {
            guard depth < 32 else { throw fail("nesting too deep") }
            skipWhitespace()
            guard i < bytes.count else { throw fail("expected a value") }
            switch bytes[i] {
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "{"): try object { p, _ in try p.skipValue(depth: depth + 1) }
            case UInt8(ascii: "["): try array { p in try p.skipValue(depth: depth + 1) }
            case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try literalBool()
            case UInt8(ascii: "n"):
                guard bytes.count - i >= 4, bytes[i..<i + 4].elementsEqual("null".utf8) else { throw fail("bad literal") }
                i += 4
            default:
                _ = try integer()
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
            guard let value, let replica, let counter, let time else { throw fail("a field value needs v, r, n and t") }
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
            guard let replica, let counter else { throw fail("a dot needs replica and counter") }
            return Dot(replica: replica, counter: counter)
        }

        mutating func record() throws -> Record {
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
                        guard let r = ReplicaID(replicaText) else {
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
            guard let id else { throw fail("missing record ID") }
            guard let kind else { throw fail("missing record kind") }
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
}

extension Array where Element == UInt8 {
    fileprivate mutating func append(ascii text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}
