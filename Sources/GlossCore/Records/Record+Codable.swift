import Foundation

extension Record {
    /// The version of the record-state format (the canonical JSON of `RecordJSON`, and what the
    /// fields and sets of each kind mean). Peers must agree on it exactly (the sync handshake's
    /// `schema`); it changes only when that format does, not when the SQLite schema of a store
    /// gains a migration.
    public static let stateFormatVersion = 1
}

extension Record: Codable {
    enum CodingKeys: String, CodingKey { case id, kind, version = "vv", fields = "f", sets = "s" }

    /// The longest record ID accepted.
    public static let maxIDLength = 128

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decode(String.self, forKey: .id)
        guard Record.isValidID(id) else {
            throw DecodingError.dataCorruptedError(
                forKey: .id, in: c,
                debugDescription: "record ID must be 1-\(Record.maxIDLength) characters of A-Z a-z 0-9 _ - : .")
        }
        let kindText = try c.decode(String.self, forKey: .kind)
        guard let kind = RecordKind(rawValue: kindText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown record kind \(kindText.prefix(40).debugDescription)")
        }
        let version = try c.decode(VersionVector.self, forKey: .version)
        let rawFields = try c.decodeIfPresent([String: [Sibling]].self, forKey: .fields) ?? [:]
        let sets = try c.decodeIfPresent([String: AddWinsSet].self, forKey: .sets) ?? [:]
        // Every dot in the state must be covered by its vector, or the state is not one a replica
        // can have produced.
        for siblings in rawFields.values {
            for s in siblings where !version.covers(s.dot) {
                throw DecodingError.dataCorruptedError(
                    forKey: .fields, in: c, debugDescription: "a field value's dot \(s.dot) is not covered by the record's version vector")
            }
        }
        for set in sets.values {
            for dots in set.entries.values {
                for d in dots where !version.covers(d) {
                    throw DecodingError.dataCorruptedError(
                        forKey: .sets, in: c, debugDescription: "a set element's dot \(d) is not covered by the record's version vector")
                }
            }
        }
        self.init(
            id: id, kind: kind, version: version,
            fields: rawFields.mapValues { MultiValueRegister(siblings: $0) }, sets: sets)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(version, forKey: .version)
        try c.encode(fields.mapValues(\.siblings), forKey: .fields)
        try c.encode(sets, forKey: .sets)
    }

    /// True when `id` is an acceptable record ID.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = id.utf8
        return !bytes.isEmpty && bytes.count <= maxIDLength && bytes.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == 0x5F || b == 0x2D || b == 0x3A || b == 0x2E
        }
    }

    /// The canonical encoding: equal records give equal bytes (keys and siblings sorted).
    public func canonicalData() -> Data { RecordJSON.encode(self) }

    /// Replaces the contents of `buffer` with the canonical encoding (the bytes of
    /// `canonicalData()`), keeping its capacity: for writers that encode many states in a row.
    public func canonicalData(into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        RecordJSON.encode(self, appendingTo: &buffer)
    }

    /// Replaces the contents of `buffer` with the canonical encoding (the bytes of
    /// `canonicalData()`), reusing its memory: the store's write path encodes every state of a
    /// transaction into one buffer.
    public func canonicalData(into buffer: CanonicalBuffer) {
        RecordJSON.encode(self, into: buffer)
    }

    /// Decodes a record from its canonical JSON, validating it (IDs, kinds, counters, and every
    /// dot covered by the record's vector). Errors are `GlossError(.invalidInput)`.
    public static func decode(_ data: Data) throws -> Record { try RecordJSON.decode(data) }
}
