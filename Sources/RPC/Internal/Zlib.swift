internal import CNGHTTP2
import NIOCore

/// gzip over zlib, one message at a time (gRPC compresses each message separately).
enum Zlib {
    /// Compresses `input`'s readable bytes into a new buffer.
    static func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let bound = cnghttp2_gzip_bound(input.readableBytes)
        var output = allocator.buffer(capacity: bound)
        let ok = input.withUnsafeReadableBytes { source -> Bool in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { target in
                var length = target.count
                let rv = cnghttp2_gzip_compress(
                    source.baseAddress?.assumingMemoryBound(to: UInt8.self), source.count,
                    target.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
                return rv == 0 ? length : 0
            } > 0
        }
        return ok ? output : nil
    }

    enum DecompressionError: Error {
        case tooLarge
        case corrupt
    }

    /// Decompresses `input`'s readable bytes, producing at most `limit` bytes.
    static func decompress(
        _ input: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(DecompressionError) -> ByteBuffer {
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let rv = input.withUnsafeReadableBytes { source in
            cnghttp2_gzip_decompress(
                source.baseAddress?.assumingMemoryBound(to: UInt8.self), source.count, limit,
                &output, &length)
        }
        switch rv {
        case 0:
            defer { cnghttp2_free(output) }
            var buffer = allocator.buffer(capacity: length)
            if let output {
                buffer.writeBytes(UnsafeRawBufferPointer(start: output, count: length))
            }
            return buffer
        case 1:
            throw .tooLarge
        default:
            throw .corrupt
        }
    }
}
