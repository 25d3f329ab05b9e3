/// Record IDs people can type: a kind letter and 12 random hex digits ("d-3f9a1c2b7e4d"),
/// usable by any unique prefix. Revisions are named by the SHA-256 of their text instead.
public enum DomainID {
    /// A new random ID with `letter` ("d", "a", "n").
    public static func random(_ letter: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        return letter + "-" + padded.prefix(12)
    }

    /// A new document ID.
    public static func document() -> String { random("d") }
    /// A new annotation ID.
    public static func annotation() -> String { random("a") }
    /// A new note ID.
    public static func note() -> String { random("n") }

    /// The ID of the revision of `document` whose NFC text hashes to `sha256`: named by the
    /// hash, scoped to the document so two documents imported apart with the same text never
    /// share (and fight over) one revision record.
    public static func revision(sha256: String, document: String) -> String {
        "r-" + sha256.prefix(32) + "." + document
    }
}
