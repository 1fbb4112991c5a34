import Foundation
@testable import Schema
import Testing

/// The fast conversion paths against the tree paths they stand in for (and
/// against libprotobuf): JSON -> binary in one pass (`JSONWireWriter`), and
/// binary -> JSON straight from the wire (`streamJSON`).
@Suite("One-pass codec")
struct OnePassCodecTests {
    static let type = NativeCodecTests.type

    /// The one-pass bytes of `json`, or nil where it leaves the input to the tree path.
    static func onePass(_ json: String, pool: SchemaPool, type: String = type, options: JSONOptions = .init()) throws -> [UInt8]? {
        JSONWireWriter.convert(Array(json.utf8), plan: try pool.messagePlan(type), options: options, types: pool.plans)
    }

    static func tree(_ json: String, pool: SchemaPool, type: String = type, options: JSONOptions = .init()) throws -> [UInt8] {
        try pool.treeJSONToBinary(Array(json.utf8), messageType: type, options: options)
    }

    @Test("libprotobuf's JSON of random messages goes through the one pass, with the tree path's and libprotobuf's bytes")
    func randomMessages() throws {
        let (native, oracle) = try NativeCodecTests.pools()
        var generator = MessageGenerator(seed: 0x0e9a55, pool: native)
        let plan = try native.messagePlan(Self.type)
        let options: [JSONOptions] = [.init(), .init(useProtoNames: true), .init(enumsAsNumbers: true), .init(indent: true)]
        for round in 0..<600 {
            let bytes = native.encode(generator.message(plan, depth: 0))
            let json = try oracle.binaryToJSON(bytes, messageType: Self.type, options: options[round % options.count])
            let expected = try oracle.jsonToBinary(json, messageType: Self.type)
            let fast = try #require(try Self.onePass(json, pool: native), "left to the tree path: \(json)")
            #expect(fast == expected, "one pass vs libprotobuf for \(json)")
            #expect(try Self.tree(json, pool: native) == fast, "tree path vs one pass for \(json)")
        }
    }

    /// Inputs the one pass takes, as JSON (the tree path gives the same bytes).
    static let taken: [String] = [
        // Keys out of number order, at the top and nested; the bytes are in number order.
        #"{"fBool":true,"fInt32":5,"fDouble":1.5}"#,
        #"{"nested":{"children":[{"label":"z"}],"child":{"label":"b"},"label":"a"},"fInt32":1}"#,
        #"{"mapString":{"b":"2","a":"1"},"names":["x"],"fString":"s","any":{"@type":"type.googleapis.com/sink.v1.Shared","level":"LEVEL_HIGH"}}"#,
        // A repeated key: the last value wins.
        #"{"fInt32":1,"fString":"x","fInt32":2}"#,
        // null leaves a field as it is, but is a Value's null.
        #"{"fInt32":1,"fInt32":null,"nested":null,"value":null,"listValue":[null,1],"struct":{"n":null}}"#,
        #"{"choiceText":"a","choiceNumber":null}"#,
        // Defaults: left out unless the field has presence.
        #"{"fInt32":0,"optInt32":0,"fString":"","optString":"","fDouble":-0,"wInt32":0,"wString":""}"#,
        // Escapes, including a surrogate pair, in values, keys and map keys.
        #"{"fString":"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","f\u0049nt32":3,"mapString":{"k\u00e9y":"\u2028"}}"#,
        // Numbers in every notation the mapping allows.
        #"{"fInt32":1e3,"fInt64":"-42","fUint32":4.0,"fUint64":"18446744073709551615","fDouble":"NaN","fFloat":"-Infinity"}"#,
        #"{"fSint32":-300,"fSint64":"-5","fFixed32":1,"fFixed64":"2","fSfixed32":-3,"fSfixed64":"-4","fDouble":1.0e-7}"#,
        #"{"value":-2.5e-300,"struct":{"a":1,"b":[true,{"c":"d"}]},"color":1,"colors":["COLOR_RED",2]}"#,
        // .proto names as keys, maps of every key kind.
        #"{"f_int32":7,"renamed":"yes","map_int32":{"-1":"m"},"mapBool":{"false":"f"},"mapSfixed64":{"-8":"x"}}"#,
        // Any: a well-known payload, the fields of a message payload as given.
        #"{"any":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.5s"}}"#,
        #"{"any":{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"1970-01-01T00:00:00Z"}}"#,
        #"{"any":{}}"#,
        // Well-known types with their text forms.
        #"{"timestamp":"2024-02-29T12:00:00+01:30","duration":"-0.000000001s","fieldMask":"a.bC,dEf","empty":{}}"#,
        // White space everywhere.
        " \n{ \"fInt32\" : 1 ,\t\"names\" : [ \"a\" , \"b\" ] , \"struct\" : { } }\r\n",
        // A long message: lengths of more than one byte.
        #"{"nested":{"label":""# + String(repeating: "x", count: 300) + #"","children":[{"label":""# + String(repeating: "y", count: 20_000) + #""}]}}"#,
    ]

    @Test("keys out of order, repeated keys, nulls, defaults and escapes: the one pass gives the tree path's bytes",
          arguments: taken.indices)
    func takenInputs(_ index: Int) throws {
        let (native, oracle) = try NativeCodecTests.pools()
        let json = Self.taken[index]
        let fast = try #require(try Self.onePass(json, pool: native), "left to the tree path: \(json)")
        #expect(fast == (try Self.tree(json, pool: native)))
        #expect(try native.jsonToBinary(json, messageType: Self.type) == fast)
        #expect(try oracle.jsonToBinary(json, messageType: Self.type) == fast)
    }

    @Test("a repeated key of a message or list field replaces the earlier value, as in the tree path")
    func repeatedKeys() throws {
        let (native, _) = try NativeCodecTests.pools()
        // (libprotobuf merges the messages and joins the lists; the native codec has always replaced them.)
        let cases: [(String, [UInt8])] = [
            (#"{"nested":{"label":"a"},"fBool":true,"nested":{"child":{}}}"#, [0x68, 0x01, 0xa2, 0x01, 0x02, 0x12, 0x00]),
            (#"{"packedInts":[1,2],"fInt32":1,"packedInts":[3]}"#, [0x18, 0x01, 0xaa, 0x01, 0x01, 0x03]),
            (#"{"mapString":{"a":"1"},"mapString":{"b":"2"}}"#, [0xd2, 0x01, 0x06, 0x0a, 0x01, 0x62, 0x12, 0x01, 0x32]),
        ]
        for (json, expected) in cases {
            #expect(try Self.onePass(json, pool: native) == expected, "\(json)")
            #expect(try Self.tree(json, pool: native) == expected, "\(json)")
        }
        // Inside an Any the tree keeps a repeated key's first place: left to the tree path.
        let inAny = #"{"any":{"@type":"type.googleapis.com/sink.v1.Everything","fInt32":1,"fBool":true,"fInt32":2}}"#
        #expect(try Self.onePass(inAny, pool: native) == nil)
        #expect(try native.nativeJSONToBinary(Array(inAny.utf8), messageType: Self.type, options: .init())
            == Self.tree(inAny, pool: native))
    }

    @Test("numbers at the edges: the one pass takes what the tree path takes, with the same bytes")
    func numberEdges() throws {
        let (native, _) = try NativeCodecTests.pools()
        let cases = [
            #"{"fInt32":-0}"#, #"{"fInt32":0}"#, #"{"fInt32":-2147483648}"#, #"{"fInt32":-2147483649}"#, #"{"fInt32":01}"#,
            #"{"fInt32":-}"#, #"{"fInt32":1.5}"#, #"{"fInt32":1.0}"#, #"{"fInt32":1e2}"#, #"{"fInt32":1E2}"#, #"{"fInt32":"-0"}"#,
            #"{"fInt32":"1e2"}"#, #"{"fInt32":"+1"}"#, #"{"fInt32":" 1"}"#, #"{"fInt64":123456789012345678}"#,
            #"{"fInt64":1234567890123456789}"#, #"{"fInt64":-9223372036854775808}"#, #"{"fInt64":9223372036854775808}"#,
            #"{"fInt64":"-9223372036854775808"}"#, #"{"fUint32":4294967295}"#, #"{"fUint32":4294967296}"#, #"{"fUint32":-0}"#,
            #"{"fUint32":-1}"#, #"{"fUint64":18446744073709551615}"#, #"{"fUint64":"18446744073709551616"}"#,
            #"{"fUint64":"-0"}"#, #"{"fSint64":-1,"fSfixed32":-1,"fFixed64":"1"}"#, #"{"fDouble":-0.0}"#, #"{"fDouble":1e400}"#,
            #"{"fDouble":123456789012345678}"#, #"{"fFloat":3.5e38}"#, #"{"fFloat":-1e-50}"#, #"{"value":1e400}"#,
            #"{"value":-0}"#, #"{"color":2147483647}"#, #"{"color":-1}"#, #"{"color":2147483648}"#, #"{"packedInts":[1,-0,1e1]}"#,
            #"{"mapInt32":{"-0":"a","007":"b"}}"#, #"{"mapUint64":{"-1":"a"}}"#, #"{"mapBool":{"True":"a"}}"#,
        ]
        for json in cases {
            let tree = try? Self.tree(json, pool: native)
            #expect(try Self.onePass(json, pool: native) == tree, "\(json)")
        }
    }

    @Test("keys in any order give the same bytes")
    func keyOrder() throws {
        let (native, oracle) = try NativeCodecTests.pools()
        let ordered = #"{"fDouble":1.5,"fInt32":5,"fBool":true,"nested":{"label":"a","child":{"label":"b"}},"mapString":{"k":"v"}}"#
        let reversed = #"{"mapString":{"k":"v"},"nested":{"child":{"label":"b"},"label":"a"},"fBool":true,"fInt32":5,"fDouble":1.5}"#
        let expected = try oracle.jsonToBinary(ordered, messageType: Self.type)
        #expect(try Self.onePass(ordered, pool: native) == expected)
        #expect(try Self.onePass(reversed, pool: native) == expected)
        #expect(try native.jsonToBinary(reversed, messageType: Self.type) == expected)
    }

    @Test("ignoreUnknownFields: unknown members are skipped, still checked as JSON")
    func unknownFields() throws {
        let (native, _) = try NativeCodecTests.pools()
        let ignore = JSONOptions(ignoreUnknownFields: true)
        let json = #"{"nope":{"a":[1,{"b":null}],"c":"\u00e9"},"fInt32":3,"also":-1.5e3}"#
        let fast = try #require(try Self.onePass(json, pool: native, options: ignore))
        #expect(fast == [0x18, 0x03])
        #expect(fast == (try Self.tree(json, pool: native, options: ignore)))
        #expect(try Self.onePass(json, pool: native) == nil)  // not ignored: the tree path reports it
        #expect(try Self.onePass(#"{"nope":[1,],"fInt32":3}"#, pool: native, options: ignore) == nil)
    }

    /// Inputs the one pass leaves to the tree path, which takes them (with libprotobuf's bytes).
    static let leftToTheTree: [String] = [
        // "@type" after the payload's fields.
        #"{"any":{"level":"LEVEL_HIGH","@type":"type.googleapis.com/sink.v1.Shared"}}"#,
        // Deeper than the one pass's budget, well within the limits.
        #"{"nested":"# + String(repeating: #"{"child":"#, count: 60) + "{}" + String(repeating: "}", count: 61),
    ]

    @Test("what the one pass leaves to the tree path still converts", arguments: leftToTheTree.indices)
    func leftToTheTreeInputs(_ index: Int) throws {
        let (native, oracle) = try NativeCodecTests.pools()
        let json = Self.leftToTheTree[index]
        #expect(try Self.onePass(json, pool: native) == nil)
        let expected = try oracle.jsonToBinary(json, messageType: Self.type)
        #expect(try native.nativeJSONToBinary(Array(json.utf8), messageType: Self.type, options: .init()) == expected)
    }

    @Test("bad JSON: the one pass gives up and the error names the JSON path or the position")
    func errors() throws {
        let (native, _) = try NativeCodecTests.pools()
        let cases: [(String, String)] = [
            (#"{"items":[{"label":"a"},{"label":1}]}"#, "at items[1].label: invalid value for string: 1"),
            (#"{"nested":{"child":{"nope":1}}}"#, "at nested.child.nope: unknown field"),
            (#"{"fInt32":2147483648}"#, "at f_int32: invalid value for int32: 2147483648"),
            (#"{"mapInt32":{"x":"y"}}"#, #"at map_int32["x"]"#),
            (#"{"packedInts":[1,null]}"#, "at packed_ints[1]: invalid value for list element: null"),
            (#"{"choiceText":"a","choiceNumber":"1"}"#, "more than one field of oneof choice"),
            (#"{"timestamp":"2024-13-01T00:00:00Z"}"#, "at timestamp: invalid value for google.protobuf.Timestamp"),
            (#"{"fBytes":"!!"}"#, "at f_bytes: invalid value for bytes"),
            (#"{"color":"COLOR_BLUE"}"#, "at color: invalid value for sink.v1.Everything.Color"),
            ("{\"fString\":\"a\u{1}\"}", "control character in a string"),
            (#"{"fInt32":1,}"#, "at line 1, column 13: expected a string key"),
            (#"{"fInt32":01}"#, "leading zero in a number"),
            (#"{"fInt32":1} x"#, "unexpected text after the value"),
            (#"[1]"#, "the message must be a JSON object"),
        ]
        for (json, message) in cases {
            #expect(try Self.onePass(json, pool: native) == nil, "\(json)")
            let error = try #require(throws: SchemaError.self, "\(json)") {
                try native.nativeJSONToBinary(Array(json.utf8), messageType: Self.type, options: .init())
            }
            #expect(error.code == .invalidJSON)
            #expect(error.message.contains(message), "\(json): \(error.message)")
        }
    }

    /// Binary inputs whose map entries or well-known types are encoded unusually.
    static let oddBinary: [(String, [UInt8])] = [
        ("map entry with the value before the key", [0xd2, 0x01, 0x06, 0x12, 0x01, 0x76, 0x0a, 0x01, 0x6b]),
        ("map entry without a key", [0xd2, 0x01, 0x03, 0x12, 0x01, 0x76]),
        ("map entry without a value", [0xd2, 0x01, 0x03, 0x0a, 0x01, 0x6b]),
        ("map entry with the value twice", [0xd2, 0x01, 0x09, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x61, 0x12, 0x01, 0x62]),
        ("map entry with an unknown field", [0xd2, 0x01, 0x08, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76, 0x18, 0x01]),
        ("map of messages, entries apart", [0xb2, 0x02, 0x03, 0x0a, 0x01, 0x61, 0x18, 0x01, 0xb2, 0x02, 0x03, 0x0a, 0x01, 0x62]),
        ("timestamp with nanos first, seconds twice", [0x9a, 0x03, 0x06, 0x10, 0x05, 0x08, 0x01, 0x08, 0x02]),
        ("timestamp with an unknown field", [0x9a, 0x03, 0x04, 0x08, 0x01, 0x18, 0x01]),
        ("timestamp out of range", [0x9a, 0x03, 0x0b, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ("empty wrapper", [0xf2, 0x03, 0x00]),
        ("wrapper value twice", [0xf2, 0x03, 0x04, 0x08, 0x01, 0x08, 0x02]),
        ("wrapper with an unknown field", [0xf2, 0x03, 0x04, 0x08, 0x01, 0x10, 0x02]),
        ("string wrapper", [0x8a, 0x04, 0x04, 0x0a, 0x02, 0x3c, 0x3e]),
        ("Any with the payload before the URL",
         [0x92, 0x03, 0x2a, 0x12, 0x02, 0x08, 0x02] + [0x0a, 0x22] + Array("type.googleapis.com/sink.v1.Shared".utf8)),
        ("Any without a URL", [0x92, 0x03, 0x04, 0x12, 0x02, 0x08, 0x02]),
        ("Any of an unknown type", [0x92, 0x03, 0x0a, 0x0a, 0x08] + Array("x/no.Foo".utf8)),
        ("Any of a well-known type", [0x92, 0x03, 0x34, 0x0a, 0x2e] + Array("type.googleapis.com/google.protobuf.Duration".utf8)
            + [0x12, 0x02, 0x08, 0x05]),
    ]

    @Test("map entries and well-known types print straight from the wire as the tree path prints them",
          arguments: oddBinary.indices)
    func oddEncodings(_ index: Int) throws {
        let (name, bytes) = Self.oddBinary[index]
        let (native, _) = try NativeCodecTests.pools()
        let plan = try native.messagePlan(Self.type)
        // The tree path: decode, then print the DynamicMessage.
        let tree = try? native.nativeJSON(native.decode(bytes, messageType: Self.type), options: .init())
        // Straight from the wire: the same text, or it leaves the input to the tree path.
        if let streamed = try? native.streamJSON(bytes, plan: plan, options: .init()) {
            #expect(streamed == tree, "\(name)")
        }
        if let tree { #expect(try native.binaryToJSON(bytes, messageType: Self.type) == tree, "\(name)") }
    }

    @Test("canonical map entries and well-known types print straight from the wire, as libprotobuf prints them")
    func streamedLikeLibprotobuf() throws {
        let (native, oracle) = try NativeCodecTests.pools()
        let plan = try native.messagePlan(Self.type)
        let json = #"{"mapString":{"k":"v","":""},"mapInt64":{"-5":"x"},"mapBool":{"true":"t"},"mapMessage":{"m":{"label":"l"}},"mapEnum":{"e":"COLOR_RED"},"any":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.500s"},"timestamp":"2024-02-29T12:34:56.789Z","duration":"-0.5s","wInt64":"-5","wString":"<>","wBytes":"/w==","wDouble":0}"#
        let bytes = try oracle.jsonToBinary(json, messageType: Self.type)
        for options in [JSONOptions(), JSONOptions(useProtoNames: true), JSONOptions(indent: true)] {
            #expect(try native.streamJSON(bytes, plan: plan, options: options)
                == oracle.binaryToJSON(bytes, messageType: Self.type, options: options))
        }
    }

    @Test("integers around every power of ten print as libprotobuf prints them")
    func integerText() throws {
        let (native, oracle) = try NativeCodecTests.pools()
        var values: [UInt64] = [0, 1, UInt64.max, UInt64.max - 1]
        var p: UInt64 = 10
        for _ in 1...19 {
            values += [p - 1, p, p + 1]
            p = p &* 10
        }
        for v in values {
            var message = try native.makeMessage(Self.type)
            try message.set(.uint64(v), at: "f_uint64")
            try message.set(.int64(-Int64(truncatingIfNeeded: v & 0x7fff_ffff_ffff_ffff)), at: "f_int64")
            try message.set(.uint32(UInt32(truncatingIfNeeded: v)), at: "f_uint32")
            try message.set(.int32(Int32(truncatingIfNeeded: v)), at: "f_int32")
            let bytes = native.encode(message)
            #expect(try native.binaryToJSON(bytes, messageType: Self.type) == oracle.binaryToJSON(bytes, messageType: Self.type),
                    "\(v)")
        }
    }

    @Test("doubles and floats print as %.15g and %.6g would, from their shortest digits")
    func floatingText() throws {
        let (native, oracle) = try NativeCodecTests.pools()
        let doubles: [Double] = [183.5, 0.1, 0.3, 1e-5, 1.5e-5, 1e-4, 0.00012345, 1e15 + 0.5, 1e16, 1.5e300, .leastNonzeroMagnitude, .leastNormalMagnitude,
                                 123456789012345.6, 1234567890123456.7, 0.1 + 0.2, -2.5e-300, 9.999999999999999e22, 1e21, 12345.678,
                                 -183.5, 0.001, 1e-9, 2.5e-5, 123456789.123, 99999999999999.9, 999999999999999.9, 0.5, -0.25,
                                 1.0 / 3, 2.0 / 3, 1e-10, 4.35, 0.07, 1e15 / 7]
        let floats: [Float] = [0.1, 3.14159, 1e-5, 1.5e-7, 123456.5, 1234567.5, 1e10, 3.4028235e38, .leastNonzeroMagnitude,
                               .leastNormalMagnitude, Float.leastNormalMagnitude / 3, -0.3]
        for d in doubles {
            var message = try native.makeMessage(Self.type)
            try message.set(.double(d), at: "f_double")
            try message.set(.double(d), at: "value.number_value")
            let bytes = native.encode(message)
            #expect(try native.binaryToJSON(bytes, messageType: Self.type) == oracle.binaryToJSON(bytes, messageType: Self.type), "\(d)")
        }
        for f in floats {
            var message = try native.makeMessage(Self.type)
            try message.set(.float(f), at: "f_float")
            let bytes = native.encode(message)
            let ours = try native.binaryToJSON(bytes, messageType: Self.type)
            let theirs = try oracle.binaryToJSON(bytes, messageType: Self.type)
            #expect(ours == theirs, "\(f)")
        }
    }
}
