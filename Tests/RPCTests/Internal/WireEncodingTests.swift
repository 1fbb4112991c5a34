import NIOCore
import Testing
@testable import RPC

@Suite("Wire encodings")
struct WireEncodingTests {
    @Test("base64 round trips unpadded and accepts padding", arguments: [
        [UInt8](), [0], [0, 1], [0, 1, 2], [0xFF, 0xFE, 0xFD, 0xFC], Array(0...255),
    ])
    func base64(bytes: [UInt8]) throws {
        let encoded = Base64.encode(bytes)
        #expect(!encoded.contains(UInt8(ascii: "=")))
        #expect(Base64.decode(encoded) == bytes)
        var padded = encoded
        while padded.count % 4 != 0 { padded.append(UInt8(ascii: "=")) }
        #expect(Base64.decode(padded) == bytes)
    }

    @Test("base64 rejects garbage")
    func base64Invalid() {
        #expect(Base64.decode(Array("a*b".utf8)) == nil)
        #expect(Base64.decode(Array("a".utf8)) == nil)
        #expect(Base64.decode(Array("ab=c".utf8)) == nil)
    }

    @Test("grpc-message percent-encoding", arguments: [
        ("plain", "plain"), ("100%", "100%25"), ("näh ✓", "n%C3%A4h %E2%9C%93"), ("a\nb", "a%0Ab"),
    ])
    func percent(text: String, wire: String) {
        #expect(String(decoding: PercentEncoding.encode(text), as: UTF8.self) == wire)
        #expect(PercentEncoding.decode(Array(wire.utf8)) == text)
    }

    @Test("malformed percent escapes are kept")
    func percentLenient() {
        #expect(PercentEncoding.decode(Array("50%".utf8)) == "50%")
        #expect(PercentEncoding.decode(Array("%zz".utf8)) == "%zz")
    }

    @Test("grpc-timeout encodes within 8 digits and never shortens", arguments: [
        (TimeAmount.milliseconds(1500), "1500000u"), (.seconds(100), "100000m"),
        (.nanoseconds(5), "5n"), (.hours(200_000), "12000000M"),
    ])
    func timeoutEncode(amount: TimeAmount, wire: String) {
        #expect(GRPCTimeout.encode(amount) == wire)
        if let decoded = GRPCTimeout.decode(Array(wire.utf8)) {
            #expect(decoded >= amount)
        } else {
            Issue.record("did not decode \(wire)")
        }
    }

    @Test("grpc-timeout decoding", arguments: [
        ("1H", TimeAmount?.some(.hours(1))), ("3S", .seconds(3)), ("250m", .milliseconds(250)),
        ("", nil), ("S", nil), ("123456789S", nil), ("12x", nil), ("-1S", nil),
    ])
    func timeoutDecode(wire: String, expected: TimeAmount?) {
        #expect(GRPCTimeout.decode(Array(wire.utf8)) == expected)
    }

    @Test("addresses", arguments: [
        ("localhost:50051", RPCAddress.tcp(host: "localhost", port: 50051)),
        ("[::1]:8080", .tcp(host: "::1", port: 8080)),
        ("127.0.0.1:0", .tcp(host: "127.0.0.1", port: 0)),
        ("unix:/tmp/x.sock", .unix(path: "/tmp/x.sock")),
        ("unix:///tmp/y.sock", .unix(path: "/tmp/y.sock")),
    ])
    func addresses(text: String, expected: RPCAddress) throws {
        #expect(try RPCAddress(parsing: text) == expected)
    }

    @Test("bad addresses", arguments: ["localhost", "::1:80", "[::1]", "host:99999", ":80", "unix:"])
    func badAddresses(text: String) {
        #expect {
            try RPCAddress(parsing: text)
        } throws: { error in
            (error as? RPCError)?.code == .invalidAddress
        }
    }

    @Test("HTTP status mapping", arguments: [
        (400, GRPCStatus.Code.internal), (401, .unauthenticated), (403, .permissionDenied),
        (404, .unimplemented), (429, .unavailable), (502, .unavailable), (503, .unavailable),
        (504, .unavailable), (500, .unknown), (418, .unknown),
    ])
    func httpMapping(http: Int, code: GRPCStatus.Code) {
        #expect(GRPCStatus.fromHTTPStatus(http).code == code)
    }

    @Test("metadata validation", arguments: [
        (["x-ok": "fine"], true), (["Upper": "lowercased, so fine"], true), (["bad key": "v"], false),
        (["grpc-status": "0"], false), (["x-nl": "a\nb"], false), (["x-utf": "ä"], false), (["x-bin": "ä"], true),
    ] as [(Metadata, Bool)])
    func metadataValidation(metadata: Metadata, valid: Bool) {
        #expect((try? metadata.validateForSending()) != nil ? valid : !valid)
    }

    @Test("gzip round trip and limit")
    func gzip() throws {
        let allocator = ByteBufferAllocator()
        let input = ByteBuffer(string: String(repeating: "compress me ", count: 1000))
        let compressed = try #require(Zlib.compress(input, allocator: allocator))
        #expect(compressed.readableBytes < input.readableBytes)
        #expect(try Zlib.decompress(compressed, limit: 1 << 20, allocator: allocator) == input)
        #expect(throws: Zlib.DecompressionError.tooLarge) {
            try Zlib.decompress(compressed, limit: 100, allocator: allocator)
        }
    }
}
