import Bench
import Foundation
import NIOCore
import Schema
import Testing

@Suite struct TemplateTests {
    @Test(arguments: [
        ("{{.Nope}}", "unknown variable"),
        ("{{randomInt 5}}", "randomInt takes two integers"),
        ("{{randomInt 9 1}}", "must not exceed"),
        ("{{randomString x}}", "randomString takes one length"),
        ("{{.UUID extra}}", "takes no arguments"),
        ("abc {{.UUID", "without a closing"),
    ])
    func rejectsBadTemplatesAtCompileTime(text: String, expected: String) {
        #expect {
            _ = try Template(text, origin: "-d")
        } throws: { error in
            guard let error = error as? BenchError else { return false }
            return error.code == .invalidTemplate && error.message.contains(expected) && error.message.hasPrefix("-d")
        }
    }

    @Test func rendersEachVariable() throws {
        let template = try Template("n={{.RequestNumber}} w={{ .WorkerID }} r={{randomInt 3 3}} s={{randomString 12}}", origin: "t")
        var context = TemplateContext(requestNumber: 41, workerID: 7, random: SplitMix64(seed: 9))
        let text = template.render(&context)
        #expect(text.hasPrefix("n=41 w=7 r=3 s="))
        let random = text.split(separator: "=").last.map(String.init) ?? ""
        #expect(random.count == 12)
        #expect(random.allSatisfy { $0.isLetter || $0.isNumber })
    }

    @Test func uuidsAreVersion4AndDistinct() throws {
        let template = try Template("{{.UUID}}", origin: "t")
        var context = TemplateContext(random: SplitMix64(seed: 1))
        var seen = Set<String>()
        for _ in 0..<1000 {
            let text = template.render(&context)
            #expect(UUID(uuidString: text) != nil)
            #expect(Array(text)[14] == "4")
            seen.insert(text)
        }
        #expect(seen.count == 1000)
    }

    @Test func timestampIsRFC3339UTC() throws {
        let template = try Template("{{.Timestamp}}", origin: "t")
        // 2024-02-29T13:45:07.123Z
        var context = TemplateContext(unixNanoseconds: 1_709_214_307_123_000_000, random: SplitMix64(seed: 1))
        #expect(template.render(&context) == "2024-02-29T13:45:07.123Z")
    }

    @Test func randomIntStaysInRangeAndSeedRepeats() throws {
        var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5)
        var values = Set<Int64>()
        for _ in 0..<2000 {
            let x = a.next(in: -3...4)
            #expect(x == b.next(in: -3...4))
            #expect((-3...4).contains(x))
            values.insert(x)
        }
        #expect(values.count == 8)
    }
}

@Suite struct MessageTemplateTests {
    static let pool: SchemaPool? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("examples/protos").path
        return try? SchemaPool.load(protoFiles: [dir + "/greeter.proto", dir + "/route_guide.proto"], importPaths: [dir])
    }()

    func render(_ json: String, type: String, number: UInt64, worker: Int = 0) throws -> [UInt8] {
        let pool = try #require(Self.pool)
        let template = try MessageTemplate(json: json, messageType: type, pool: pool, origin: "-d")
        var context = TemplateContext(requestNumber: number, workerID: worker, random: SplitMix64(seed: 3))
        let buffer = template.render(&context, allocator: ByteBufferAllocator())
        return Array(buffer.readableBytesView)
    }

    /// Each rendered message equals libprotobuf's own encoding of the JSON with the values filled
    /// in. (Zero is left out: proto3 omits a zero field, the template writes it; both decode alike.)
    @Test(arguments: [
        (#"{"name":"user-{{.RequestNumber}}-w{{.WorkerID}}"}"#, "helloworld.HelloRequest", #"{"name":"user-%N-w%W"}"#),
        (#"{"latitude": {{.RequestNumber}}, "longitude": -5}"#, "routeguide.Point", #"{"latitude": %N, "longitude": -5}"#),
        (#"{"lo":{"latitude":{{.RequestNumber}}},"hi":{"latitude":2,"longitude":{{.WorkerID}}}}"#, "routeguide.Rectangle",
         #"{"lo":{"latitude":%N},"hi":{"latitude":2,"longitude":%W}}"#),
        (#"{"location":{"latitude":1},"message":"{{.RequestNumber}}{{.RequestNumber}}"}"#, "routeguide.RouteNote",
         #"{"location":{"latitude":1},"message":"%N%N"}"#),
    ])
    func matchesDirectEncoding(template: String, type: String, expected: String) throws {
        let pool = try #require(Self.pool)
        for (number, worker) in [(UInt64(1), 1), (7, 3), (300, 12), (1_000_000_007, 129)] {
            let ours = try render(template, type: type, number: number, worker: worker)
            let json = expected.replacingOccurrences(of: "%N", with: "\(number)").replacingOccurrences(of: "%W", with: "\(worker)")
            let direct = try pool.jsonToBinary(json, messageType: type)
            #expect(ours == direct, "\(number) \(worker)")
        }
    }

    /// The hot path renders every request into one reused buffer: each message equals a
    /// fresh render with the same values, also while earlier messages are still held (the
    /// buffer is then copied, not overwritten), and random draws go on from request to request.
    @Test func reusedBufferMatchesFreshRenders() throws {
        let pool = try #require(Self.pool)
        let json = #"{"location":{"latitude":{{randomInt -9 9}}},"message":"{{.UUID}} {{randomString 5}} {{.Timestamp}} {{.RequestNumber}}"}"#
        let source = try RequestSource(messages: [
            try MessageTemplate(json: json, messageType: "routeguide.RouteNote", pool: pool, origin: "-d"),
        ])
        var scratch = TemplateScratch()
        var buffer = ByteBuffer()
        var reused = SplitMix64(seed: 11), fresh = SplitMix64(seed: 11)
        var held: [ByteBuffer] = []
        var expected: [[UInt8]] = []
        for number in [UInt64(0), 9, 10, 99_999, 100_000] {
            var context = TemplateContext(requestNumber: number, unixNanoseconds: 1_709_214_307_123_456_789, random: reused)
            let message = source.message(&context, scratch: &scratch, reusing: &buffer)
            reused = context.random
            var freshContext = TemplateContext(requestNumber: number, unixNanoseconds: 1_709_214_307_123_456_789, random: fresh)
            expected.append(Array(source.message(&freshContext, allocator: ByteBufferAllocator()).readableBytesView))
            fresh = freshContext.random
            if number % 2 == 0 { held.append(message) }  // some kept while the next is rendered
            #expect(Array(message.readableBytesView) == expected.last)
        }
        #expect(held.map { Array($0.readableBytesView) } == [expected[0], expected[2], expected[4]])
        let text = try pool.binaryToJSON(expected[1], messageType: "routeguide.RouteNote")
        #expect(text.contains("2024-02-29T13:45:07.123Z 9\""), "\(text)")
    }

    @Test func constantMessageIsEncodedOnce() throws {
        let pool = try #require(Self.pool)
        let template = try MessageTemplate(json: #"{"name":"x"}"#, messageType: "helloworld.HelloRequest", pool: pool, origin: "-d")
        #expect(template.constant != nil)
        #expect(template.expressions.isEmpty)
    }

    @Test func textTemplateInIntegerFieldIsRejected() throws {
        let pool = try #require(Self.pool)
        #expect(throws: BenchError.self) {
            _ = try MessageTemplate(json: #"{"latitude": {{.UUID}}}"#, messageType: "routeguide.Point", pool: pool, origin: "-d")
        }
        #expect(throws: BenchError.self) {
            _ = try MessageTemplate(json: #"{"name": "{{.Bogus}}"}"#, messageType: "helloworld.HelloRequest", pool: pool, origin: "-d")
        }
    }
}
