/// Conflict IDs people can type: eight hex digits of SHA-256("<record ID>/<field>").
///
/// They depend only on the record and field, never on which replica computes them or on the
/// siblings, so A and B list the same IDs, and an ID stays valid while the conflict shrinks
/// (three values down to two after concurrent resolutions).
public enum ConflictID {
    /// The number of hex digits in a full conflict ID.
    public static let length = 8

    /// The ID of the conflict on `field` of record `recordID` (`deleted` for delete/edit).
    public static func make(recordID: String, field: String) -> String {
        String(SHA256.hex("\(recordID)/\(field)").prefix(length))
    }

    /// True when `text` looks like (a prefix of at least 4 digits of) a conflict ID.
    public static func looksLikeID(_ text: String) -> Bool {
        (4...length).contains(text.utf8.count) && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
