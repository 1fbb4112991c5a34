import Foundation

/// A text with `{{…}}` holes, compiled once: literal pieces and the expressions between them.
///
/// Known expressions: `{{.RequestNumber}}`, `{{.WorkerID}}`, `{{.UUID}}`, `{{.Timestamp}}`,
/// `{{randomInt a b}}` (a ≤ n ≤ b) and `{{randomString n}}` (n letters and digits).
/// Anything else is rejected when the template is compiled, never per request.
public struct Template: Sendable, Hashable {
    /// One piece of a template.
    public enum Piece: Sendable, Hashable {
        case literal(String)
        case expression(TemplateExpression)
    }

    /// The pieces in order.
    public let pieces: [Piece]

    /// Whether the text has no holes.
    public var isConstant: Bool { !pieces.contains { if case .expression = $0 { true } else { false } } }

    /// The expressions in order.
    public var expressions: [TemplateExpression] {
        pieces.compactMap { if case .expression(let e) = $0 { e } else { nil } }
    }

    /// Compiles a template.
    ///
    /// - Parameters:
    ///   - text: The text with `{{…}}` holes.
    ///   - origin: Where the text comes from, for error messages (`-d`, `header x-id`, a file).
    /// - Throws: ``BenchError`` with ``BenchError/Code/invalidTemplate``.
    public init(_ text: String, origin: String) throws {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw BenchError(code: .invalidTemplate, message: "\(origin): '{{' without a closing '}}'")
            }
            let body = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            pieces.append(.expression(try TemplateExpression(parsing: body, origin: origin)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        self.pieces = pieces
    }

    /// Renders the template for one request.
    public func render(_ context: inout TemplateContext) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let text): out += text
            case .expression(let expression): out += expression.text(&context)
            }
        }
        return out
    }
}

/// One `{{…}}` expression.
public enum TemplateExpression: Sendable, Hashable, CustomStringConvertible {
    /// The request's number in the run, from 0.
    case requestNumber
    /// The closed-loop worker (or open-loop connection) that sends it, from 0.
    case workerID
    /// A random version-4 UUID, lower-case.
    case uuid
    /// The send time as RFC 3339 UTC with milliseconds (text) or Unix milliseconds (integer fields).
    case timestamp
    /// A random integer in `lower...upper`.
    case randomInt(Int64, Int64)
    /// A random string of this many letters and digits.
    case randomString(Int)

    /// The names accepted, for error messages.
    public static let known = ".RequestNumber, .WorkerID, .UUID, .Timestamp, randomInt A B, randomString N"

    /// Parses the text between `{{` and `}}`.
    ///
    /// - Throws: ``BenchError`` with ``BenchError/Code/invalidTemplate``.
    public init(parsing body: String, origin: String) throws {
        let words = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func fail(_ why: String) -> BenchError {
            BenchError(code: .invalidTemplate, message: "\(origin): template {{\(body)}}: \(why)")
        }
        switch words.first ?? "" {
        case ".RequestNumber" where words.count == 1: self = .requestNumber
        case ".WorkerID" where words.count == 1: self = .workerID
        case ".UUID" where words.count == 1: self = .uuid
        case ".Timestamp" where words.count == 1: self = .timestamp
        case "randomInt":
            guard words.count == 3, let a = Int64(words[1]), let b = Int64(words[2]) else {
                throw fail("randomInt takes two integers, e.g. {{randomInt 1 100}}")
            }
            guard a <= b else { throw fail("randomInt's first bound must not exceed the second") }
            self = .randomInt(a, b)
        case "randomString":
            guard words.count == 2, let n = Int(words[1]), n >= 0, n <= 1 << 20 else {
                throw fail("randomString takes one length from 0 to 1048576, e.g. {{randomString 8}}")
            }
            self = .randomString(n)
        case ".RequestNumber", ".WorkerID", ".UUID", ".Timestamp":
            throw fail("takes no arguments")
        default:
            throw fail("unknown variable (known: \(Self.known))")
        }
    }

    public var description: String {
        switch self {
        case .requestNumber: return "{{.RequestNumber}}"
        case .workerID: return "{{.WorkerID}}"
        case .uuid: return "{{.UUID}}"
        case .timestamp: return "{{.Timestamp}}"
        case .randomInt(let a, let b): return "{{randomInt \(a) \(b)}}"
        case .randomString(let n): return "{{randomString \(n)}}"
        }
    }

    /// Whether the value is an integer, so it may stand for an integer field.
    public var isInteger: Bool {
        switch self {
        case .requestNumber, .workerID, .timestamp, .randomInt: return true
        case .uuid, .randomString: return false
        }
    }

    /// The length of the text ``writeText(_:to:_:)`` writes for `value` (the expression's
    /// ``integer(_:)``, 0 for text-only expressions).
    @inline(__always)
    func textLength(_ value: Int64) -> Int {
        switch self {
        case .requestNumber, .workerID, .randomInt: return decimalLength(value)
        case .uuid: return 36
        case .timestamp: return TimestampText.length
        case .randomString(let n): return n
        }
    }

    /// Writes the text, ``textLength(_:)`` bytes, at `out`; `value` is the expression's
    /// ``integer(_:)`` (0 for text-only expressions, which draw their random bytes here).
    @inline(__always)
    func writeText(_ value: Int64, to out: UnsafeMutablePointer<UInt8>, _ context: inout TemplateContext) {
        switch self {
        case .requestNumber, .workerID, .randomInt: writeDecimal(value, to: out)
        case .uuid: context.random.writeUUID(to: out)
        case .timestamp: TimestampText.writeRFC3339(unixNanoseconds: context.unixNanoseconds, to: out)
        case .randomString(let n): context.random.writeAlphanumerics(n, to: out)
        }
    }

    /// The value as text, appended to `out`.
    func append(to out: inout [UInt8], _ context: inout TemplateContext) {
        let value = isInteger ? integer(&context) : 0
        let length = textLength(value)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: length))
        out.withUnsafeMutableBufferPointer { writeText(value, to: $0.baseAddress! + start, &context) }
    }

    /// The value as an integer (only for ``isInteger`` expressions).
    @inline(__always)
    func integer(_ context: inout TemplateContext) -> Int64 {
        switch self {
        case .requestNumber: return Int64(truncatingIfNeeded: context.requestNumber)
        case .workerID: return Int64(context.workerID)
        case .timestamp: return context.unixNanoseconds / 1_000_000
        case .randomInt(let a, let b): return context.random.next(in: a...b)
        case .uuid, .randomString: return 0
        }
    }

    /// The value as a string.
    public func text(_ context: inout TemplateContext) -> String {
        var bytes: [UInt8] = []
        append(to: &bytes, &context)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What a template's variables take their values from, for one request.
public struct TemplateContext: Sendable {
    public var requestNumber: UInt64
    public var workerID: Int
    public var unixNanoseconds: Int64
    public var random: SplitMix64

    public init(requestNumber: UInt64 = 0, workerID: Int = 0, unixNanoseconds: Int64 = 0, random: SplitMix64) {
        self.requestNumber = requestNumber
        self.workerID = workerID
        self.unixNanoseconds = unixNanoseconds
        self.random = random
    }
}

/// The number of characters of `value` in decimal.
@inline(__always)
func decimalLength(_ value: Int64) -> Int {
    var length = value < 0 ? 2 : 1
    var magnitude = value.magnitude
    while magnitude >= 10 {
        magnitude /= 10
        length += 1
    }
    return length
}

/// Writes `value` in decimal, ``decimalLength(_:)`` bytes, at `out`.
@inline(__always)
func writeDecimal(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) {
    if value < 0 { out[0] = UInt8(ascii: "-") }
    var end = decimalLength(value)
    var magnitude = value.magnitude
    repeat {
        end -= 1
        out[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
    } while magnitude > 0
}

/// A small, fast, seedable generator (the SplitMix64 sequence), so `--seed` repeats a run's values.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range`.
    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        if width == .max { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: next() % (width + 1))
    }

    private static let alphanumerics: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    /// Writes a version-4 UUID, 36 bytes, at `out`.
    mutating func writeUUID(to out: UnsafeMutablePointer<UInt8>) {
        var high = next(), low = next()
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // variant 10
        var position = 0
        for i in 0..<16 {
            if i == 4 || i == 6 || i == 8 || i == 10 {
                out[position] = UInt8(ascii: "-")
                position += 1
            }
            let word = i < 8 ? high : low
            let byte = UInt8(truncatingIfNeeded: word >> UInt64((7 - i % 8) * 8))
            out[position] = Self.hexDigit(byte >> 4)
            out[position + 1] = Self.hexDigit(byte & 0x0F)
            position += 2
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }

    /// Writes `count` random letters and digits at `out`.
    mutating func writeAlphanumerics(_ count: Int, to out: UnsafeMutablePointer<UInt8>) {
        let table = Self.alphanumerics.utf8Start
        var bits: UInt64 = 0
        var left = 0
        for i in 0..<count {
            if left == 0 { bits = next(); left = 10 }
            out[i] = table[Int(bits % 62)]
            bits /= 62
            left -= 1
        }
    }
}

/// RFC 3339 text from Unix time without Foundation's formatters (called per request).
enum TimestampText {
    /// The text's length: `2024-02-29T13:45:07.123Z`.
    static let length = 24

    /// Writes the time, ``length`` bytes, at `out`.
    static func writeRFC3339(unixNanoseconds: Int64, to out: UnsafeMutablePointer<UInt8>) {
        let millis = unixNanoseconds / 1_000_000
        var days = millis / 86_400_000
        var rest = millis % 86_400_000
        if rest < 0 { rest += 86_400_000; days -= 1 }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        var position = 0
        func put(_ byte: UInt8) { out[position] = byte; position += 1 }
        func two(_ v: Int64) { put(UInt8(ascii: "0") + UInt8(v / 10)); put(UInt8(ascii: "0") + UInt8(v % 10)) }
        two(year / 100); two(year % 100)
        put(UInt8(ascii: "-")); two(month)
        put(UInt8(ascii: "-")); two(day)
        put(UInt8(ascii: "T")); two(rest / 3_600_000)
        put(UInt8(ascii: ":")); two(rest / 60_000 % 60)
        put(UInt8(ascii: ":")); two(rest / 1000 % 60)
        put(UInt8(ascii: "."))
        let ms = rest % 1000
        put(UInt8(ascii: "0") + UInt8(ms / 100)); two(ms % 100)
        put(UInt8(ascii: "Z"))
    }
}
