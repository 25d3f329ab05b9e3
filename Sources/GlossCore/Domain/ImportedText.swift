import Foundation

/// Turns the bytes of a file into a document text, or says clearly why it cannot be one.
public enum ImportedText {
    /// The largest file accepted as one document or note, in bytes (2 MiB, about 350,000 words).
    /// Why a limit: every revision must fit in one sync request; even fully JSON-escaped (6 bytes
    /// per control character) 2 MiB stays under the server's default 16 MiB body limit.
    public static let maxBytes = 2 * 1024 * 1024

    /// The refusal of a file over `maxBytes` (`bytes` when its size is known).
    public static func tooLarge(_ name: String, bytes: Int?) -> GlossError {
        let size = bytes.map { "\($0) bytes" } ?? "more than \(maxBytes) bytes"
        return GlossError(
            .invalidInput,
            "\(name) is too large (\(size)); one document or note may be at most \(maxBytes) bytes (2 MiB): split it; nothing was imported")
    }

    /// The NFC text of `data` (a UTF-8 BOM dropped, CRLF line ends turned into LF so offsets do
    /// not depend on the platform the file came from). `name` is used in messages.
    public static func decode(_ data: Data, name: String) throws -> String {
        if data.isEmpty { throw GlossError(.invalidInput, "\(name) is empty; nothing was imported") }
        if data.count > maxBytes { throw tooLarge(name, bytes: data.count) }
        // UTF-16 and UTF-32 files (as Windows tools write them) are recognised by their
        // byte-order mark, so the message can say what to do rather than "looks binary".
        for (mark, encoding) in [([0xFF, 0xFE, 0, 0] as [UInt8], "UTF-32"), ([0, 0, 0xFE, 0xFF], "UTF-32"), ([0xFF, 0xFE], "UTF-16"), ([0xFE, 0xFF], "UTF-16")]
        where data.starts(with: mark) {
            throw GlossError(.invalidInput, "\(name) is \(encoding) text (it starts with a \(encoding) byte-order mark); convert it to UTF-8 first; nothing was imported")
        }
        if data.contains(0) {
            throw GlossError(.invalidInput, "\(name) looks binary (it contains NUL bytes); only plain text and Markdown can be imported; nothing was imported")
        }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw GlossError(.invalidInput, "\(name) is not valid UTF-8 text; convert it to UTF-8 first; nothing was imported")
        }
        let normalised = ScalarText.nfc(text.replacingOccurrences(of: "\r\n", with: "\n"))
        if normalised.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw GlossError(.invalidInput, "\(name) has no text (only whitespace); nothing was imported")
        }
        return normalised
    }

    /// A default title: the first Markdown heading, else the first non-blank line (shortened).
    public static func defaultTitle(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let heading = lines.first { $0.hasPrefix("#") }.map { $0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces) }
        let line = heading ?? lines.first ?? "(untitled)"
        return line.count > 100 ? String(line.prefix(99)) + "…" : line
    }
}
