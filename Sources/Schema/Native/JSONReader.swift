import Foundation

/// A JSON document read into a small tree; strings are decoded, numbers kept
/// as their text so integers keep full precision.
enum JSONNode: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n
        case .string(let s): "\"\(s)\""
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON syntax or mapping error of the native codec: what and where.
struct NativeJSONError: Error {
    var message: String
    /// Steps from the innermost outwards, added as the error leaves each level.
    private var reversedSteps: [FieldPath.Step] = []

    init(message: String) { self.message = message }

    func under(_ step: FieldPath.Step) -> NativeJSONError {
        var error = self
        error.reversedSteps.append(step)
        return error
    }

    /// `items[0].label`, `map_string["k"]`; nil at the top level.
    var path: String? {
        guard !reversedSteps.isEmpty else { return nil }
        var text = ""
        for step in reversedSteps.reversed() {
            switch step {
            case .field(let name): text += text.isEmpty ? name : "." + name
            case .index(let i): text += "[\(i)]"
            case .key(let k): text += "[\"\(k)\"]"
            }
        }
        return text
    }
}

/// A strict RFC 8259 reader (no comments, no trailing commas), bounded in depth.
struct JSONReader {
    static let depthLimit = 100
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) { b = buffer }

    static func parse(_ bytes: [UInt8]) throws(NativeJSONError) -> JSONNode {
        try bytes.withUnsafeBufferPointer { (buffer) throws(NativeJSONError) -> JSONNode in
            var reader = JSONReader(buffer)
            let node = try reader.value(depth: 0)
            reader.space()
            guard reader.i == buffer.count else { throw reader.fail("unexpected text after the value") }
            return node
        }
    }

    private func fail(_ what: String) -> NativeJSONError {
        var line = 1, column = 1
        for k in 0..<min(i, b.count) {
            if b[k] == 0x0a { line += 1; column = 1 } else if b[k] & 0xc0 != 0x80 { column += 1 }
        }
        return NativeJSONError(message: "at line \(line), column \(column): \(what)")
    }

    @inline(__always) private mutating func space() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0a || b[i] == 0x0d || b[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws(NativeJSONError) -> JSONNode {
        guard depth < Self.depthLimit else { throw fail("nested too deeply") }
        space()
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, JSONNode)] = []
            space()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                space()
                guard i < b.count, b[i] == 0x22 else { throw fail("expected a string key") }
                let key = try string()
                space()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                members.append((key, try value(depth: depth + 1)))
                space()
                guard i < b.count else { throw fail("unexpected end of input") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONNode] = []
            space()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                space()
                guard i < b.count else { throw fail("unexpected end of input") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case 0x22:
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString) throws(NativeJSONError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count, memcmp(b.baseAddress! + i, word.utf8Start, n) == 0 else { throw fail("unexpected token") }
        i += n
    }

    private mutating func number() throws(NativeJSONError) -> String {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ i: inout Int) -> Int {
            let s = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - s
        }
        let intDigits = digits(&i)
        guard intDigits > 0 else { throw fail("unexpected token") }
        if intDigits > 1 && b[i - intDigits] == 0x30 { throw fail("leading zero in a number") }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&i) > 0 else { throw fail("unexpected token") }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&i) > 0 else { throw fail("unexpected token") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
    }

    private mutating func string() throws(NativeJSONError) -> String {
        i += 1  // opening quote
        let start = i
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                let raw = UnsafeBufferPointer(rebasing: b[start..<i])
                guard UTF8Check.isValid(raw) else { throw fail("invalid UTF-8 in a string") }
                i += 1
                return String(decoding: raw, as: UTF8.self)
            }
            if c == 0x5c { break }
            if c < 0x20 { throw fail("control character in a string") }
            i += 1
        }
        // Slow path with escapes.
        var bytes = Array(UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                i += 1
                let valid = bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) }
                guard valid else { throw fail("invalid UTF-8 in a string") }
                return String(decoding: bytes, as: UTF8.self)
            }
            if c < 0x20 { throw fail("control character in a string") }
            if c != 0x5c { bytes.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { break }
            do throws(JSONEscape.Fault) {
                let scalar = try JSONEscape.scalar(after: b.baseAddress!, count: b.count, at: &i)
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            } catch {
                throw fail(error == .unpairedSurrogate ? "unpaired surrogate" : "invalid escape")
            }
        }
        throw fail("unterminated string")
    }
}

/// Eight bytes of JSON text tested at once: each test sets the high bit of a byte
/// that has the property (and may set it in bytes after one that does), so a
/// result of 0 means no byte of the eight has it.
enum ByteLanes {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Bytes beyond ASCII or below 0x20 (control characters).
    @inline(__always)
    static func outsideText(_ w: UInt64) -> UInt64 {
        (w | ((w &- ones &* 0x20) & ~w)) & highs
    }

    /// Bytes equal to `byte`.
    @inline(__always)
    static func equal(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }
}

/// One JSON escape sequence, decoded: shared by the tree reader and the one-pass writer,
/// which differ only in what a fault becomes (a message, or a fall back).
enum JSONEscape {
    enum Fault: Error { case invalid, unpairedSurrogate }

    /// The character of the escape whose letter is at `i` (the byte after a backslash,
    /// `i < count`); moves `i` past the sequence, including a surrogate pair's second half.
    static func scalar(after b: UnsafePointer<UInt8>, count n: Int, at i: inout Int) throws(Fault) -> Unicode.Scalar {
        let e = b[i]
        i += 1
        switch e {
        case 0x22, 0x5c, 0x2f: return Unicode.Scalar(e)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            var u = try hex4(b, n, &i)
            if u >= 0xd800 && u < 0xdc00 {
                guard i + 1 < n, b[i] == 0x5c, b[i + 1] == UInt8(ascii: "u") else { throw .unpairedSurrogate }
                i += 2
                let low = try hex4(b, n, &i)
                guard low >= 0xdc00 && low < 0xe000 else { throw .unpairedSurrogate }
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00)
            } else if u >= 0xdc00 && u < 0xe000 {
                throw .unpairedSurrogate
            }
            guard let scalar = Unicode.Scalar(u) else { throw .invalid }
            return scalar
        default:
            throw .invalid
        }
    }

    private static func hex4(_ b: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(Fault) -> UInt32 {
        guard i + 4 <= n else { throw .invalid }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            default: throw .invalid
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
