import Foundation
import Schema
import SwiftProtobuf
import Testing

@Suite("Loading schemas")
struct SchemaLoadingTests {
    @Test("a .proto with imports lists services, methods and their kinds")
    func servicesAndKinds() throws {
        let pool = try Fixtures.sink()
        #expect(pool.rootFileNames == ["sink/v1/kitchen_sink.proto"])
        let service = try #require(pool.service(named: "sink.v1.Sink"))
        #expect(service.file == "sink/v1/kitchen_sink.proto")
        let kinds = Dictionary(uniqueKeysWithValues: service.methods.map { ($0.name, $0.kind) })
        #expect(kinds == ["Unary": .unary, "Upload": .clientStreaming, "Watch": .serverStreaming, "Chat": .bidiStreaming])
        #expect(try pool.method(named: "sink.v1.Sink/Watch").inputType == "google.protobuf.Empty")
        #expect(try pool.method(named: "/sink.v1.Sink/Chat").path == "/sink.v1.Sink/Chat")
        #expect(try pool.method(named: "sink.v1.Sink.Upload").outputType == "google.protobuf.Empty")
    }

    @Test("nested messages and enums are indexed; map entries are not")
    func symbolIndex() throws {
        let pool = try Fixtures.sink()
        #expect(pool.messageNames.contains("sink.v1.Everything.Nested"))
        #expect(pool.messageNames.contains("sink.v1.Shared"))
        #expect(!pool.messageNames.contains { $0.hasSuffix("Entry") })
        #expect(pool.enumNames.contains("sink.v1.Everything.Color"))
        #expect(pool.enumNames.contains("sink.v1.Shared.Level"))
        #expect(pool.messageNames.contains("google.protobuf.Timestamp"))
    }

    @Test("the well-known types resolve with only the user's import path")
    func wellKnownTypesAreBuiltIn() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Fixtures.write(
            """
            syntax = "proto3";
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/descriptor.proto";
            message Stamp { google.protobuf.Timestamp at = 1; google.protobuf.FileDescriptorProto file = 2; }
            """, to: directory + "/stamp.proto")
        let pool = try SchemaPool.load(protoFiles: ["stamp.proto"], importPaths: [directory])
        let binary = try pool.jsonToBinary(#"{"at":"2020-05-06T07:08:09.5Z"}"#, messageType: "Stamp")
        #expect(try pool.binaryToJSON(binary, messageType: "Stamp") == #"{"at":"2020-05-06T07:08:09.500Z"}"#)
    }

    @Test("an on-disk path under an import path is accepted like protoc")
    func diskPathUnderRoot() throws {
        let pool = try SchemaPool.load(
            protoFiles: [Fixtures.resources + "/sink/v1/kitchen_sink.proto"], importPaths: [Fixtures.resources])
        #expect(pool.rootFileNames == ["sink/v1/kitchen_sink.proto"])
    }

    @Test("protosets: exported closure loads back, dependencies first, json_name kept")
    func protosetRoundTrip() throws {
        let pool = try Fixtures.sink()
        let bytes = try pool.exportDescriptorSet()
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        let names = set.file.map(\.name)
        #expect(names.last == "sink/v1/kitchen_sink.proto")
        let sinkIndex = try #require(names.firstIndex(of: "sink/v1/kitchen_sink.proto"))
        #expect(try #require(names.firstIndex(of: "sink/v1/common.proto")) < sinkIndex)
        #expect(try #require(names.firstIndex(of: "google/protobuf/timestamp.proto")) < sinkIndex)
        let everything = try #require(set.file.last?.messageType.first { $0.name == "Everything" })
        #expect(everything.field.first { $0.name == "renamed" }?.jsonName == "customName")
        #expect(everything.field.first { $0.name == "f_int32" }?.jsonName == "fInt32")

        let reloaded = try SchemaPool.load(protosets: [bytes])
        #expect(reloaded.services == pool.services)
        let json = #"{"fInt64":"-5","customName":"x"}"#
        #expect(try reloaded.binaryToJSON(reloaded.jsonToBinary(json, messageType: "sink.v1.Everything"),
                                          messageType: "sink.v1.Everything") == json)
    }

    @Test("identical files in two protosets merge; different ones are an error naming the file")
    func protosetMerging() throws {
        let pool = try Fixtures.sink()
        let whole = try pool.exportDescriptorSet()
        let common = try pool.exportDescriptorSet(fileNames: ["sink/v1/common.proto"])
        let merged = try SchemaPool.load(protosets: [whole, common])
        #expect(merged.service(named: "sink.v1.Sink") != nil)

        var set = try Google_Protobuf_FileDescriptorSet(serializedBytes: common)
        set.file[set.file.count - 1].messageType[0].name = "Changed"
        let conflicting: [UInt8] = try set.serializedBytes()
        let error = try #require(throws: SchemaError.self) { try SchemaPool.load(protosets: [whole, conflicting]) }
        #expect(error.code == .invalidDescriptors)
        #expect(error.message.contains("sink/v1/common.proto"))
    }

    @Test("a protoset without the well-known types gets the built-in ones")
    func protosetWithoutImports() throws {
        let pool = try Fixtures.sink()
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: pool.exportDescriptorSet())
        var trimmed = Google_Protobuf_FileDescriptorSet()
        trimmed.file = set.file.filter { !$0.name.hasPrefix("google/") }
        let reloaded = try SchemaPool.load(protosets: [try trimmed.serializedBytes()])
        let json = #"{"timestamp":"1970-01-01T00:00:01Z","duration":"2s"}"#
        #expect(try reloaded.binaryToJSON(reloaded.jsonToBinary(json, messageType: "sink.v1.Everything"),
                                          messageType: "sink.v1.Everything") == json)
    }

    @Test("single file descriptors (as reflection returns them) load like a protoset")
    func fileDescriptorProtos() throws {
        let pool = try Fixtures.sink()
        let protos = try pool.fileDescriptorProtos(fileName: "sink/v1/kitchen_sink.proto", withDependencies: true)
        #expect(protos.count >= 9)
        let reloaded = try SchemaPool.load(protosets: [], fileDescriptorProtos: protos.reversed())
        #expect(reloaded.service(named: "sink.v1.Sink") == pool.service(named: "sink.v1.Sink"))
        let alone = try pool.fileDescriptorProtos(fileName: "sink/v1/common.proto", withDependencies: false)
        #expect(alone.count == 1)
    }
}
