import NIOCore

/// Writes gRPC length-prefixed messages: a compressed flag byte, a 4-byte big-endian length
/// and the (possibly gzip-compressed) payload.
struct GRPCMessageFramer {
    /// Whether messages are gzip-compressed.
    var compress: Bool
    /// The largest payload (after compression) that may be sent.
    var maxMessageSize: Int

    enum FramingError: Error, Equatable {
        /// The message exceeds ``maxMessageSize``; the associated value is its size.
        case tooLarge(Int)
        case compressionFailed
    }

    /// Appends one framed message to `output`.
    func frame(_ message: ByteBuffer, into output: inout ByteBuffer, allocator: ByteBufferAllocator) throws(FramingError) {
        if compress {
            guard let compressed = Zlib.compress(message, allocator: allocator) else {
                throw .compressionFailed
            }
            guard compressed.readableBytes <= maxMessageSize else { throw .tooLarge(compressed.readableBytes) }
            Self.write(flag: 1, compressed, into: &output)
        } else {
            guard message.readableBytes <= maxMessageSize else { throw .tooLarge(message.readableBytes) }
            Self.write(flag: 0, message, into: &output)
        }
    }

    /// The 5-byte prefix (flag, big-endian length) and the payload, as two plain byte copies.
    private static func write(flag: UInt8, _ payload: ByteBuffer, into output: inout ByteBuffer) {
        let length = UInt32(truncatingIfNeeded: payload.readableBytes)
        output.reserveCapacity(minimumWritableBytes: 5 + payload.readableBytes)
        let prefix = (flag, UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
                      UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length))
        _ = withUnsafeBytes(of: prefix) { output.writeBytes($0) }
        _ = payload.withUnsafeReadableBytes { output.writeBytes($0) }
    }
}
