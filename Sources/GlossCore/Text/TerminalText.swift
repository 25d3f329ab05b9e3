/// Text made safe to write to a terminal.
///
/// Titles, comments, quotes and note bodies may come from any peer a replica synced with, so
/// they may hold control characters: an escape sequence in a comment could move the cursor,
/// clear the screen, retitle the window or hide the text around it. Before such text reaches a
/// terminal every control character is shown instead of obeyed: C0 controls in caret notation
/// (`ESC` as `^[`, `BEL` as `^G`, a lone carriage return as `^M`), `DEL` as `^?`, and C1
/// controls as `<U+009B>`. Line feeds, tabs and CR LF line ends pass through. So do the colour
/// codes Gloss's own renderers write (`colorCodes`), and only those.
public enum TerminalText {
    /// The SGR parameter strings Gloss's renderers use (`ESC [ <p> m`); any other escape sequence
    /// is shown escaped, wherever it came from.
    public static let colorCodes: Set<String> = ["0", "2", "4;33", "31", "32"]

    /// `text` with every control character other than line feed, tab and CR LF shown in a visible
    /// form; unchanged (the same string) when it holds none.
    public static func escapingControls(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard needsEscaping(bytes) else { return nil }
            return String(decoding: escaped(bytes), as: UTF8.self)
        } ?? text
    }

    /// The same for UTF-8 bytes (output built as bytes); the same array when nothing needs escaping.
    public static func escapingControls(_ utf8: [UInt8]) -> [UInt8] {
        utf8.withUnsafeBufferPointer { bytes in needsEscaping(bytes) ? escaped(bytes) : nil } ?? utf8
    }

    private static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 && byte != 0x0A && byte != 0x09 { return true }
            if byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) { return true }
            previous = byte
        }
        return false
    }

    private static func escaped(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        let hex = Array("0123456789ABCDEF".utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x0A, 0x09:
                out.append(byte)
                i += 1
            case 0x0D where i + 1 < bytes.count && bytes[i + 1] == 0x0A:
                out.append(byte)
                i += 1
            case 0x1B:
                if let end = endOfColorCode(bytes, at: i) {
                    out.append(contentsOf: bytes[i..<end])
                    i = end
                } else {
                    out.append(contentsOf: [0x5E, 0x5B])  // ^[
                    i += 1
                }
            case 0x00..<0x20:
                out.append(contentsOf: [0x5E, byte + 0x40])  // ^@ ... ^_
                i += 1
            case 0x7F:
                out.append(contentsOf: [0x5E, 0x3F])  // ^?
                i += 1
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F:
                let code = bytes[i + 1]
                out.append(contentsOf: Array("<U+00".utf8) + [hex[Int(code >> 4)], hex[Int(code & 0xF)], 0x3E])
                i += 2
            default:
                out.append(byte)
                i += 1
            }
        }
        return out
    }

    /// The index just past `ESC [ <p> m` at `start` when `<p>` is one of `colorCodes`.
    private static func endOfColorCode(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard start + 2 < bytes.count, bytes[start + 1] == 0x5B else { return nil }
        var i = start + 2
        var parameters: [UInt8] = []
        while i < bytes.count, i - start < 12 {
            let byte = bytes[i]
            if byte == 0x6D {  // m
                return colorCodes.contains(String(decoding: parameters, as: UTF8.self)) ? i + 1 : nil
            }
            guard (byte >= 0x30 && byte <= 0x39) || byte == 0x3B else { return nil }
            parameters.append(byte)
            i += 1
        }
        return nil
    }
}
