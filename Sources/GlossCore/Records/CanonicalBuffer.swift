import Foundation

/// A reusable buffer that canonical record encodings are written into (`Record.canonicalData(into:)`):
/// the store's write path encodes every state of a transaction into one, so a write allocates
/// nothing for its state. Its bytes are valid until the next encoding into it.
public final class CanonicalBuffer {
    var output: ByteOutput

    /// An empty buffer.
    public init() { output = ByteOutput(capacity: 1024) }

    deinit { free(output.base) }

    /// The bytes of the last encoding.
    public var count: Int { output.count }

    /// Runs `body` over the bytes of the last encoding.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: output.base, count: output.count))
    }
}

/// A growable byte buffer written through a pointer (`malloc`ed, so a `Data` can adopt it): the
/// canonical encoder's output. Callers `reserve` room and then `put` bytes without further checks.
struct ByteOutput {
    var base: UnsafeMutablePointer<UInt8>
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = malloc(self.capacity)!.assumingMemoryBound(to: UInt8.self)
    }

    /// Makes room for `n` more bytes.
    @inline(__always) mutating func reserve(_ n: Int) {
        if capacity - count < n { grow(n) }
    }

    private mutating func grow(_ n: Int) {
        capacity = max(capacity * 2, count + n)
        base = realloc(base, capacity)!.assumingMemoryBound(to: UInt8.self)
    }

    /// One byte (room reserved).
    @inline(__always) mutating func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    /// Bytes (room reserved).
    @inline(__always) mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress else { return }
        (base + count).update(from: from.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    /// ASCII text (room reserved).
    @inline(__always) mutating func put(_ text: StaticString) {
        (base + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        count += text.utf8CodeUnitCount
    }
}
