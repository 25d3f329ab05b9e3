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
        // Events sorted by offset; at one offset, ends come before starts so adjacent passages
        // do not nest. One pass over the scalars, one integer comparison each.
        struct Event { var offset: Int; var isStart: Bool; var number: Int }
        var events: [Event] = []
        events.reserveCapacity(marks.count * 2)
        for mark in marks where mark.position.start >= 0 && mark.position.end <= text.count && mark.position.start < mark.position.end {
            events.append(Event(offset: mark.position.start, isStart: true, number: mark.number))
            events.append(Event(offset: mark.position.end, isStart: false, number: mark.number))
        }
        events.sort { ($0.offset, $0.isStart ? 1 : 0, $0.number) < ($1.offset, $1.isStart ? 1 : 0, $1.number) }
        // Built as UTF-8 bytes: appending scalars to a String one by one is far slower.
        var out: [UInt8] = []
        out.reserveCapacity(text.string.utf8.count + events.count * 8)
        func append(_ s: String) { out.append(contentsOf: s.utf8) }
        var depth = 0
        var e = 0
        var offset = 0
        func flush(at offset: Int) {
            var closing: [Int] = []
            while e < events.count && events[e].offset == offset && !events[e].isStart {
                closing.append(events[e].number)
                e += 1
            }
            if !closing.isEmpty {
                depth -= closing.count
                let labels = closing.map { "[\($0)]" }.joined()
                if color {
                    append(reset + dim + labels + reset)
                    if depth > 0 { append(open) }
                } else {
                    append("⟧" + labels)
                }
            }
            var opening = 0
            while e < events.count && events[e].offset == offset && events[e].isStart {
                opening += 1
                e += 1
            }
            if opening > 0 {
                depth += opening
                append(color ? open : String(repeating: "⟦", count: opening))
            }
        }
        for byte in text.string.utf8 {
            if byte & 0xC0 != 0x80 {  // the first byte of a scalar
                if e < events.count && events[e].offset == offset { flush(at: offset) }
                offset += 1
            }
            out.append(byte)
        }
        if e < events.count { flush(at: offset) }
        if color && depth > 0 { append(reset) }
        return String(decoding: out, as: UTF8.self)
    }
}
