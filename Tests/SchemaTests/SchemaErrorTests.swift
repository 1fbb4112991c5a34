import Foundation
import Schema
import Testing

@Suite("Schema errors")
struct SchemaErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var source: String
        var code: SchemaError.Code
        var message: String
        var testDescription: String { name }
    }

    static let protoCases: [Case] = [
        Case(name: "syntax error", source: "syntax = \"proto3\";\nmessage A {\n  int32 = 1;\n}\n",
             code: .protoSyntax, message: "bad.proto:3:9: Expected field name."),
        Case(name: "undefined type", source: "syntax = \"proto3\";\nmessage A {\n  Missing m = 1;\n}\n",
             code: .protoSyntax, message: "bad.proto:3:3: \"Missing\" is not defined."),
        Case(name: "missing import", source: "syntax = \"proto3\";\nimport \"gone/away.proto\";\nmessage A {}\n",
             code: .fileNotFound, message: "gone/away.proto: import not found (imported at bad.proto:2:1) (import paths: -I "),
        Case(name: "editions", source: "edition = \"2023\";\nmessage A {}\n",
             code: .unsupportedEditions, message: "bad.proto: uses protobuf editions"),
    ]

    @Test("bad .proto files name the file, line and column", arguments: protoCases)
    func protoErrors(_ testCase: Case) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Fixtures.write(testCase.source, to: directory + "/bad.proto")
        let error = try #require(throws: SchemaError.self) {
            try SchemaPool.load(protoFiles: ["bad.proto"], importPaths: [directory])
        }
        #expect(error.code == testCase.code)
        #expect(error.message.hasPrefix(testCase.message), "\(error.message)")
        #expect(!error.message.contains("\n"))
    }

    @Test("a syntax error carries a structured location")
    func location() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Fixtures.write("syntax = \"proto3\";\n\nmessage A {\n  int32 a = x;\n}\n", to: directory + "/loc.proto")
        let error = try #require(throws: SchemaError.self) {
            try SchemaPool.load(protoFiles: ["loc.proto"], importPaths: [directory])
        }
        #expect(error.location == SchemaError.Location(file: "loc.proto", line: 4, column: 13))
    }

    @Test("a missing file names the import paths searched")
    func missingFile() throws {
        let error = try #require(throws: SchemaError.self) {
            try SchemaPool.load(protoFiles: ["nope.proto"], importPaths: ["/tmp/a", "/tmp/b"])
        }
        #expect(error.code == .fileNotFound)
        #expect(error.message == "nope.proto: file not found (import paths: -I /tmp/a, -I /tmp/b)")
    }

    @Test("a file outside every import path is rejected")
    func outsideImportPath() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Fixtures.write("syntax = \"proto3\";\n", to: directory + "/out.proto")
        let error = try #require(throws: SchemaError.self) {
            try SchemaPool.load(protoFiles: [directory + "/out.proto"], importPaths: [Fixtures.resources])
        }
        #expect(error.code == .outsideImportPath)
        #expect(error.message.contains("not under any import path"))
    }

    @Test("corrupt and truncated protosets are rejected", arguments: [
        Array("not a protoset at all".utf8),
        [0x0a, 0x7f, 0x0a, 0x03],
    ])
    func corruptProtoset(_ bytes: [UInt8]) throws {
        let error = try #require(throws: SchemaError.self) { try SchemaPool.load(protosets: [bytes]) }
        #expect(error.code == .invalidDescriptors)
    }

    @Test("a truncated real protoset is rejected")
    func truncatedProtoset() throws {
        let bytes = try Fixtures.sink().exportDescriptorSet()
        let error = try #require(throws: SchemaError.self) {
            try SchemaPool.load(protosets: [Array(bytes.prefix(bytes.count - 7))])
        }
        #expect(error.code == .invalidDescriptors)
    }

    @Test("unknown symbols suggest close names")
    func suggestions() throws {
        let pool = try Fixtures.sink()
        let error = try #require(throws: SchemaError.self) { try pool.render(symbol: "sink.v1.Everythin") }
        #expect(error.code == .unknownSymbol)
        #expect(error.suggestions.first == "sink.v1.Everything")
        #expect(error.message.contains("did you mean \"sink.v1.Everything\""))
        let method = try #require(throws: SchemaError.self) { try pool.method(named: "sink.v1.Sink/Unray") }
        #expect(method.suggestions == ["sink.v1.Sink/Unary"])
        let service = try #require(throws: SchemaError.self) { try pool.method(named: "sink.v1.Snk/Unary") }
        #expect(service.message.hasPrefix("unknown service \"sink.v1.Snk\""))
    }
}
