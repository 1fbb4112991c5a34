import NIOCore
import Testing
@testable import RPC

@Suite("Message framing")
struct GRPCMessageDeframerTests {
    let allocator = ByteBufferAllocator()

    private func framed(_ messages: [String], compress: Bool = false) throws -> ByteBuffer {
        let framer = GRPCMessageFramer(compress: compress, maxMessageSize: 1 << 20)
        var out = ByteBuffer()
        for message in messages {
            try framer.frame(ByteBuffer(string: message), into: &out, allocator: allocator)
        }
        return out
    }

    @Test("messages fed one byte at a time come out whole", arguments: [false, true])
    func oneByteAtATime(compress: Bool) throws {
        let messages = ["", "a", String(repeating: "xyz", count: 1000), "last"]
        let bytes = try framed(messages, compress: compress)
        var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20, gzipEnabled: compress)
        var received: [String] = []
        for byte in bytes.readableBytesView {
            [byte].withUnsafeBytes { deframer.append($0) }
            while let message = try deframer.next(allocator: allocator) {
                received.append(String(buffer: message))
            }
        }
        #expect(received == messages)
        #expect(!deframer.hasPartialMessage)
        try deframer.finish()
    }

    @Test("an oversized length is rejected from the prefix alone")
    func oversizedPrefix() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 10)
        var prefix = ByteBuffer()
        prefix.writeInteger(UInt8(0))
        prefix.writeInteger(UInt32(0xFFFF_FFF0))
        deframer.append(prefix)
        #expect(throws: GRPCMessageDeframer.DeframingError.tooLarge(0xFFFF_FFF0)) {
            try deframer.next(allocator: allocator)
        }
    }

    @Test("the limit applies after decompression")
    func decompressionLimit() throws {
        let bytes = try framed([String(repeating: "a", count: 5000)], compress: true)
        var deframer = GRPCMessageDeframer(maxMessageSize: 1000, gzipEnabled: true)
        deframer.append(bytes)
        #expect(throws: GRPCMessageDeframer.DeframingError.tooLarge(1001)) {
            try deframer.next(allocator: allocator)
        }
    }

    @Test("a compressed message without negotiated compression is rejected")
    func unexpectedCompression() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20, gzipEnabled: false)
        deframer.append(try framed(["x"], compress: true))
        #expect(throws: GRPCMessageDeframer.DeframingError.unexpectedCompression) {
            try deframer.next(allocator: allocator)
        }
    }

    @Test("a truncated stream is detected; corrupt gzip is rejected")
    func truncatedAndCorrupt() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        deframer.append(ByteBuffer(bytes: [0, 0, 0, 0, 5, 1, 2]))
        #expect(try deframer.next(allocator: allocator) == nil)
        #expect(throws: GRPCMessageDeframer.DeframingError.truncated) { try deframer.finish() }

        var corrupt = GRPCMessageDeframer(maxMessageSize: 100, gzipEnabled: true)
        corrupt.append(ByteBuffer(bytes: [1, 0, 0, 0, 3, 9, 9, 9]))
        #expect(throws: GRPCMessageDeframer.DeframingError.corruptCompressedData) {
            try corrupt.next(allocator: allocator)
        }
    }

    @Test("the framer refuses messages above its limit")
    func framerLimit() {
        let framer = GRPCMessageFramer(compress: false, maxMessageSize: 4)
        var out = ByteBuffer()
        #expect(throws: GRPCMessageFramer.FramingError.tooLarge(5)) {
            try framer.frame(ByteBuffer(string: "12345"), into: &out, allocator: allocator)
        }
    }
}
