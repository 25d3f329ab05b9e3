import Foundation

extension JSONReader {
    /// One record state, validated as `record()` does, with the exact bytes it was read from.
    ///
    /// The bytes are returned only when they are the record's canonical encoding (the form a
    /// server sends), so a receiver can store them as they are instead of encoding the record
    /// again; `nil` otherwise (the caller then encodes the record itself).
    public mutating func recordKeepingCanonicalBytes() throws -> (Record, Data?) {
        let (record, range) = try recordKeepingCanonicalRange()
        return (record, range.map { Data(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[$0])) })
    }

    /// `recordKeepingCanonicalBytes`, with the canonical bytes given as their offsets in the
    /// buffer being read: a caller holding that buffer as `Data` slices it (no copy, no
    /// allocation per record) instead of copying each state out.
    public mutating func recordKeepingCanonicalRange() throws -> (Record, Range<Int>?) {
        skipWhitespace()
        let start = i
        let record = try record()
        let slice = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<i])
        return (record, RecordJSON.matchesCanonicalEncoding(record, slice) ? start..<i : nil)
    }
}
