import Foundation

/// A text as W3C selectors count it: NFC-normalised, indexed by Unicode scalar.
///
/// Offsets everywhere in Gloss are scalar offsets into the NFC form, so a document and the
/// positions pointing into it agree on every replica whatever the platform's string model.
public struct ScalarText: Sendable, Equatable {
    /// The NFC text.
    public let string: String
    /// Its Unicode scalar values, one per offset.
    public let scalars: [UInt32]

    /// The NFC form of `text`, indexed by scalar.
    public init(_ text: String) {
        let nfc = ScalarText.nfc(text)
        string = nfc
        scalars = ScalarText.scalarValues(nfc)
    }

    /// The Unicode scalar values of `text`, decoded from its UTF-8 in one pass into an array
    /// allocated once (`unicodeScalars.map` counted the scalars first, then decoded each through
    /// the view: a few ms for the 300,000 scalars `gloss show` may print).
    static func scalarValues(_ text: String) -> [UInt32] {
        var text = text
        return text.withUTF8 { utf8 -> [UInt32] in
            // A String's UTF-8 is valid, so a lead byte tells each scalar's length.
            [UInt32](unsafeUninitializedCapacity: utf8.count) { buffer, count in
                var i = 0, n = 0
                let end = utf8.count
                while i < end {
                    let b0 = UInt32(utf8[i])
                    if b0 < 0x80 {
                        buffer[n] = b0
                        i += 1
                    } else if b0 < 0xE0 {
                        buffer[n] = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                        i += 2
                    } else if b0 < 0xF0 {
                        buffer[n] = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                        i += 3
                    } else {
                        buffer[n] = (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                            | UInt32(utf8[i + 3] & 0x3F)
                        i += 4
                    }
                    n += 1
                }
                count = n
            }
        }
    }

    /// The number of scalars.
    public var count: Int { scalars.count }

    /// The NFC-normalised form of `text`.
    public static func nfc(_ text: String) -> String {
        // Stored texts are NFC already: checking is several times cheaper than normalising.
        isNFC(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// True when `text` is known to be in NFC (false when it could not be checked).
    static func isNFC(_ text: String) -> Bool {
        if #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
            var span = text.utf8Span
            // The quick check first: it settles most texts (every scalar NFC_Quick_Check=Yes)
            // in one pass; the full check normalises the text to compare (a few ms for the
            // 300,000 scalars `gloss show` prints). It answers false only when undecided.
            return span.checkForNFC(quickCheck: true) || span.checkForNFC(quickCheck: false)
        }
        return false
    }

    /// The text between scalar offsets `start` and `end` (clamped to the text).
    public func slice(_ start: Int, _ end: Int) -> String {
        let s = max(0, min(start, count)), e = max(s, min(end, count))
        return ScalarText.string(scalars[s..<e])
    }

    /// Builds a string from scalar values (invalid values are skipped).
    public static func string<C: Collection>(_ values: C) -> String where C.Element == UInt32 {
        var view = String.UnicodeScalarView()
        view.reserveCapacity(values.count)
        for v in values { if let u = Unicode.Scalar(v) { view.append(u) } }
        return String(view)
    }

    /// Every offset where `needle` occurs (overlapping occurrences included).
    public func occurrences(of needle: [UInt32]) -> [Int] {
        ScalarText.occurrences(of: needle, in: scalars)
    }

    /// Every offset where `needle` occurs in `haystack`.
    public static func occurrences(of needle: [UInt32], in haystack: [UInt32]) -> [Int] {
        guard let first = needle.first, needle.count <= haystack.count else { return [] }
        var result: [Int] = []
        let last = haystack.count - needle.count
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { result.append(i) }
                    }
                    i += 1
                }
            }
        }
        return result
    }
}
