import Foundation
import Schema
import Testing

/// Compares the schema core with the `protoc` binary (protobuf-compiler): bytes
/// we encode must decode in protoc to the expected text, and bytes protoc
/// encodes must decode here to the expected JSON.
@Suite("Differential against protoc", .enabled(if: Protoc.path != nil))
struct ProtocDifferentialTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        var json: String
        var text: String   // protoc's text format of the same message
        var testDescription: String { json }
    }

    static let samples: [Sample] = [
        Sample(json: #"{"fInt32":-1}"#, text: "f_int32: -1"),
        Sample(json: #"{"fInt64":"-9223372036854775808"}"#, text: "f_int64: -9223372036854775808"),
        Sample(json: #"{"fUint64":"18446744073709551615"}"#, text: "f_uint64: 18446744073709551615"),
        Sample(json: #"{"fSint32":-300,"fSint64":"-5"}"#, text: "f_sint32: -300\nf_sint64: -5"),
        Sample(json: #"{"fFixed32":1,"fFixed64":"2","fSfixed32":-3,"fSfixed64":"-4"}"#,
               text: "f_fixed32: 1\nf_fixed64: 2\nf_sfixed32: -3\nf_sfixed64: -4"),
        Sample(json: #"{"fDouble":0.125,"fFloat":-2.5}"#, text: "f_double: 0.125\nf_float: -2.5"),
        Sample(json: #"{"fBool":true,"fString":"é\n","fBytes":"AP8="}"#,
               text: "f_bool: true\nf_string: \"\\303\\251\\n\"\nf_bytes: \"\\000\\377\""),
        Sample(json: #"{"optInt32":0}"#, text: "opt_int32: 0"),
        Sample(json: #"{"color":"COLOR_RED","level":"LEVEL_HIGH"}"#, text: "color: COLOR_RED\nlevel: LEVEL_HIGH"),
        Sample(json: #"{"nested":{"label":"a","child":{"label":"b"}}}"#,
               text: "nested {\n  label: \"a\"\n  child {\n    label: \"b\"\n  }\n}"),
        Sample(json: #"{"packedInts":[1,2,3]}"#, text: "packed_ints: 1\npacked_ints: 2\npacked_ints: 3"),
        Sample(json: #"{"unpackedInts":[7]}"#, text: "unpacked_ints: 7"),
        Sample(json: #"{"mapInt32":{"5":"five"}}"#, text: "map_int32 {\n  key: 5\n  value: \"five\"\n}"),
        Sample(json: #"{"mapBool":{"true":"yes"}}"#, text: "map_bool {\n  key: true\n  value: \"yes\"\n}"),
        Sample(json: #"{"choiceNumber":"12"}"#, text: "choice_number: 12"),
        Sample(json: #"{"customName":"r"}"#, text: "renamed: \"r\""),
        Sample(json: #"{"timestamp":"1970-01-01T00:00:10.000000001Z"}"#, text: "timestamp {\n  seconds: 10\n  nanos: 1\n}"),
        Sample(json: #"{"duration":"-0.500s"}"#, text: "duration {\n  nanos: -500000000\n}"),
        Sample(json: #"{"wInt64":"9"}"#, text: "w_int64 {\n  value: 9\n}"),
        Sample(json: #"{"fieldMask":"fInt32,nested.label"}"#,
               text: "field_mask {\n  paths: \"f_int32\"\n  paths: \"nested.label\"\n}"),
        Sample(json: #"{"struct":{"k":true}}"#,
               text: "struct {\n  fields {\n    key: \"k\"\n    value {\n      bool_value: true\n    }\n  }\n}"),
        Sample(json: #"{"any":{"@type":"type.googleapis.com/sink.v1.Shared","level":"LEVEL_LOW"}}"#,
               text: "any {\n  type_url: \"type.googleapis.com/sink.v1.Shared\"\n  value: \"\\010\\001\"\n}"),
    ]

    @Test("our encoding decodes in protoc to the expected text", arguments: samples)
    func encodeThenProtocDecode(_ sample: Sample) throws {
        let pool = try Fixtures.sink()
        let binary = try pool.jsonToBinary(sample.json, messageType: "sink.v1.Everything")
        let text = try Protoc.run(["--decode=sink.v1.Everything"], input: binary)
        #expect(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == sample.text)
    }

    @Test("protoc's encoding decodes here to the expected JSON", arguments: samples)
    func protocEncodeThenDecode(_ sample: Sample) throws {
        let pool = try Fixtures.sink()
        let binary = try Protoc.run(["--encode=sink.v1.Everything"], input: Array(sample.text.utf8))
        let json = try pool.binaryToJSON(Array(binary), messageType: "sink.v1.Everything")
        #expect(try Fixtures.jsonObject(json) == Fixtures.jsonObject(sample.json))
    }
}

enum Protoc {
    static let path: String? = ["/usr/bin/protoc", "/usr/local/bin/protoc"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs protoc on the kitchen-sink schema with `arguments`, feeding `input` on stdin.
    static func run(_ arguments: [String], input: [UInt8]) throws -> Data {
        guard let path else { throw Failure(description: "protoc is not installed") }
        let (status, out, err) = try Fixtures.run(
            path, arguments + ["-I", Fixtures.resources, "-I", "/usr/include", "sink/v1/kitchen_sink.proto"], stdin: input)
        guard status == 0 else { throw Failure(description: "protoc failed (\(status)): \(err)") }
        return out
    }
}
