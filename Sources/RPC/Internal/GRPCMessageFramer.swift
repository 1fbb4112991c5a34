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
            output.writeInteger(UInt8(1))
            output.writeInteger(UInt32(compressed.readableBytes))
            output.writeImmutableBuffer(compressed)
        } else {
            guard message.readableBytes <= maxMessageSize else { throw .tooLarge(message.readableBytes) }
            output.writeInteger(UInt8(0))
            output.writeInteger(UInt32(message.readableBytes))
            output.writeImmutableBuffer(message)
        }
    }
}
