import Foundation

/// A strict, allocation-light JSON reader over a byte buffer: the record codec's parser, and the
/// sync wire decoders' (Foundation's `JSONDecoder` costs ~100 µs per record state, which made
/// every sync page decode-bound). Errors are `GlossError(.invalidInput)` naming the byte offset.
///
/// Use `JSONReader.read(data) { reader in ... }`: the reader must not outlive the closure.
public struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Runs `body` over `data`, then requires that nothing but whitespace follows.
    public static func read<T>(_ data: Data, _ body: (inout JSONReader) throws -> T) throws -> T {
        do {
            return try data.withUnsafeBytes { raw in
                var reader = JSONReader(bytes: raw.bindMemory(to: UInt8.self))
                let value = try body(&reader)
                reader.skipWhitespace()
                guard reader.atEnd else { throw reader.syntax("unexpected data after the value") }
                return value
            }
        } catch let failure as JSONReaderFailure {
            throw GlossError(.invalidInput, failure.description)
        }
    }

    /// The offset of the next byte.
    public var offset: Int { i }

    /// True when the next value is `null` (not consumed).
    public mutating func peekNull() -> Bool {
        skipWhitespace()
        return bytes.count - i >= 4 && bytes[i..<i + 4].elementsEqual("null".utf8)
    }

    var atEnd: Bool { i >= bytes.count }

    /// A failure to throw: the input is not what it must be (`message` says what it must be).
    /// The path of the member being read is added as the error travels up.
    public func fail(_ message: String) -> JSONReaderFailure {
        JSONReaderFailure(kind: .invalid, message: message, offset: i)
    }

    /// A failure of JSON syntax itself.
    func syntax(_ message: String) -> JSONReaderFailure {
        JSONReaderFailure(kind: .syntax, message: message, offset: i)
    }

    /// A failure to throw when a required member is absent.
    public func missing(_ member: String) -> JSONReaderFailure {
        var failure = JSONReaderFailure(kind: .missing, message: "is missing", offset: i)
        failure.reversedPath = [member]
        return failure
    }

    /// The failure for a value that is not `expected`: "has the wrong type" when the next bytes
    /// start some other JSON value, a syntax error otherwise.
    func unexpected(_ expected: String) -> JSONReaderFailure {
        guard i < bytes.count else { return syntax("unexpected end of input, expected \(expected)") }
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"), 0x30...0x39,
            UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return JSONReaderFailure(kind: .wrongType, message: "has the wrong type (expected \(expected))", offset: i)
        default:
            return syntax("expected \(expected)")
        }
    }

    mutating func skipWhitespace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws {
        skipWhitespace()
        guard i < bytes.count, bytes[i] == c else {
            throw syntax("expected '\(Character(UnicodeScalar(c)))'")
        }
        i += 1
    }

    /// Consumes `c` if it is next.
    mutating func take(_ c: UInt8) -> Bool {
        skipWhitespace()
        if i < bytes.count, bytes[i] == c { i += 1; return true }
        return false
    }

    /// Iterates the members of an object, calling `body` with each key (`objectWithKeyBytes`,
    /// with the key made a `String`).
    public mutating func object(_ body: (inout JSONReader, String) throws -> Void) throws {
        try objectWithKeyBytes { reader, key in try body(&reader, String(decoding: key, as: UTF8.self)) }
    }

    /// Iterates the members of an object like `object`, passing each key's UTF-8 bytes instead
    /// of a `String`: the record decoder matches its fixed keys without making a string per
    /// member. A key with escapes or non-ASCII bytes is read (and validated) as `string()`
    /// reads it.
    mutating func objectWithKeyBytes(_ body: (inout JSONReader, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        skipWhitespace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw unexpected("an object") }
        i += 1
        if take(UInt8(ascii: "}")) { return }
        repeat {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw syntax("expected a member name") }
            // Plain ASCII up to the closing quote: the key is those bytes.
            var end = i + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"),
                bytes[end] >= 0x20, bytes[end] < 0x80
            { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                let key = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end])
                i = end + 1
                try expect(UInt8(ascii: ":"))
                do {
                    try body(&self, key)
                } catch var failure as JSONReaderFailure {
                    failure.reversedPath.append(String(decoding: key, as: UTF8.self))
                    throw failure
                }
            } else {
                var key = try string()
                try expect(UInt8(ascii: ":"))
                do {
                    try key.withUTF8 { try body(&self, $0) }
                } catch var failure as JSONReaderFailure {
                    failure.reversedPath.append(key)
                    throw failure
                }
            }
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Iterates the elements of an array.
    public mutating func array(_ body: (inout JSONReader) throws -> Void) throws {
        skipWhitespace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { throw unexpected("an array") }
        i += 1
        if take(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            do {
                try body(&self)
            } catch var failure as JSONReaderFailure {
                failure.reversedPath.append("[\(index)]")
                throw failure
            }
            index += 1
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// A string.
    public mutating func string() throws -> String {
        skipWhitespace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw unexpected("a string") }
        i += 1
        let start = i
        var plain = true
        var ascii = true
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\\") { plain = false; i += 1 }
            else if byte < 0x20 { throw syntax("control character in string") }
            else if byte >= 0x80 { ascii = false }
            i += 1
        }
        guard i < bytes.count else { throw syntax("unterminated string") }
        let end = i
        i += 1
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if plain {
            // ASCII is valid UTF-8 as it stands: skip the (costly, generic) validation.
            if ascii { return String(decoding: slice, as: UTF8.self) }
            guard let s = String(validating: slice, as: UTF8.self) else { throw syntax("invalid UTF-8 in string") }
            return s
        }
        return try unescape(slice)
    }

    /// The text of a JSON string's contents (the bytes between its quotes, with escapes), read
    /// as `string()` reads it: for scanners that find a string's extent themselves.
    public static func unescaped(_ contents: UnsafeBufferPointer<UInt8>) throws -> String {
        try JSONReader(bytes: contents).unescape(contents)
    }

    func unescape(_ slice: UnsafeBufferPointer<UInt8>) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var j = 0
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= slice.count else { throw syntax("short \\u escape") }
            var v: UInt32 = 0
            for k in at..<at + 4 {
                let c = slice[k]
                v <<= 4
                switch c {
                case 0x30...0x39: v |= UInt32(c - 0x30)
                case 0x41...0x46: v |= UInt32(c - 0x41 + 10)
                case 0x61...0x66: v |= UInt32(c - 0x61 + 10)
                default: throw syntax("bad \\u escape")
                }
            }
            return v
        }
        while j < slice.count {
            let c = slice[j]
            guard c == UInt8(ascii: "\\") else { out.append(c); j += 1; continue }
            guard j + 1 < slice.count else { throw syntax("bad escape") }
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
                        throw syntax("unpaired surrogate")
                    }
                    let low = try hex4(j + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw syntax("unpaired surrogate") }
                    j += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw syntax("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw syntax("bad escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw syntax("invalid UTF-8 in string") }
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
        guard i > start else {
            if negative { throw syntax("expected a number") }
            throw unexpected("an integer")
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            throw fail("must be an integer")
        }
        return (v, negative)
    }

    mutating func counter() throws -> UInt64 {
        let (v, negative) = try integer()
        guard !negative, v > 0, v < UInt64(1) << 53 else { throw fail("version counter out of range (1...2^53-1)") }
        return v
    }

    public mutating func int64() throws -> Int64 {
        let (v, negative) = try integer()
        if negative {
            guard v <= UInt64(Int64.max) + 1 else { throw fail("number out of range") }
            return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
        }
        guard v <= UInt64(Int64.max) else { throw fail("number out of range") }
        return Int64(v)
    }
    /// `true` or `false`.
    public mutating func literalBool() throws -> Bool {
        skipWhitespace()
        if bytes.count - i >= 4, bytes[i..<i + 4].elementsEqual("true".utf8) { i += 4; return true }
        if bytes.count - i >= 5, bytes[i..<i + 5].elementsEqual("false".utf8) { i += 5; return false }
        throw unexpected("true or false")
    }

    /// Skips any JSON value (for unknown keys), refusing nesting deeper than 32.
    public mutating func skipValue(depth: Int = 0) throws {
        guard depth < 32 else { throw syntax("nesting too deep") }
        skipWhitespace()
        guard i < bytes.count else { throw syntax("expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"): try object { p, _ in try p.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array { p in try p.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try literalBool()
        case UInt8(ascii: "n"):
            guard bytes.count - i >= 4, bytes[i..<i + 4].elementsEqual("null".utf8) else { throw syntax("bad literal") }
            i += 4
        default:
            try skipNumber()
        }
    }

    /// Skips a JSON number of any form (fraction and exponent included).
    mutating func skipNumber() throws {
        func digits(_ reader: inout JSONReader) -> Bool {
            let start = reader.i
            while reader.i < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.i]) { reader.i += 1 }
            return reader.i > start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard digits(&self) else { throw syntax("expected a value") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) else { throw syntax("bad number") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) else { throw syntax("bad number") }
        }
    }

    /// Consumes `null` if it is next.
    public mutating func takeNull() -> Bool {
        guard peekNull() else { return false }
        i += 4
        return true
    }

    /// Replica IDs seen so far in this input: a record names the same few replicas in every
    /// value and set element, so each is parsed from text once and then shared.
    var knownReplicas: [ReplicaID] = []
}

/// Why a `JSONReader` refused its input, and where (converted to `GlossError(.invalidInput)`
/// by `JSONReader.read`).
public struct JSONReaderFailure: Error, CustomStringConvertible {
    enum Kind { case syntax, wrongType, missing, invalid }
    let kind: Kind
    let message: String
    /// The byte offset where reading stopped.
    let offset: Int
    /// Member names and `[index]`es from the failing value up to the top.
    var reversedPath: [String] = []

    /// The member's path, like `states[1].vv`.
    public var path: String {
        reversedPath.reversed().enumerated().map { index, part in
            index == 0 || part.hasPrefix("[") ? part : "." + part
        }.joined()
    }

    public var description: String {
        switch kind {
        case .syntax: return "not valid JSON at byte \(offset)" + (path.isEmpty ? "" : " (in \(path))") + ": \(message)"
        case .wrongType, .missing: return path.isEmpty ? message : "\(path) \(message)"
        case .invalid: return path.isEmpty ? message : "\(path): \(message)"
        }
    }
}
