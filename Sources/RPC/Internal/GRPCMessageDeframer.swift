import NIOCore

/// Reads gRPC length-prefixed messages from bytes that arrive in arbitrary pieces.
///
/// The length prefix is checked against ``maxMessageSize`` before any payload is buffered,
/// and decompression is capped at the same limit.
struct GRPCMessageDeframer {
    /// The largest message accepted (compressed or decompressed).
    var maxMessageSize: Int
    /// Whether the peer announced gzip (`grpc-encoding: gzip`). A compressed message without
    /// it is a protocol error.
    var gzipEnabled: Bool

    private var buffer: ByteBuffer?

    init(maxMessageSize: Int, gzipEnabled: Bool = false) {
        self.maxMessageSize = maxMessageSize
        self.gzipEnabled = gzipEnabled
    }

    enum DeframingError: Error, Equatable {
        /// A message's declared length exceeds the limit.
        case tooLarge(Int)
        /// The compressed flag was set but no compression was negotiated.
        case unexpectedCompression
        /// The flag byte is neither 0 nor 1.
        case invalidFlag(UInt8)
        /// The payload did not decompress.
        case corruptCompressedData
        /// The stream ended inside a message.
        case truncated
    }

    /// Whether bytes of an incomplete message are buffered.
    var hasPartialMessage: Bool { (buffer?.readableBytes ?? 0) > 0 }

    /// Adds received bytes.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if var existing = buffer {
            buffer = nil  // keep the storage uniquely referenced while writing
            existing.writeBytes(bytes)
            buffer = existing
        } else {
            buffer = ByteBuffer(bytes: bytes)
        }
    }

    /// Adds received bytes.
    mutating func append(_ bytes: ByteBuffer) {
        if var existing = buffer {
            buffer = nil  // keep the storage uniquely referenced while writing
            var bytes = bytes
            existing.writeBuffer(&bytes)
            buffer = existing
        } else {
            buffer = bytes
        }
    }

    /// Returns the next complete message, or nil when more bytes are needed.
    mutating func next(allocator: ByteBufferAllocator) throws(DeframingError) -> ByteBuffer? {
        guard var buffered = buffer, buffered.readableBytes >= 5 else { return nil }
        let start = buffered.readerIndex
        guard let flag = buffered.getInteger(at: start, as: UInt8.self),
              let length32 = buffered.getInteger(at: start + 1, as: UInt32.self) else { return nil }
        let length = Int(length32)
        guard flag <= 1 else { throw .invalidFlag(flag) }
        guard length <= maxMessageSize else { throw .tooLarge(length) }
        if flag == 1 && !gzipEnabled { throw .unexpectedCompression }
        guard buffered.readableBytes >= 5 + length else { return nil }
        buffer = nil  // release our reference so the slice below does not force a copy later
        buffered.moveReaderIndex(forwardBy: 5)
        // Length checked just above.
        guard let payload = buffered.readSlice(length: length) else { return nil }
        if buffered.readableBytes > 0 {
            buffer = buffered
        }
        if flag == 0 { return payload }
        if length == 0 { return allocator.buffer(capacity: 0) }
        do {
            return try Zlib.decompress(payload, limit: maxMessageSize, allocator: allocator)
        } catch .tooLarge {
            throw .tooLarge(maxMessageSize + 1)
        } catch {
            throw .corruptCompressedData
        }
    }

    /// Checks that the stream did not end mid-message.
    func finish() throws(DeframingError) {
        if hasPartialMessage { throw .truncated }
    }
}
