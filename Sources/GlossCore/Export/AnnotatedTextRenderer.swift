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
        // Events at each offset: ends before starts, so adjacent passages do not nest.
        var starts: [Int: Int] = [:], ends: [Int: [Int]] = [:]
        for mark in marks where mark.position.start >= 0 && mark.position.end <= text.count && mark.position.start < mark.position.end {
            starts[mark.position.start, default: 0] += 1
            ends[mark.position.end, default: []].append(mark.number)
        }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.count + marks.count * 16)
        var depth = 0
        func append(_ s: String) { out.append(contentsOf: s.unicodeScalars) }
        for offset in 0...text.count {
            if let numbers = ends[offset] {
                depth -= numbers.count
                if color {
                    append(reset + dim + numbers.sorted().map { "[\($0)]" }.joined() + reset)
                    if depth > 0 { append(open) }
                } else {
                    append("⟧" + numbers.sorted().map { "[\($0)]" }.joined())
                }
            }
            if let count = starts[offset] {
                depth += count
                if color { append(open) } else { append(String(repeating: "⟦", count: count)) }
            }
            if offset < text.count, let scalar = Unicode.Scalar(text.scalars[offset]) { out.append(scalar) }
        }
        if color && depth > 0 { append(reset) }
        return String(out)
    }
}
