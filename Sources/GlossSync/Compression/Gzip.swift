import CZlib
import Foundation
import GlossCore

/// gzip (RFC 1952) compression of request and response bodies, through the system zlib.
public enum Gzip {
    /// True when `data` starts with the gzip magic bytes (JSON never does).
    public static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    /// Compresses `data` into a gzip stream (level 1 by default: bodies are large and CPU is the
    /// bottleneck on a LAN; JSON still shrinks several times).
    public static func compress(_ data: Data, level: Int32 = 1) throws -> Data {
        var stream = z_stream()
        // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib one.
        var status = deflateInit2_(
            &stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GlossError(.io, "cannot start gzip compression (zlib status \(status))") }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        let produced: Int = data.withUnsafeBytes { (input: UnsafeRawBufferPointer) -> Int in
            output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                status = deflate(&stream, Z_FINISH)
                return Int(stream.total_out)
            }
        }
        guard status == Z_STREAM_END else { throw GlossError(.io, "gzip compression failed (zlib status \(status))") }
        output.count = produced
        return output
    }

    /// Decompresses a gzip stream, refusing to produce more than `limit` bytes (a small body can
    /// expand enormously: a "zip bomb"). Throws `GzipError.tooLarge` or `.corrupt`.
    public static func decompress(_ data: Data, limit: Int = .max) throws -> Data {
        try decompressMember(data, limit: limit).0
    }

    /// Decompresses the first gzip member of `data`; returns it and the input bytes it used (so
    /// several members written one after another can be read in turn).
    public static func decompressMember(_ data: Data, limit: Int = .max) throws -> (Data, Int) {
        var stream = z_stream()
        var status = inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError.corrupt("cannot start gzip decompression (zlib status \(status))") }
        defer { inflateEnd(&stream) }
        var output = Data()
        let chunkSize = 256 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let written: Int = chunk.withUnsafeMutableBytes { out in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(chunkSize)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunkSize - Int(stream.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END {
                    throw GzipError.corrupt("the body is not valid gzip data (zlib status \(status))")
                }
                if output.count + written > limit { throw GzipError.tooLarge(limit: limit) }
                output.append(contentsOf: chunk[0..<written])
                if status == Z_OK && written == 0 && stream.avail_in == 0 {
                    throw GzipError.corrupt("the gzip data is truncated")
                }
            } while status != Z_STREAM_END
        }
        return (output, Int(stream.total_in))
    }
}

/// Why a gzip body could not be decompressed.
public enum GzipError: Error, Sendable, Equatable {
    /// The decompressed body would exceed the limit.
    case tooLarge(limit: Int)
    /// The data is not a complete gzip stream.
    case corrupt(String)
}
