import Foundation

extension RecordJSON {
    /// True when `bytes` are exactly `encode(record)`, checked by walking the encoding against
    /// the bytes without building it (no allocation for the common shapes): a receiver proves a
    /// sender's bytes canonical this way and stores them instead of encoding the record again.
    ///
    /// Must follow `encode` exactly; debug builds check that it does on every call.
    static func matchesCanonicalEncoding(_ record: Record, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var m = CanonicalMatcher(bytes: bytes)
        let result = m.match(record) && m.i == bytes.count
        assert(result == (Data(bytes) == encode(record)), "matchesCanonicalEncoding disagrees with encode")
        return result
    }
}

/// Compares a record's canonical encoding with bytes, piece by piece (see `RecordJSON.encode`).
private struct CanonicalMatcher {
    let bytes: UnsafeRawBufferPointer
    var i = 0

    mutating func match(_ record: Record) -> Bool {
        guard lit("{\"f\":{") else { return false }
        var first = true
        for (name, register) in sortedByKey(record.fields) {
            if !first { guard byte(UInt8(ascii: ",")) else { return false } }
            first = false
            guard string(name), lit(":[") else { return false }
            for (index, s) in register.siblings.enumerated() {
                if index > 0 { guard byte(UInt8(ascii: ",")) else { return false } }
                guard lit("{\"n\":"), unsigned(s.dot.counter), lit(",\"r\":\""), raw(s.dot.replica.rawValue),
                    lit("\",\"t\":"), signed(s.time), lit(",\"v\":")
                else { return false }
                switch s.value {
                case .string(let text): guard string(text) else { return false }
                case .int(let n): guard signed(n) else { return false }
                case .bool(let b): guard b ? lit("true") : lit("false") else { return false }
                }
                guard byte(UInt8(ascii: "}")) else { return false }
            }
            guard byte(UInt8(ascii: "]")) else { return false }
        }
        guard lit("},\"id\":"), string(record.id), lit(",\"kind\":\""), raw(record.kind.rawValue), lit("\",\"s\":{") else {
            return false
        }
        first = true
        for (name, set) in sortedByKey(record.sets) {
            if !first { guard byte(UInt8(ascii: ",")) else { return false } }
            first = false
            guard string(name), lit(":{") else { return false }
            for (index, (element, dots)) in sortedByKey(set.entries).enumerated() {
                if index > 0 { guard byte(UInt8(ascii: ",")) else { return false } }
                guard string(element), lit(":[") else { return false }
                for (j, dot) in (dots.count == 1 ? Array(dots) : dots.sorted()).enumerated() {
                    if j > 0 { guard byte(UInt8(ascii: ",")) else { return false } }
                    guard lit("{\"counter\":"), unsigned(dot.counter), lit(",\"replica\":\""), raw(dot.replica.rawValue), lit("\"}") else {
                        return false
                    }
                }
                guard byte(UInt8(ascii: "]")) else { return false }
            }
            guard byte(UInt8(ascii: "}")) else { return false }
        }
        guard lit("},\"vv\":{") else { return false }
        for (index, (replica, counter)) in sortedByKey(record.version.counters).enumerated() {
            if index > 0 { guard byte(UInt8(ascii: ",")) else { return false } }
            guard byte(UInt8(ascii: "\"")), raw(replica.rawValue), lit("\":"), unsigned(counter) else { return false }
        }
        return lit("}}")
    }

    /// The pairs of a dictionary in key order (no sorting work for one or two keys).
    private func sortedByKey<K: Comparable, V>(_ d: [K: V]) -> [(key: K, value: V)] {
        if d.count < 2 { return d.map { ($0.key, $0.value) } }
        return d.sorted { $0.key < $1.key }
    }

    private mutating func byte(_ b: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }

    private mutating func lit(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { raw(UnsafeRawBufferPointer($0)) }
    }

    private mutating func raw(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { raw(UnsafeRawBufferPointer($0)) }
    }

    private mutating func raw(_ expected: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count - i >= expected.count else { return false }
        if expected.count > 0, memcmp(bytes.baseAddress! + i, expected.baseAddress!, expected.count) != 0 { return false }
        i += expected.count
        return true
    }

    private mutating func unsigned(_ n: UInt64) -> Bool {
        // The digits of n, most significant first, with no leading zero.
        var divisor: UInt64 = 1
        while n / divisor >= 10 { divisor *= 10 }
        var rest = n
        while divisor > 0 {
            guard byte(UInt8(ascii: "0") + UInt8(rest / divisor)) else { return false }
            rest %= divisor
            divisor /= 10
        }
        return true
    }

    private mutating func signed(_ n: Int64) -> Bool {
        if n < 0 { guard byte(UInt8(ascii: "-")) else { return false } }
        return unsigned(n.magnitude)
    }

    /// A JSON string as `encode` writes it: only `"`, `\` and control characters escaped.
    private mutating func string(_ s: String) -> Bool {
        guard byte(UInt8(ascii: "\"")) else { return false }
        var s = s
        let ok = s.withUTF8 { utf8 -> Bool in
            for b in utf8 {
                switch b {
                case UInt8(ascii: "\""): guard byte(UInt8(ascii: "\\")), byte(UInt8(ascii: "\"")) else { return false }
                case UInt8(ascii: "\\"): guard byte(UInt8(ascii: "\\")), byte(UInt8(ascii: "\\")) else { return false }
                case 0x0A: guard byte(UInt8(ascii: "\\")), byte(UInt8(ascii: "n")) else { return false }
                case 0x0D: guard byte(UInt8(ascii: "\\")), byte(UInt8(ascii: "r")) else { return false }
                case 0x09: guard byte(UInt8(ascii: "\\")), byte(UInt8(ascii: "t")) else { return false }
                case 0x08: guard byte(UInt8(ascii: "\\")), byte(UInt8(ascii: "b")) else { return false }
                case 0x0C: guard byte(UInt8(ascii: "\\")), byte(UInt8(ascii: "f")) else { return false }
                case ..<0x20:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    guard lit("\\u00"), byte(hex[Int(b >> 4)]), byte(hex[Int(b & 0xF)]) else { return false }
                default: guard byte(b) else { return false }
                }
            }
            return true
        }
        return ok && byte(UInt8(ascii: "\""))
    }
}
