import Foundation
import Schema
import Testing

@Suite("JSON <-> binary")
struct SchemaConversionTests {
    static let type = "sink.v1.Everything"

    /// Every field of the kitchen sink set, in canonical proto3 JSON.
    static let everything = #"""
        {
          "fDouble": 1.5, "fFloat": 2.25, "fInt32": -2147483648, "fInt64": "-9223372036854775808",
          "fUint32": 4294967295, "fUint64": "18446744073709551615", "fSint32": -7, "fSint64": "-9007199254740993",
          "fFixed32": 7, "fFixed64": "8", "fSfixed32": -9, "fSfixed64": "-10", "fBool": true,
          "fString": "héllo \"wörld\" \u0001", "fBytes": "AAEC/w==",
          "optInt32": 0, "optString": "",
          "color": "COLOR_GREEN", "level": "LEVEL_HIGH",
          "nested": {"label": "a", "child": {"label": "b", "child": {"label": "c"}}, "children": [{"label": "d"}]},
          "packedInts": [1, -2, 300], "unpackedInts": [4, 5], "names": ["x", "y"],
          "items": [{"label": "i1"}, {"label": "i2"}], "colors": ["COLOR_RED", "COLOR_GREEN"],
          "mapString": {"k": "v"}, "mapInt32": {"-1": "m"}, "mapInt64": {"9007199254740993": "big"},
          "mapUint32": {"4": "u"}, "mapUint64": {"18446744073709551615": "max"}, "mapSint32": {"-3": "s"},
          "mapSint64": {"-4": "s"}, "mapFixed32": {"5": "f"}, "mapFixed64": {"6": "f"}, "mapSfixed32": {"-7": "sf"},
          "mapSfixed64": {"-8": "sf"}, "mapBool": {"true": "t", "false": "f"},
          "mapMessage": {"m": {"label": "in map"}}, "mapEnum": {"e": "COLOR_RED"},
          "choiceNested": {"label": "picked"},
          "customName": "json_name honoured",
          "any": {"@type": "type.googleapis.com/sink.v1.Shared", "level": "LEVEL_LOW"},
          "timestamp": "2024-02-29T12:34:56.789Z", "duration": "-1.500s",
          "struct": {"a": 1, "b": [true, null, "s"], "c": {"d": {}}},
          "value": [1, "two", {"three": 3}], "listValue": [null, false],
          "fieldMask": "fInt32,nested.label", "empty": {},
          "wDouble": 0, "wFloat": 1.25, "wInt64": "-5", "wUint64": "6", "wInt32": 7, "wUint32": 8,
          "wBool": false, "wString": "", "wBytes": "/w=="
        }
        """#

    @Test("every field shape survives JSON -> binary -> JSON")
    func roundTrip() throws {
        let pool = try Fixtures.sink()
        let binary = try pool.jsonToBinary(Self.everything, messageType: Self.type)
        let json = try pool.binaryToJSON(binary, messageType: Self.type)
        #expect(try Fixtures.jsonObject(json) == Fixtures.jsonObject(Self.everything))
        // Encoding the result again gives the same bytes.
        #expect(try pool.jsonToBinary(json, messageType: Self.type) == binary)
    }

    @Test("packed and unpacked repeated fields use their own wire forms")
    func packing() throws {
        let pool = try Fixtures.sink()
        // field 21 packed: tag 0xaa 0x01 (21<<3|2), length 2, values 1 2
        #expect(try pool.jsonToBinary(#"{"packedInts":[1,2]}"#, messageType: Self.type) == [0xaa, 0x01, 0x02, 0x01, 0x02])
        // field 22 unpacked: tag 0xb0 0x01 (22<<3|0) per value
        #expect(try pool.jsonToBinary(#"{"unpackedInts":[1,2]}"#, messageType: Self.type) == [0xb0, 0x01, 0x01, 0xb0, 0x01, 0x02])
    }

    @Test("int64 accepts numbers and strings; special floats are strings")
    func numericForms() throws {
        let pool = try Fixtures.sink()
        let fromNumber = try pool.jsonToBinary(#"{"fInt64": 42, "fDouble": "Infinity", "fFloat": "NaN"}"#, messageType: Self.type)
        let json = try pool.binaryToJSON(fromNumber, messageType: Self.type)
        #expect(try Fixtures.jsonObject(json) == Fixtures.jsonObject(#"{"fInt64":"42","fDouble":"Infinity","fFloat":"NaN"}"#))
    }

    @Test("proto field names are accepted on input and printed on request")
    func protoNames() throws {
        let pool = try Fixtures.sink()
        let binary = try pool.jsonToBinary(#"{"f_int32": 3, "renamed": "r"}"#, messageType: Self.type)
        #expect(try pool.binaryToJSON(binary, messageType: Self.type) == #"{"fInt32":3,"customName":"r"}"#)
        #expect(try pool.binaryToJSON(binary, messageType: Self.type, options: .init(useProtoNames: true))
                == #"{"f_int32":3,"renamed":"r"}"#)
    }

    @Test("emit defaults, enums as numbers, indentation")
    func printOptions() throws {
        let pool = try SchemaPool.load(protoFiles: ["route_guide.proto"], importPaths: [Fixtures.examples])
        let empty = try pool.binaryToJSON([], messageType: "routeguide.Point", options: .init(emitDefaults: true))
        #expect(empty == #"{"latitude":0,"longitude":0}"#)
        let sink = try Fixtures.sink()
        let binary = try sink.jsonToBinary(#"{"color":"COLOR_RED"}"#, messageType: Self.type)
        #expect(try sink.binaryToJSON(binary, messageType: Self.type, options: .init(enumsAsNumbers: true)) == #"{"color":1}"#)
        let point = try pool.jsonToBinary(#"{"latitude":1}"#, messageType: "routeguide.Point")
        #expect(try pool.binaryToJSON(point, messageType: "routeguide.Point", options: .init(indent: true))
                == "{\n  \"latitude\": 1\n}")
    }

    @Test("unknown JSON fields are rejected unless ignored")
    func unknownFields() throws {
        let pool = try Fixtures.sink()
        let error = try #require(throws: SchemaError.self) {
            try pool.jsonToBinary(#"{"nested":{"label":"x","nope":1}}"#, messageType: Self.type)
        }
        #expect(error.code == .invalidJSON)
        #expect(error.path == "nested.nope")
        #expect(error.message == "invalid JSON for sink.v1.Everything at nested.nope: unknown field")
        let binary = try pool.jsonToBinary(#"{"nested":{"label":"x","nope":1}}"#, messageType: Self.type,
                                           options: .init(ignoreUnknownFields: true))
        #expect(try pool.binaryToJSON(binary, messageType: Self.type) == #"{"nested":{"label":"x"}}"#)
    }

    struct BadJSON: CustomTestStringConvertible, Sendable {
        var json: String
        var message: String
        var testDescription: String { json }
    }

    static let badJSON: [BadJSON] = [
        BadJSON(json: #"{"fString": }"#, message: "at line 1, column 13: unexpected token"),
        BadJSON(json: "{\n  \"fString\": \"x\",\n  \"fBool\": tru\n}", message: "at line 3, column 12: unexpected token"),
        BadJSON(json: #"{"fString": 5}"#, message: "at f_string: invalid value for string: 5"),
        BadJSON(json: #"{"fInt32": 2147483648}"#, message: "at f_int32: invalid value for int32: 2147483648"),
        BadJSON(json: #"{"fUint64": -1}"#, message: "at f_uint64: invalid value for uint64: -1"),
        BadJSON(json: #"{"color": "COLOR_BLUE"}"#, message: "at color: invalid value for sink.v1.Everything.Color: \"COLOR_BLUE\""),
        BadJSON(json: #"{"timestamp": "yesterday"}"#, message: "at timestamp: invalid value for google.protobuf.Timestamp"),
        BadJSON(json: #"{"any": {"@type": "type.googleapis.com/no.Such"}}"#, message: "at any: invalid value for Any"),
        BadJSON(json: #"{"items": [{"label": 1}]}"#, message: "at items[0].label: invalid value for string: 1"),
        BadJSON(json: "[1]", message: "the message must be a JSON object"),
    ]

    /// Paths use the field names of the .proto file.
    @Test("bad JSON names the position or the JSON path", arguments: badJSON)
    func badInput(_ bad: BadJSON) throws {
        let pool = try Fixtures.sink()
        let error = try #require(throws: SchemaError.self) { try pool.jsonToBinary(bad.json, messageType: Self.type) }
        #expect(error.code == .invalidJSON)
        #expect(error.message.contains(bad.message), "\(error.message)")
        #expect(!error.message.contains("\n"))
    }

    @Test("Any accepts any type-URL prefix")
    func anyPrefix() throws {
        let pool = try Fixtures.sink()
        let binary = try pool.jsonToBinary(#"{"any":{"@type":"example.com/x/sink.v1.Shared","level":"LEVEL_HIGH"}}"#, messageType: Self.type)
        let json = try pool.binaryToJSON(binary, messageType: Self.type)
        #expect(json.contains(#""level":"LEVEL_HIGH""#))
    }

    @Test("truncated or malformed binary is rejected", arguments: [
        [0x0a] as [UInt8],              // tag of a length-delimited field with no length
        [0x72, 0x05, 0x61],             // f_string: length 5, one byte present
        [0x18, 0xff, 0xff, 0xff],       // unterminated varint
        [0x0f],                         // wire type 7 does not exist
        [0x72, 0x02, 0xc3, 0x28],       // f_string holding invalid UTF-8
    ])
    func badBinary(_ bytes: [UInt8]) throws {
        let pool = try Fixtures.sink()
        let error = try #require(throws: SchemaError.self) { try pool.binaryToJSON(bytes, messageType: Self.type) }
        #expect(error.code == .invalidBinary)
        #expect(error.message.hasPrefix("not a valid sink.v1.Everything"))
    }

    @Test("an unknown message type suggests close names")
    func unknownType() throws {
        let pool = try Fixtures.sink()
        let error = try #require(throws: SchemaError.self) { try pool.jsonToBinary("{}", messageType: "sink.v1.Everythng") }
        #expect(error.code == .unknownSymbol)
        #expect(error.suggestions.contains("sink.v1.Everything"))
    }
}

@Suite("Rendering")
struct SchemaRenderTests {
    @Test("services, methods, messages and enums render as proto source with comments")
    func render() throws {
        let pool = try SchemaPool.load(protoFiles: ["route_guide.proto"], importPaths: [Fixtures.examples])
        let service = try pool.render(symbol: "routeguide.RouteGuide")
        #expect(service.kind == "service")
        #expect(service.source.contains("rpc RouteChat(stream .routeguide.RouteNote) returns (stream .routeguide.RouteNote);"))
        #expect(service.source.contains("// A map service with one method of each streaming kind."))
        let method = try pool.render(symbol: "routeguide.RouteGuide/ListFeatures")
        #expect(method.kind == "method")
        #expect(method.source.contains("rpc ListFeatures(.routeguide.Rectangle) returns (stream .routeguide.Feature);"))
        let message = try pool.render(symbol: ".routeguide.Point")
        #expect(message.kind == "message")
        #expect(message.source.contains("int32 latitude = 1;"))
        let sink = try Fixtures.sink()
        let enumType = try sink.render(symbol: "sink.v1.Everything.Color")
        #expect(enumType.kind == "enum")
        #expect(enumType.source.contains("COLOR_GREEN = 2;"))
        #expect(try sink.fileName(containing: "sink.v1.Shared.Level") == "sink/v1/common.proto")
    }
}
