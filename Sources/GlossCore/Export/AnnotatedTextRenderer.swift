/// Renders a text with annotated passages marked: `⟦passage⟧[n]` in plain text, or underlined in
/// colour for a terminal. Pure, and linear in the text plus the number of marks.
public enum AnnotatedTextRenderer {
    /// One passage to mark with its number.
    public struct Mark: Sendable, Equatable {
        /// The number shown after the passage.
        public var number: Int
        /// The TextPositionSelector.
        public var position: TextPositionSelector

        /// A mark with the given parts.
        public init(number: Int, position: TextPositionSelector) {
            self.number = number
            self.position = position
        }
    }

    static let open = "\u{1B}[4;33m", reset = "\u{1B}[0m", dim = "\u{1B}[2m"

    /// `text` with every mark inserted (marks outside the text are ignored).
    public static func render(_ text: ScalarText, marks: [Mark], color: Bool) -> String {
        var out: [UInt8] = []
        append(text, marks: marks, color: color, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 of `render(text, marks:, color:)` to `out`.
    public static func append(_ text: ScalarText, marks: [Mark], color: Bool, to out: inout [UInt8]) {
        // Events sorted by offset; at one offset, ends come before starts (so adjacent passages
        // do not nest), then by number. Each is packed in one integer so the sort compares
        // integers: offset (< 2^31), 0 for an end or 1 for a start, the mark's rank by number.
        let byNumber = marks.indices.sorted { (marks[$0].number, $0) < (marks[$1].number, $1) }
        var events: [UInt64] = []
        events.reserveCapacity(marks.count * 2)
        for (rank, index) in byNumber.enumerated() {
            let p = marks[index].position
            guard p.start >= 0, p.end <= text.count, p.start < p.end else { continue }
            events.append(UInt64(p.start) << 33 | 1 << 32 | UInt64(rank))
            events.append(UInt64(p.end) << 33 | UInt64(rank))
        }
        events.sort()
        func number(_ event: UInt64) -> Int { marks[byNumber[Int(event & 0xFFFF_FFFF)]].number }
        var depth = 0
        var e = 0
        func flush(at offset: Int, _ out: inout [UInt8]) {
            var closing = 0
            while e < events.count && Int(events[e] >> 33) == offset && events[e] & (1 << 32) == 0 {
                if closing == 0 { out.append(contentsOf: color ? (reset + dim).utf8 : "⟧".utf8) }
                out.append(UInt8(ascii: "["))
                appendDecimal(number(events[e]), to: &out)
                out.append(UInt8(ascii: "]"))
                closing += 1
                e += 1
            }
            if closing > 0 {
                depth -= closing
                if color {
                    out.append(contentsOf: reset.utf8)
                    if depth > 0 { out.append(contentsOf: open.utf8) }
                }
            }
            var opening = 0
            while e < events.count && Int(events[e] >> 33) == offset {
                opening += 1
                e += 1
            }
            if opening > 0 {
                depth += opening
                if color {
                    out.append(contentsOf: open.utf8)
                } else {
                    for _ in 0..<opening { out.append(contentsOf: "⟦".utf8) }
                }
            }
        }
        var string = text.string
        string.withUTF8 { bytes in
            out.reserveCapacity(out.count + bytes.count + events.count * (color ? 12 : 8))
            // The text is copied in runs between event offsets; scalar offsets are counted on
            // the UTF-8 (every byte that is not a continuation byte starts a scalar).
            var offset = 0, byte = 0
            while e < events.count {
                let target = Int(events[e] >> 33)
                let runStart = byte
                while offset < target {
                    byte += 1
                    while byte < bytes.count && bytes[byte] & 0xC0 == 0x80 { byte += 1 }
                    offset += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<byte]))
                flush(at: target, &out)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[byte...]))
        }
        if color && depth > 0 { out.append(contentsOf: reset.utf8) }
    }

    /// Appends `value` in decimal, as `"\(value)"` would, to `out`.
    public static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 {
            out.append(contentsOf: String(value).utf8)
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
