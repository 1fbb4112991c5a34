import Foundation
import Mock
import Schema
import Testing

@Suite("FakeMessage")
struct FakeMessageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func pool() throws -> SchemaPool {
        try SchemaPool.load(protoFiles: ["events.proto", "route_guide.proto", "greeter.proto"],
                            importPaths: [root + "/examples/protos"])
    }

    @Test("every message type of the examples encodes, and twice gives the same bytes")
    func everyMessageEncodes() throws {
        let pool = try Self.pool()
        let fake = FakeMessage(catalog: MessageCatalog(files: pool.files))
        for name in pool.messageNames {
            let json = fake.json(for: name).text
            let bytes = try pool.jsonToBinary(json, messageType: name)
            #expect(try pool.jsonToBinary(fake.json(for: name).text, messageType: name) == bytes)
        }
    }

    @Test("repeated fields get a few elements, oneofs one member, well-known types valid values")
    func shapes() throws {
        let pool = try Self.pool()
        let fake = FakeMessage(catalog: MessageCatalog(files: pool.files))
        let event = fake.json(for: "events.v1.Event")
        #expect(event["at"] == .string("2024-01-02T03:04:05Z"))
        #expect(event["took"] == .string("1.500s"))
        if case .object(let labels) = event["labels"] { #expect(labels.count == 2) } else { Issue.record("no labels map") }
        let json = try pool.binaryToJSON(pool.jsonToBinary(event.text, messageType: "events.v1.Event"), messageType: "events.v1.Event")
        #expect(json.contains("\"at\":\"2024-01-02T03:04:05Z\""))
    }
}
