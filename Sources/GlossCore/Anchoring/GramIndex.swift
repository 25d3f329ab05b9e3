/// An index of every run of `gramLength` scalars in a text, for finding quotes and quote pieces
/// in a large revision without scanning it once per annotation. Built lazily, once per text.
final class GramIndex: @unchecked Sendable {  // immutable after init
    static let gramLength = 8
    private let entries: [(hash: UInt64, position: Int32)]

    init(_ text: [UInt32]) {
        let n = GramIndex.gramLength
        guard text.count >= n else {
            entries = []
            return
        }
        var entries: [(hash: UInt64, position: Int32)] = []
        entries.reserveCapacity(text.count - n + 1)
        text.withUnsafeBufferPointer { t in
            for i in 0...(t.count - n) {
                entries.append((GramIndex.hash(t, i), Int32(i)))
            }
        }
        entries.sort { $0.hash < $1.hash || ($0.hash == $1.hash && $0.position < $1.position) }
        self.entries = entries
    }

    static func hash(_ t: UnsafeBufferPointer<UInt32>, _ start: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in start..<(start + gramLength) {
            h = (h ^ UInt64(t[k])) &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// Positions where the gram `text[start..<start+8]` occurs (candidates: hashes may collide).
    func positions(ofGramIn pattern: [UInt32], at start: Int) -> [Int] {
        let h = pattern.withUnsafeBufferPointer { GramIndex.hash($0, start) }
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].hash < h { lo = mid + 1 } else { hi = mid }
        }
        var result: [Int] = []
        while lo < entries.count && entries[lo].hash == h {
            result.append(Int(entries[lo].position))
            lo += 1
        }
        return result
    }
}
