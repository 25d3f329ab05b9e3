import Foundation
import GlossCore

/// Reads a record's search-index entry (`SearchIndexer.entry(for:)`) straight from its stored
/// state, the canonical JSON of `RecordJSON`, without decoding the whole record: the search
/// catch-up after a large sync spent most of its Swift time building `Record`s (every field,
/// dot and set element) only to read five text fields and one set.
///
/// It walks the JSON once, keeps only the indexed fields' winning values and the `tags`
/// elements, and answers `.undecided` whenever the answer could differ from
/// `Record.decode` + `entry(for:)`, so the caller decodes the record as before:
///
/// - a field or set it reads occurs twice, or a sibling or member name is repeated;
/// - an indexed field has siblings not in strictly increasing dot order (the canonical order
///   puts the winner, the greatest dot, last; equal dots mean a counter reuse);
/// - a name it must compare is escaped, a value has an escape the decoder refuses, a string is
///   not valid UTF-8, or anything is not well-formed JSON of the expected shape (escaped values
///   are read by the decoder's own `JSONReader.unescaped`);
/// - tags are not in strictly increasing order (as `String` orders them).
///
/// It checks nothing else (record ID, kind, version vector, dot coverage): the store holds only
/// states that were validated when they were written.
struct SearchEntryScanner {
    enum Outcome: Equatable {
        /// The record has this entry (nil: no index row; deleted, or no indexed text).
        case entry(SearchIndexer.Entry?)
        /// The scanner cannot tell: decode the record.
        case undecided

        static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            switch (lhs, rhs) {
            case (.undecided, .undecided): return true
            case (.entry(let a), .entry(let b)):
                guard let a, let b else { return a == nil && b == nil }
                return a.title == b.title && a.body == b.body && a.tags == b.tags
            default: return false
            }
        }
    }

    /// The fields read, in `Slot` order: the title, the body parts in the order they are joined,
    /// and the delete flag.
    private static let fieldNames: [[UInt8]] = ["title", "text", "body", "exact", "comment", "claim", "deleted"].map { Array($0.utf8) }
    private static let deletedSlot = 6

    /// The winning value of one field, as positions in the bytes.
    private enum Winner {
        case string(start: Int, end: Int, escaped: Bool)
        case bool(Bool)
        case other
    }

    private struct Undecided: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var winners: [Winner?] = Array(repeating: nil, count: 7)
    /// Indexed fields met so far (bit per slot).
    private var seen = 0
    /// Every element of `tags`, and whether it has a dot (an element without one is dropped).
    private var tags: [(start: Int, end: Int, escaped: Bool, live: Bool)] = []

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The entry of the record whose stored state is `state`.
    static func scan(_ state: UnsafeRawBufferPointer) -> Outcome {
        var scanner = SearchEntryScanner(state.bindMemory(to: UInt8.self))
        do {
            return .entry(try scanner.run())
        } catch {
            return .undecided
        }
    }

    private mutating func run() throws -> SearchIndexer.Entry? {
        var sawFields = false, sawSets = false
        try object { s, key in
            if try s.keyIs(key, "f") {
                guard !sawFields else { throw Undecided() }
                sawFields = true
                try s.fields()
            } else if try s.keyIs(key, "s") {
                guard !sawSets else { throw Undecided() }
                sawSets = true
                try s.sets()
            } else {
                try s.skipValue(depth: 1)
            }
        }
        skipWhitespace()
        guard i == bytes.count else { throw Undecided() }

        if case .bool(true) = winners[Self.deletedSlot] { return nil }
        let title = try text(winners[0])
        var bodyParts: [String] = []
        for slot in 1...5 {
            if let part = try text(winners[slot]) { bodyParts.append(part) }
        }
        var tagTexts: [String] = []
        tagTexts.reserveCapacity(tags.count)
        var previousTag: String?
        for tag in tags {
            let text = try string(tag.start, tag.end, escaped: tag.escaped)
            // Strictly increasing: sorted as `AddWinsSet.elements` sorts, no two equal.
            if let last = previousTag, !(last < text) { throw Undecided() }
            previousTag = text
            if tag.live { tagTexts.append(text) }
        }
        return SearchIndexer.entry(title: title, bodyParts: bodyParts, tags: tagTexts)
    }

    // MARK: The record's parts

    /// `"f"`: field name -> siblings.
    private mutating func fields() throws {
        try object { s, key in
            guard let slot = try s.slot(key) else { try s.skipValue(depth: 2); return }
            guard s.seen & (1 << slot) == 0 else { throw Undecided() }
            s.seen |= 1 << slot
            s.winners[slot] = try s.siblings()
        }
    }

    /// The siblings of an indexed field; the winner is the last when dots strictly increase.
    private mutating func siblings() throws -> Winner? {
        var winner: Winner?
        var previous: (counter: UInt64, replica: Int)?
        try array { s in
            let (value, counter, replica) = try s.sibling()
            if let previous {
                let order = s.compareDots(previous, (counter, replica))
                guard order < 0 else { throw Undecided() }
            }
            previous = (counter, replica)
            winner = value
        }
        return winner
    }

    /// One sibling `{"n":…,"r":…,"t":…,"v":…}` (members in any order, each once).
    private mutating func sibling() throws -> (Winner, UInt64, Int) {
        var value: Winner?, counter: UInt64?, replica: Int?, time = false
        try object { s, key in
            if try s.keyIs(key, "v") {
                guard value == nil else { throw Undecided() }
                value = try s.value()
            } else if try s.keyIs(key, "n") {
                guard counter == nil else { throw Undecided() }
                counter = try s.counter()
            } else if try s.keyIs(key, "r") {
                guard replica == nil else { throw Undecided() }
                replica = try s.replica()
            } else if try s.keyIs(key, "t") {
                guard !time else { throw Undecided() }
                time = true
                try s.integer()
            } else {
                try s.skipValue(depth: 4)
            }
        }
        guard let value, let counter, let replica, time else { throw Undecided() }
        return (value, counter, replica)
    }

    /// `"s"`: set name -> element -> dots; only `tags` is kept (elements with at least one dot).
    private mutating func sets() throws {
        var sawTags = false
        try object { s, key in
            guard try s.keyIs(key, "tags") else { try s.skipValue(depth: 2); return }
            guard !sawTags else { throw Undecided() }
            sawTags = true
            try s.object { s, element in
                var dots = 0
                try s.array { s in
                    dots += 1
                    try s.skipValue(depth: 4)
                }
                s.tags.append((element.start, element.end, element.escaped, dots > 0))
            }
        }
    }

    /// The slot of an indexed field name, nil for another field. Names are compared as bytes,
    /// so an escaped name (which could spell an indexed one) is left to the decoder.
    private func slot(_ key: (start: Int, end: Int, escaped: Bool)) throws -> Int? {
        guard !key.escaped else { throw Undecided() }
        let length = key.end - key.start
        for (index, name) in Self.fieldNames.enumerated() where name.count == length {
            if memcmp(bytes.baseAddress! + key.start, name, length) == 0 { return index }
        }
        return nil
    }

    private func keyIs(_ key: (start: Int, end: Int, escaped: Bool), _ name: StaticString) throws -> Bool {
        guard !key.escaped else { throw Undecided() }
        return key.end - key.start == name.utf8CodeUnitCount
            && memcmp(bytes.baseAddress! + key.start, name.utf8Start, name.utf8CodeUnitCount) == 0
    }

    /// Dots order by counter, then replica (32 lowercase hex digits: byte order is value order).
    private func compareDots(_ a: (counter: UInt64, replica: Int), _ b: (counter: UInt64, replica: Int)) -> Int {
        if a.counter != b.counter { return a.counter < b.counter ? -1 : 1 }
        return Int(memcmp(bytes.baseAddress! + a.replica, bytes.baseAddress! + b.replica, 32).signum())
    }

    // MARK: Values

    private mutating func value() throws -> Winner {
        skipWhitespace()
        guard i < bytes.count else { throw Undecided() }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            let s = try rawString()
            return .string(start: s.start, end: s.end, escaped: s.escaped)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "-"), 0x30...0x39:
            try integer()
            return .other
        default:
            throw Undecided()
        }
    }

    /// A version counter (1...2^53-1); returns it.
    private mutating func counter() throws -> UInt64 {
        skipWhitespace()
        var value: UInt64 = 0
        let start = i
        while i < bytes.count, (0x30...0x39).contains(bytes[i]), i - start < 17 {
            value = value * 10 + UInt64(bytes[i] - 0x30)
            i += 1
        }
        guard i > start, value > 0, value < UInt64(1) << 53, !(i < bytes.count && isNumberByte(bytes[i])) else { throw Undecided() }
        return value
    }

    /// A replica ID: 32 lowercase hex digits; returns where they start.
    private mutating func replica() throws -> Int {
        let s = try rawString()
        guard !s.escaped, s.end - s.start == 32 else { throw Undecided() }
        for k in s.start..<s.end {
            let c = bytes[k]
            guard (0x30...0x39).contains(c) || (0x61...0x66).contains(c) else { throw Undecided() }
        }
        return s.start
    }

    /// An integer that fits an `Int64` (a sibling's time).
    private mutating func integer() throws {
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let start = i
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
        // 18 digits always fit; longer ones are left to the decoder.
        guard i > start, i - start <= 18, !(i < bytes.count && isNumberByte(bytes[i])) else { throw Undecided() }
    }

    private func isNumberByte(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }

    private func text(_ winner: Winner?) throws -> String? {
        guard case .string(let start, let end, let escaped) = winner else { return nil }
        return try string(start, end, escaped: escaped)
    }

    /// The text of a string token's contents.
    private func string(_ start: Int, _ end: Int, escaped: Bool) throws -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard escaped else {
            if !slice.contains(where: { $0 >= 0x80 }) { return String(decoding: slice, as: UTF8.self) }
            guard let text = String(validating: slice, as: UTF8.self) else { throw Undecided() }
            return text
        }
        // Escapes are read by the record decoder's own code, so both read them alike.
        do {
            return try JSONReader.unescaped(slice)
        } catch {
            throw Undecided()
        }
    }

    // MARK: JSON structure

    private mutating func skipWhitespace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func take(_ c: UInt8) -> Bool {
        skipWhitespace()
        if i < bytes.count, bytes[i] == c { i += 1; return true }
        return false
    }

    private mutating func expect(_ c: UInt8) throws {
        guard take(c) else { throw Undecided() }
    }

    private mutating func literal(_ text: StaticString) throws {
        let n = text.utf8CodeUnitCount
        guard bytes.count - i >= n, memcmp(bytes.baseAddress! + i, text.utf8Start, n) == 0 else { throw Undecided() }
        i += n
    }

    /// A string token: where its contents start and end, and whether it holds escapes.
    private mutating func rawString() throws -> (start: Int, end: Int, escaped: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = i
        var escaped = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") { escaped = true; i += 2; continue }
            guard c >= 0x20 else { throw Undecided() }
            i += 1
        }
        guard i < bytes.count else { throw Undecided() }
        let end = i
        i += 1
        return (start, end, escaped)
    }

    private mutating func object(
        _ body: (inout SearchEntryScanner, (start: Int, end: Int, escaped: Bool)) throws -> Void
    ) throws {
        try expect(UInt8(ascii: "{"))
        if take(UInt8(ascii: "}")) { return }
        repeat {
            let key = try rawString()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    private mutating func array(_ body: (inout SearchEntryScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if take(UInt8(ascii: "]")) { return }
        repeat {
            try body(&self)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    private mutating func skipValue(depth: Int) throws {
        guard depth < 32 else { throw Undecided() }
        skipWhitespace()
        guard i < bytes.count else { throw Undecided() }
        switch bytes[i] {
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "{"): try object { s, _ in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array { s in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            // Numbers of any form.
            let start = i
            while i < bytes.count, isNumberByte(bytes[i]) || bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            guard i > start else { throw Undecided() }
        }
    }
}
