import Foundation
@testable import Schema
import Testing

/// The native codec against libprotobuf's converter (the oracle), in process.
@Suite("Native codec")
struct NativeCodecTests {
    static let type = "sink.v1.Everything"

    static func pools() throws -> (native: SchemaPool, oracle: SchemaPool) {
        let native = try Fixtures.sink()
        let oracle = try Fixtures.sink()
        oracle.codec = .libprotobuf
        return (native, oracle)
    }

    static let printOptions: [JSONOptions] = [
        .init(), .init(useProtoNames: true), .init(enumsAsNumbers: true), .init(indent: true),
        .init(emitDefaults: true), .init(emitDefaults: true, useProtoNames: true, indent: true),
    ]

    /// Checks one binary message both ways against the oracle.
    static func agree(_ bytes: [UInt8], type: String = type, native: SchemaPool, oracle: SchemaPool,
                      options: [JSONOptions] = printOptions, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let message = try native.decode(bytes, messageType: type)
        #expect(native.encode(message) == bytes, "binary round trip", sourceLocation: sourceLocation)
        for option in options {
            let expected = try oracle.binaryToJSON(bytes, messageType: type, options: option)
            // What the native printer leaves to libprotobuf (Any with emitted defaults) goes through the fallback.
            let ours = try (try? native.nativeJSON(message, options: option))
                ?? native.binaryToJSON(bytes, messageType: type, options: option)
            #expect(ours == expected, "binary -> JSON with \(option): \(firstDifference(ours, expected))",
                    sourceLocation: sourceLocation)
            // The straight-from-the-wire printer gives the same text where it applies (no emitted defaults).
            if !option.emitDefaults {
                let streamed = try native.streamJSON(bytes, plan: message.plan, options: option)
                #expect(streamed == expected, "streamed binary -> JSON with \(option): \(firstDifference(streamed, expected))",
                        sourceLocation: sourceLocation)
            }
            let back = try native.nativeJSONToBinary(Array(expected.utf8), messageType: type, options: .init())
            let oracleBack = try oracle.jsonToBinary(expected, messageType: type)
            #expect(back == oracleBack, "JSON -> binary of \(expected)", sourceLocation: sourceLocation)
        }
    }

    /// The text around the first difference, for readable failures.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0
        while i < x.count && i < y.count && x[i] == y[i] { i += 1 }
        let from = max(0, i - 60)
        return "ours …\(String(decoding: x[from..<min(x.count, i + 60)], as: UTF8.self))… libprotobuf …\(String(decoding: y[from..<min(y.count, i + 60)], as: UTF8.self))…"
    }

    @Test("the kitchen sink converts exactly as libprotobuf converts it")
    func kitchenSink() throws {
        let (native, oracle) = try Self.pools()
        let json = Array(SchemaConversionTests.everything.utf8)
        let bytes = try oracle.jsonToBinary(json, messageType: Self.type)
        #expect(try native.nativeJSONToBinary(json, messageType: Self.type, options: .init()) == bytes)
        try Self.agree(bytes, native: native, oracle: oracle)
    }

    static let wellKnown: [(String, String)] = [
        ("google.protobuf.Timestamp", #""1970-01-01T00:00:00Z""#),
        ("google.protobuf.Timestamp", #""0001-01-01T00:00:00.000001Z""#),
        ("google.protobuf.Timestamp", #""9999-12-31T23:59:59.999999999Z""#),
        ("google.protobuf.Timestamp", #""2024-02-29T12:00:00+01:30""#),
        ("google.protobuf.Duration", #""0s""#),
        ("google.protobuf.Duration", #""-0.000000001s""#),
        ("google.protobuf.Duration", #""315576000000.120s""#),
        ("google.protobuf.FieldMask", #""a.bC,dEf""#),
        ("google.protobuf.FieldMask", #""""#),
        ("google.protobuf.Struct", #"{"a":{"b":[1.5,null,"x",true,{}]},"c":[]}"#),
        ("google.protobuf.Value", #"-2.5e-300"#),
        ("google.protobuf.Value", #""text""#),
        ("google.protobuf.ListValue", #"[[],{},0]"#),
        ("google.protobuf.Empty", #"{}"#),
        ("google.protobuf.Any", #"{}"#),
        ("google.protobuf.Any", #"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.5s"}"#),
        ("google.protobuf.Any", #"{"@type":"type.googleapis.com/sink.v1.Shared","level":"LEVEL_HIGH"}"#),
        ("google.protobuf.DoubleValue", "1e300"), ("google.protobuf.FloatValue", #""-Infinity""#),
        ("google.protobuf.Int64Value", #""-9223372036854775808""#), ("google.protobuf.UInt64Value", "123"),
        ("google.protobuf.Int32Value", "-1"), ("google.protobuf.UInt32Value", "4294967295"),
        ("google.protobuf.BoolValue", "true"), ("google.protobuf.StringValue", #""\u2028<>""#),
        ("google.protobuf.BytesValue", #""-_8=""#),
    ]

    @Test("every well-known type converts exactly as libprotobuf converts it", arguments: wellKnown.indices)
    func wellKnownTypes(_ index: Int) throws {
        let (type, json) = Self.wellKnown[index]
        let (native, oracle) = try Self.pools()
        let bytes = try oracle.jsonToBinary(json, messageType: type)
        #expect(try native.nativeJSONToBinary(Array(json.utf8), messageType: type, options: .init()) == bytes)
        try Self.agree(bytes, type: type, native: native, oracle: oracle, options: [.init(), .init(indent: true)])
    }

    @Test("seeded random messages agree with libprotobuf both ways")
    func randomMessages() throws {
        let (native, oracle) = try Self.pools()
        var generator = MessageGenerator(seed: 0x5eed, pool: native)
        let plan = try native.messagePlan(Self.type)
        for round in 0..<1500 {
            let message = generator.message(plan, depth: 0)
            let bytes = native.encode(message)
            let options = Self.printOptions[round % Self.printOptions.count]
            try Self.agree(bytes, native: native, oracle: oracle, options: [options])
        }
    }

    static let malformed: [(String, [UInt8], String)] = [
        ("truncated tag", [0x0a], "ends in the middle"),
        ("length past end", [0x72, 0x05, 0x61], "runs past the end"),
        ("unterminated varint", [0x18, 0xff, 0xff, 0xff], "ends in the middle"),
        ("varint longer than 10 bytes", [0x18] + Array(repeating: 0xff, count: 10) + [0x01], "malformed varint"),
        ("wire type 7", [0x0f], "invalid wire type 7"),
        ("wire type 6", [0x0e], "invalid wire type 6"),
        ("invalid UTF-8", [0x72, 0x02, 0xc3, 0x28], "invalid UTF-8 (f_string)"),
        ("field number 0", [0x00, 0x01], "field number 0"),
        ("end group without start", [0x0c], "end-group"),
        ("unterminated group", [0x0b, 0x08, 0x01], "ends in the middle"),
        ("truncated fixed64", [0x09, 0x01, 0x02], "ends in the middle"),
        ("packed run past its end", [0xaa, 0x01, 0x02, 0x01, 0xff], "ends in the middle"),
    ]

    @Test("malformed binary is rejected with a clear reason", arguments: malformed.indices)
    func malformedBinary(_ index: Int) throws {
        let (name, bytes, reason) = Self.malformed[index]
        let (native, _) = try Self.pools()
        let error = try #require(throws: SchemaError.self, "\(name)") { try native.decode(bytes, messageType: Self.type) }
        #expect(error.code == .invalidBinary)
        #expect(error.message.hasPrefix("not a valid sink.v1.Everything (\(bytes.count) bytes): "))
        #expect(error.message.contains(reason), "\(name): \(error.message)")
        #expect(error.message.contains("truncated or malformed wire data") || reason.contains("UTF-8"))
        // The public converter rejects it too.
        #expect(throws: SchemaError.self) { try native.binaryToJSON(bytes, messageType: Self.type) }
    }

    @Test("unknown fields and skipped groups survive a binary round trip")
    func unknownFields() throws {
        let (native, oracle) = try Self.pools()
        // f_int32 = 1, unknown varint field 99 = 5, unknown group 100 holding field 1 = 2, f_bool = true
        let bytes: [UInt8] = [0x18, 0x01, 0x98, 0x06, 0x05, 0xa3, 0x06, 0x08, 0x02, 0xa4, 0x06, 0x68, 0x01]
        let message = try native.decode(bytes, messageType: Self.type)
        #expect(message.unknownFields == [0x98, 0x06, 0x05, 0xa3, 0x06, 0x08, 0x02, 0xa4, 0x06])
        #expect(native.encode(message) == [0x18, 0x01, 0x68, 0x01, 0x98, 0x06, 0x05, 0xa3, 0x06, 0x08, 0x02, 0xa4, 0x06])
        #expect(try native.binaryToJSON(bytes, messageType: Self.type) == oracle.binaryToJSON(bytes, messageType: Self.type))
    }

    @Test("unpacked input of a packed field is accepted and written packed")
    func packedEitherWay() throws {
        let (native, _) = try Self.pools()
        let message = try native.decode([0xa8, 0x01, 0x01, 0xa8, 0x01, 0x02], messageType: Self.type)
        #expect(try message.value(at: "packed_ints") == .list([.int32(1), .int32(2)]))
        #expect(native.encode(message) == [0xaa, 0x01, 0x02, 0x01, 0x02])
    }

    @Test("nesting beyond the depth limit is rejected, in binary and in JSON")
    func depthLimit() throws {
        let (native, _) = try Self.pools()
        func nested(_ levels: Int) -> [UInt8] {
            var inner: [UInt8] = []
            for _ in 0..<levels {
                var length: [UInt8] = []
                var v = inner.count
                while v >= 0x80 { length.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
                length.append(UInt8(v))
                inner = [0x12] + length + inner  // Nested.child
            }
            var length: [UInt8] = []
            var v = inner.count
            while v >= 0x80 { length.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
            length.append(UInt8(v))
            return [0xa2, 0x01] + length + inner  // Everything.nested
        }
        _ = try native.decode(nested(90), messageType: Self.type)
        let error = try #require(throws: SchemaError.self) { try native.decode(nested(150), messageType: Self.type) }
        #expect(error.message.contains("nested deeper than 100"))
        let deepJSON = String(repeating: #"{"child":"#, count: 150) + "{}" + String(repeating: "}", count: 150)
        #expect(throws: SchemaError.self) {
            try native.parseJSON(Array(#"{"nested":\#(deepJSON)}"#.utf8), messageType: Self.type)
        }
    }

    @Test("bad JSON errors of the native codec name the JSON path")
    func nativeJSONErrors() throws {
        let (native, _) = try Self.pools()
        let cases: [(String, String)] = [
            (#"{"items":[{"label":1}]}"#, "invalid JSON for sink.v1.Everything at items[0].label: invalid value for string: 1"),
            (#"{"nested":{"nope":1}}"#, "invalid JSON for sink.v1.Everything at nested.nope: unknown field"),
            (#"{"fInt32": 2147483648}"#, "invalid JSON for sink.v1.Everything at f_int32: invalid value for int32: 2147483648"),
            ("{\n \"fBool\": tru\n}", "invalid JSON for sink.v1.Everything: at line 2, column 11: unexpected token"),
            (#"{"choiceText":"a","choiceNumber":"1"}"#, "more than one field of oneof choice"),
        ]
        for (json, message) in cases {
            let error = try #require(throws: SchemaError.self) { try native.parseJSON(Array(json.utf8), messageType: Self.type) }
            #expect(error.code == .invalidJSON)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("dynamic messages are read, changed and compared by field paths")
    func dynamicMessage() throws {
        let (native, _) = try Self.pools()
        var message = try native.parseJSON(Array(#"{"nested":{"label":"a"},"items":[{"label":"x"}],"mapString":{"k":"v"}}"#.utf8),
                                           messageType: Self.type)
        #expect(try message.value(at: "nested.label") == .string("a"))
        #expect(try message.value(at: "items[0].label") == .string("x"))
        #expect(try message.value(at: "map_string[\"k\"]") == .string("v"))
        #expect(try message.value(at: "fInt32") == nil)
        try message.set(.string("b"), at: "nested.child.label")
        try message.set(.int32(7), at: "f_int32")
        try message.set(.string("y"), at: "items[1].label")
        #expect(try native.json(message) == #"{"nested":{"label":"a","child":{"label":"b"}},"items":[{"label":"x"},{"label":"y"}],"mapString":{"k":"v"},"fInt32":7}"#)
        let reordered = try native.parseJSON(Array(#"{"fInt32":7,"mapString":{"k":"v"},"items":[{"label":"x"},{"label":"y"}],"nested":{"child":{"label":"b"},"label":"a"}}"#.utf8), messageType: Self.type)
        #expect(reordered == message)
        try message.set(.int32(8), at: "f_int32")
        #expect(reordered != message)
        #expect(throws: SchemaError.self) { try message.set(.string("no"), at: "f_int32") }
        let unknown = try #require(throws: SchemaError.self) { try message.set(.int32(1), at: "f_int33") }
        #expect(unknown.suggestions.contains("f_int32"))
        #expect(message.fields.map(\.field.name) == ["nested", "items", "map_string", "f_int32"])
        // Stub-style matching: a pattern's fields must be present and equal.
        let pattern = try native.parseJSON(Array(#"{"nested":{"child":{"label":"b"}},"mapString":{"k":"v"}}"#.utf8), messageType: Self.type)
        #expect(message.contains(pattern))
        #expect(!pattern.contains(message))
        let other = try native.parseJSON(Array(#"{"mapString":{"k":"w"}}"#.utf8), messageType: Self.type)
        #expect(!message.contains(other))
    }

    @Test("mutated binary never crashes and is accepted exactly when libprotobuf accepts it")
    func mutatedBinary() throws {
        let (native, oracle) = try Self.pools()
        var generator = MessageGenerator(seed: 0xbad5eed, pool: native)
        let plan = try native.messagePlan(Self.type)
        var disagreements: [String] = []
        for _ in 0..<800 {
            var bytes = native.encode(generator.message(plan, depth: 0))
            guard !bytes.isEmpty else { continue }
            for _ in 0..<(1 + generator.int(3)) {
                let i = generator.int(bytes.count)
                switch generator.int(3) {
                case 0: bytes[i] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.removeSubrange(i...)
                default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: i)
                }
                if bytes.isEmpty { break }
            }
            let ours = (try? native.decode(bytes, messageType: Self.type)) != nil
            let theirs = (try? oracle.binaryToJSON(bytes, messageType: Self.type)) != nil
            if ours != theirs { disagreements.append(bytes.map { String(format: "%02x", $0) }.joined()) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
    }

    @Test("mutated JSON never crashes, and what the native codec accepts libprotobuf accepts with the same bytes")
    func mutatedJSON() throws {
        let (native, oracle) = try Self.pools()
        var generator = MessageGenerator(seed: 0x15f00d, pool: native)
        let plan = try native.messagePlan(Self.type)
        let alphabet = Array(#"{}[]",:.-+0123456789eEtrufalsn\/ _xyzAZ@"#.utf8)
        var disagreements: [String] = []
        var accepted = 0
        for round in 0..<1200 {
            let bytes = native.encode(generator.message(plan, depth: 2))
            let options = JSONOptions(useProtoNames: round % 2 == 0)
            var json = Array(try oracle.binaryToJSON(bytes, messageType: Self.type, options: options).utf8)
            guard !json.isEmpty else { continue }
            for _ in 0..<(1 + generator.int(2)) {
                let i = generator.int(json.count)
                switch generator.int(3) {
                case 0: json[i] = alphabet[generator.int(alphabet.count)]
                case 1: json.remove(at: i)
                default: json.insert(alphabet[generator.int(alphabet.count)], at: i)
                }
                if json.isEmpty { break }
            }
            guard let ours = try? native.nativeJSONToBinary(json, messageType: Self.type, options: .init()) else { continue }
            accepted += 1
            do {
                let theirs = try oracle.jsonToBinary(json, messageType: Self.type)
                if theirs != ours { disagreements.append("different bytes for " + String(decoding: json, as: UTF8.self)) }
            } catch {
                // libprotobuf resolves a well-known type inside Any only under the
                // type.googleapis.com/ prefix; the native codec takes any prefix, as
                // it does (and libprotobuf does) for other types.
                let text = String(decoding: json, as: UTF8.self)
                let oddPrefix = text.components(separatedBy: #""@type":""#).dropFirst().contains { !$0.hasPrefix("type.googleapis.com/") }
                if !oddPrefix { disagreements.append("libprotobuf: \(error) for \(text)") }
            }
        }
        #expect(accepted > 50, "too few mutations stay valid JSON to compare")
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(3))")
    }
}

/// Random valid messages of a plan from a seeded generator (SplitMix64).
struct MessageGenerator {
    private var state: UInt64
    let pool: SchemaPool

    init(seed: UInt64, pool: SchemaPool) {
        state = seed
        self.pool = pool
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    static let pieces = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\u{1}", "\u{1f}", "<", ">", "&", "'", "/", "é", "ß",
                         "€", "😀", "\u{7f}", "\u{ad}", "\u{2028}", "\u{200b}", "\u{feff}", "日本", "=", "%"]

    mutating func string() -> String {
        var s = ""
        for _ in 0..<int(6) { s += Self.pieces[int(Self.pieces.count)] }
        return s
    }

    mutating func double() -> Double {
        switch int(9) {
        case 0: return 0
        case 1: return Double(int(2000)) - 1000
        case 2: return Double(bitPattern: next())  // any bits: NaN payloads, subnormals, huge
        case 3: return [Double.infinity, -.infinity, .nan, 1e15, 1e16, 123456789012345680, 1e-7, 0.1, 4.9e-324][int(9)]
        default: return (Double(int(2_000_000)) - 1_000_000) / [1, 3, 7, 1000, 1e9][int(5)]
        }
    }

    mutating func scalar(_ field: FieldPlan) -> ProtoValue {
        switch field.kind {
        case .int32, .sint32, .sfixed32: chance(30) ? .int32(Int32(truncatingIfNeeded: next())) : .int32(Int32(int(200)) - 100)
        case .int64, .sint64, .sfixed64: chance(50) ? .int64(Int64(bitPattern: next())) : .int64(Int64(int(200)) - 100)
        case .uint32, .fixed32: chance(50) ? .uint32(UInt32(truncatingIfNeeded: next())) : .uint32(UInt32(int(300)))
        case .uint64, .fixed64: chance(50) ? .uint64(next()) : .uint64(UInt64(int(300)))
        case .bool: .bool(chance(50))
        case .double:
            .double({ let d = double(); return d.isNaN ? .nan : d }())
        case .float:
            .float({ let f = Float(double()); return f.isNaN ? .nan : f }())
        case .string: .string(string())
        case .bytes: .bytes((0..<int(7)).map { _ in UInt8(truncatingIfNeeded: next()) })
        case .enum:
            if let type = field.enumType, !type.isNullValue, chance(85) { .enumNumber(type.names[int(type.names.count)].number) }
            else { .enumNumber(field.enumType?.isNullValue == true ? 0 : Int32(int(50))) }
        case .message, .group: .bytes([])
        }
    }

    mutating func message(_ plan: MessagePlan, depth: Int) -> DynamicMessage {
        var message = DynamicMessage(plan: plan)
        switch plan.wellKnown {
        case .timestamp:
            let seconds = Int64(int(Int(Timestamps.maxSeconds - Timestamps.minSeconds))) + Timestamps.minSeconds
            set(&message, 1, .int64(seconds))
            set(&message, 2, .int32(nanos()))
            return message
        case .duration:
            let seconds = Int64(int(2_000_000)) - 1_000_000
            let n = nanos()
            set(&message, 1, .int64(seconds))
            set(&message, 2, .int32(seconds < 0 ? -n : (seconds == 0 && chance(50) ? -n : n)))
            return message
        case .fieldMask:
            let names = ["f_int32", "nested.label", "a_b.c_d", "x"]
            set(&message, 1, .list((0..<int(3)).map { _ in .string(names[int(names.count)]) }))
            return message
        case .any:
            if chance(20) { return message }
            let inner: MessagePlan
            if chance(50) { inner = try! pool.messagePlan("sink.v1.Shared") } else { inner = try! pool.messagePlan("google.protobuf.Duration") }
            set(&message, 1, .string("type.googleapis.com/" + inner.fullName))
            set(&message, 2, .bytes(pool.encode(self.message(inner, depth: depth + 1))))
            return message
        case .value:
            switch int(depth > 3 ? 4 : 6) {
            case 0: set(&message, 1, .enumNumber(0))
            case 1: set(&message, 2, .double({ let d = double(); return d.isFinite ? d : 1 }()))
            case 2: set(&message, 3, .string(string()))
            case 3: set(&message, 4, .bool(chance(50)))
            case 4: set(&message, 5, .message(self.message(plan.field(number: 5)!.message!, depth: depth + 1)))
            default: set(&message, 6, .message(self.message(plan.field(number: 6)!.message!, depth: depth + 1)))
            }
            return message
        default: break
        }
        var usedOneofs: Set<Int> = []
        for field in plan.fields {
            guard chance(plan.wellKnown == .none ? 45 : 70) else { continue }
            if let oneof = field.oneof {
                guard !usedOneofs.contains(oneof) else { continue }
                usedOneofs.insert(oneof)
            }
            if (field.kind == .message || field.kind == .group) && depth > 3 && !field.isMap { continue }
            if field.isMap {
                guard let entry = field.message, let keyField = entry.field(number: 1), let valueField = entry.field(number: 2) else { continue }
                var entries: [ProtoValue.MapEntry] = []
                var keys: Set<String> = []
                for _ in 0..<int(3) {
                    let key = scalar(keyField)
                    guard keys.insert(key.keyText).inserted else { continue }
                    let value = valueField.message.map { ProtoValue.message(self.message($0, depth: depth + 1)) } ?? scalar(valueField)
                    entries.append(.init(key: key, value: value))
                }
                if !entries.isEmpty { message.set(field, .map(entries)) }
            } else if field.isRepeated {
                let items = (0..<(1 + int(3))).map { _ in
                    field.message.map { ProtoValue.message(self.message($0, depth: depth + 1)) } ?? scalar(field)
                }
                message.set(field, .list(items))
            } else if let sub = field.message {
                message.set(field, .message(self.message(sub, depth: depth + 1)))
            } else {
                let value = scalar(field)
                if !field.hasPresence && value.isDefault { continue }
                message.set(field, value)
            }
        }
        return message
    }

    private mutating func nanos() -> Int32 {
        switch int(4) {
        case 0: 0
        case 1: Int32(int(1000)) * 1_000_000
        case 2: Int32(int(1_000_000)) * 1000
        default: Int32(int(1_000_000_000))
        }
    }

    private func set(_ message: inout DynamicMessage, _ number: Int32, _ value: ProtoValue) {
        if let field = message.plan.field(number: number), !(value.isDefault && !field.hasPresence) { message.set(field, value) }
    }
}
