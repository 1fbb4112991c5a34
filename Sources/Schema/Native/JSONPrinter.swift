import Foundation

/// Something the native JSON printer leaves to libprotobuf.
struct NativeUnsupported: Error {
    var what: String
}

/// Prints ``DynamicMessage`` values in the proto3 JSON mapping, byte for byte
/// as libprotobuf 3.21's converter does for the same options.
///
/// The printer owns its output buffer: take the text with ``text()``, or
/// ``discard()`` it, either of which frees it.
struct JSONPrinter {
    private(set) var out: RawByteBuffer
    let options: JSONOptions
    let types: PlanCache
    private var level = 0
    /// The tables, fetched once per printer.
    private let care: UnsafePointer<UInt8>
    private let digitPairs: UnsafePointer<UInt8>
    private let powersOfTen: UnsafePointer<UInt64>

    init(options: JSONOptions, types: PlanCache, capacity: Int = 512) {
        self.init(options: options, types: types, out: RawByteBuffer(capacity: capacity))
    }

    /// A printer whose text starts in the caller's space (see ``RawByteBuffer/init(startingIn:)``).
    init(options: JSONOptions, types: PlanCache, startingIn space: UnsafeMutableBufferPointer<UInt8>) {
        self.init(options: options, types: types, out: RawByteBuffer(startingIn: space))
    }

    private init(options: JSONOptions, types: PlanCache, out: RawByteBuffer) {
        self.options = options
        self.types = types
        self.out = out
        let tables = PrinterTables.shared
        care = tables.care
        digitPairs = tables.digitPairs
        powersOfTen = tables.powersOfTen
    }

    /// The text printed; frees the buffer (the printer is done).
    func text() -> String {
        defer { out.free() }
        return String(decoding: UnsafeBufferPointer(start: out.base, count: out.count), as: UTF8.self)
    }

    /// Frees the buffer without taking the text (after a failure).
    func discard() { out.free() }

    // MARK: Layout

    @inline(__always) private mutating func byte(_ b: UInt8) { out.append(b) }

    @inline(__always) private mutating func ascii(_ s: StaticString) {
        out.append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always)
    private mutating func newline() {
        if options.indent { indent() }
    }

    private mutating func indent() {
        byte(0x0a)
        for _ in 0..<level { byte(0x20); byte(0x20) }
    }

    /// Starts a member or element: a comma after the first, the key if any.
    private mutating func member(_ first: inout Bool, key: String?) {
        if !first { byte(UInt8(ascii: ",")) }
        first = false
        newline()
        if let key {
            quoted(key)
            byte(UInt8(ascii: ":"))
            if options.indent { byte(0x20) }
        }
    }

    /// Starts a member whose key is already JSON text.
    @inline(__always)
    private mutating func member(_ first: inout Bool, quotedKey: [UInt8]) {
        if !first { byte(UInt8(ascii: ",")) }
        first = false
        newline()
        quotedKey.withUnsafeBufferPointer { out.append($0) }
        byte(UInt8(ascii: ":"))
        if options.indent { byte(0x20) }
    }

    private mutating func open(_ b: UInt8) { byte(b); level += 1 }

    private mutating func close(_ b: UInt8, empty: Bool) {
        level -= 1
        if !empty { newline() }
        byte(b)
    }

    // MARK: Messages

    mutating func message(_ message: DynamicMessage) throws {
        let plan = message.plan
        if plan.wellKnown != .none { return try wellKnown(message) }
        open(UInt8(ascii: "{"))
        var first = true
        try fields(of: message, first: &first)
        close(UInt8(ascii: "}"), empty: first)
    }

    private mutating func fields(of message: DynamicMessage, first: inout Bool) throws {
        let plan = message.plan
        if options.emitDefaults {
            // libprotobuf 3.21 lays out declared fields first (defaults filled in),
            // then appends, in wire order, scalar oneof members and message fields
            // whose JSON is not an object (wrappers, Timestamp, ListValue, ...).
            guard plan.syntax3 else { throw NativeUnsupported(what: "default values of proto2 fields") }
            // Where libprotobuf puts (or drops) set proto3 `optional` fields here is not settled: left to it.
            if message.entries.contains(where: { $0.field.isSyntheticOptional }) {
                throw NativeUnsupported(what: "proto3 optional fields with default values")
            }
            for field in plan.fields where !Self.scalarOneof(field) && !field.isSyntheticOptional {
                if let value = message[number: field.number] {
                    if Self.printedLate(field, value) { continue }
                    try self.field(field, value, first: &first)
                } else if field.isMap {
                    try self.field(field, .map([]), first: &first)
                } else if field.isRepeated {
                    try self.field(field, .list([]), first: &first)
                } else if !field.hasPresence {
                    try self.field(field, WireDecoder.defaultValue(field), first: &first)
                }
            }
            for entry in message.entries {
                if Self.scalarOneof(entry.field) || Self.printedLate(entry.field, entry.value) {
                    try field(entry.field, entry.value, first: &first)
                }
            }
        } else {
            for entry in message.entries { try field(entry.field, entry.value, first: &first) }
        }
    }

    private static func scalarOneof(_ field: FieldPlan) -> Bool {
        field.oneof != nil && field.kind != .message && field.kind != .group
    }

    /// A singular message field whose JSON is not an object, which libprotobuf
    /// places after the declared fields when it emits defaults.
    private static func printedLate(_ field: FieldPlan, _ value: ProtoValue) -> Bool {
        guard !field.isRepeated, case .message(let m) = value else { return false }
        switch m.plan.wellKnown {
        case .timestamp, .duration, .fieldMask, .listValue: return true
        case .value: return m.entries.last?.field.number != 5
        default: return m.plan.wellKnown.isWrapper
        }
    }

    private mutating func field(_ field: FieldPlan, _ value: ProtoValue, first: inout Bool) throws {
        if let key = options.useProtoNames ? field.quotedName : field.quotedJSONName {
            member(&first, quotedKey: key)
        } else {
            member(&first, key: options.useProtoNames ? field.name : field.jsonName)
        }
        switch value {
        case .list(let items):
            open(UInt8(ascii: "["))
            var firstItem = true
            for item in items {
                member(&firstItem, key: nil)
                try self.value(item, field)
            }
            close(UInt8(ascii: "]"), empty: firstItem)
        case .map(let entries):
            guard let valueField = field.message?.field(number: 2) else { throw NativeUnsupported(what: "map entry") }
            open(UInt8(ascii: "{"))
            var firstEntry = true
            for entry in entries {
                member(&firstEntry, key: entry.key.keyText)
                try self.value(entry.value, valueField)
            }
            close(UInt8(ascii: "}"), empty: firstEntry)
        default:
            try self.value(value, field)
        }
    }

    /// One value of a field (not a list).
    private mutating func value(_ value: ProtoValue, _ field: FieldPlan) throws {
        switch value {
        case .int32(let v): integer(Int64(v))
        case .uint32(let v): integer(Int64(v))
        case .int64(let v): byte(0x22); integer(v); byte(0x22)
        case .uint64(let v): byte(0x22); unsigned(v); byte(0x22)
        case .bool(let v): if v { ascii("true") } else { ascii("false") }
        case .double(let v): double(v)
        case .float(let v): float(v)
        case .string(let s): quoted(s)
        case .bytes(let b): base64(b)
        case .enumNumber(let n):
            if let type = field.enumType, type.isNullValue { ascii("null"); return }
            if !options.enumsAsNumbers, let name = field.enumType?.name(of: n) { quoted(name) } else { integer(Int64(n)) }
        case .message(let m): try message(m)
        case .list, .map: throw NativeUnsupported(what: "nested list")
        }
    }

    // MARK: Scalars

    private mutating func integer(_ v: Int64) {
        if v < 0 { byte(UInt8(ascii: "-")) }
        unsigned(v.magnitude)
    }

    private mutating func unsigned(_ v: UInt64) {
        if v < 10 { byte(0x30 + UInt8(v)); return }
        // Digits from the bit length: t is log10(2^bits) rounded down, one short when v < 10^t.
        let t = ((64 - v.leadingZeroBitCount) &* 1233) >> 12
        fixedDigits(v, count: v < powersOfTen[t] ? t : t + 1)
    }

    private mutating func double(_ v: Double) {
        if v.isNaN { ascii("\"NaN\""); return }
        if v.isInfinite { if v < 0 { ascii("\"-Infinity\"") } else { ascii("\"Infinity\"") }; return }
        if v == v.rounded(.towardZero), abs(v) < 1e15 {
            if v == 0 && v.sign == .minus { ascii("-0"); return }
            integer(Int64(v))
            return
        }
        if v.isNormal && (fewDecimals(v) || shortestDigits(v.description, precision: 15)) { return }
        var text = Self.shortest(v, precision: 15, fallback: 17) { strtod($0, nil) == v }
        text.withUTF8 { out.append($0) }
    }

    private mutating func float(_ v: Float) {
        if v.isNaN { ascii("\"NaN\""); return }
        if v.isInfinite { if v < 0 { ascii("\"-Infinity\"") } else { ascii("\"Infinity\"") }; return }
        if v == v.rounded(.towardZero), abs(v) < 1e6 {
            if v == 0 && v.sign == .minus { ascii("-0"); return }
            integer(Int64(v))
            return
        }
        if v.isNormal && shortestDigits(v.description, precision: 6) { return }
        // As libprotobuf's safe_strtof: a read that underflows (ERANGE, subnormals) does not count.
        var text = Self.shortest(Double(v), precision: 6, fallback: 9) { text in
            errno = 0
            return strtof(text, nil) == v && errno == 0
        }
        text.withUTF8 { out.append($0) }
    }

    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// `%.15g` of a double that is some integer N over 10^k (k < 10, N below
    /// 10^15) exactly as a decimal reads back: those digits have at most 15
    /// figures and read back as `v`, so they are `%.15g`'s (see
    /// ``shortestDigits(_:precision:)``). False otherwise (nothing written).
    private mutating func fewDecimals(_ v: Double) -> Bool {
        Self.powersOfTen.withUnsafeBufferPointer { powers in
            for k in 1..<powers.count {
                let scaled = v * powers[k]
                guard abs(scaled) < 1e15 else { return false }
                guard scaled == scaled.rounded(.towardZero) else { continue }
                let n = Int64(scaled)
                guard Double(n) / powers[k] == v else { continue }
                // v = n × 10^-k; n has no trailing zero (k would have been smaller), n != 0.
                var scratch: (UInt64, UInt64) = (0, 0)
                return withUnsafeMutableBytes(of: &scratch) { digits -> Bool in
                    var m = n.magnitude
                    var count = 0
                    while m > 0 { count += 1; m /= 10 }
                    m = n.magnitude
                    for j in stride(from: count - 1, through: 0, by: -1) {
                        digits[j] = 0x30 + UInt8(m % 10)
                        m /= 10
                    }
                    var figures = count
                    while figures > 0 && digits[figures - 1] == 0x30 { figures -= 1 }
                    writeG(digits.baseAddress!.assumingMemoryBound(to: UInt8.self), figures,
                           exponent: count - 1 - k, negative: n < 0, precision: 15)
                    return true
                }
            }
            return false
        }
    }

    /// Writes d1.d2...dk × 10^exponent as `%.{precision}g` does (k <= precision, d1 != 0).
    private mutating func writeG(_ digits: UnsafePointer<UInt8>, _ k: Int, exponent x: Int, negative: Bool, precision: Int) {
        if negative { byte(UInt8(ascii: "-")) }
        if x < -4 || x >= precision {
            byte(digits[0])
            if k > 1 {
                byte(UInt8(ascii: "."))
                out.append(UnsafeBufferPointer(start: digits + 1, count: k - 1))
            }
            byte(UInt8(ascii: "e"))
            byte(x < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let e = x.magnitude
            if e < 10 { byte(0x30) }
            unsigned(UInt64(e))
        } else if x >= 0 {
            for j in 0...x { byte(j < k ? digits[j] : 0x30) }
            if k > x + 1 {
                byte(UInt8(ascii: "."))
                out.append(UnsafeBufferPointer(start: digits + x + 1, count: k - x - 1))
            }
        } else {
            byte(0x30)
            byte(UInt8(ascii: "."))
            for _ in 0..<(-x - 1) { byte(0x30) }
            out.append(UnsafeBufferPointer(start: digits, count: k))
        }
    }

    /// Writes `%.{precision}g` of a normal number from its shortest round-trip
    /// digits (Swift's `description`), when there are at most `precision` of
    /// them: then `%.{precision}g` gives those very digits (half a unit in the
    /// last of `precision` digits is wider than half an ulp) and reads back
    /// exactly, as libprotobuf's SimpleDtoa/SimpleFtoa check. False otherwise
    /// (nothing written).
    private mutating func shortestDigits(_ description: String, precision: Int) -> Bool {
        var description = description
        return description.withUTF8 { s -> Bool in
            var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
            return withUnsafeMutableBytes(of: &scratch) { digits -> Bool in
                var k = 0, i = 0, intDigits = 0, leadingZeros = 0, exponent = 0
                var seenPoint = false
                let negative = !s.isEmpty && s[0] == UInt8(ascii: "-")
                if negative { i = 1 }
                while i < s.count {
                    let c = s[i]
                    if c >= 0x30 && c <= 0x39 {
                        if !seenPoint { intDigits += 1 }
                        if k == 0 && c == 0x30 { leadingZeros += 1 } else {
                            guard k < 24 else { return false }
                            digits[k] = c
                            k += 1
                        }
                    } else if c == UInt8(ascii: ".") && !seenPoint {
                        seenPoint = true
                    } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                        i += 1
                        var sign = 1
                        if i < s.count && (s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) {
                            if s[i] == UInt8(ascii: "-") { sign = -1 }
                            i += 1
                        }
                        guard i < s.count else { return false }
                        while i < s.count {
                            let d = s[i] &- 0x30
                            guard d < 10, exponent < 10000 else { return false }
                            exponent = exponent * 10 + Int(d)
                            i += 1
                        }
                        exponent *= sign
                        break
                    } else {
                        return false
                    }
                    i += 1
                }
                while k > 0 && digits[k - 1] == 0x30 { k -= 1 }
                guard k > 0, k <= precision else { return false }
                // The value is d1.d2...dk × 10^x.
                let x = intDigits + exponent - leadingZeros - 1
                writeG(digits.baseAddress!.assumingMemoryBound(to: UInt8.self), k, exponent: x, negative: negative,
                       precision: precision)
                return true
            }
        }
    }

    /// `%.{precision}g` when it reads back exactly, else `%.{fallback}g` (libprotobuf's SimpleDtoa/SimpleFtoa).
    private static func shortest(_ v: Double, precision: Int32, fallback: Int32,
                                 roundTrips: (UnsafePointer<CChar>) -> Bool) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { buffer in
            let p = buffer.baseAddress!
            _ = withVaList([precision, v]) { vsnprintf(p, 40, "%.*g", $0) }
            if !roundTrips(p) { _ = withVaList([fallback, v]) { vsnprintf(p, 40, "%.*g", $0) } }
            return String(cString: p)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string, escaped as libprotobuf escapes it.
    mutating func quoted(_ s: String) {
        var s = s
        s.withUTF8 { _ = quoted(utf8: $0) }
    }


    /// Whether eight bytes need nothing in a JSON string: all in 0x20...0x7e and
    /// none of `"`, `\`, `<`, `>` (the `care` table's zeros, tested word-wide).
    @inline(__always)
    private static func plain(_ w: UInt64) -> Bool {
        let bad = ByteLanes.outsideText(w) | ByteLanes.equal(w, 0x22) | ByteLanes.equal(w, 0x5c)
            | ByteLanes.equal(w, 0x3c) | ByteLanes.equal(w, 0x3e) | ByteLanes.equal(w, 0x7f)
        return bad == 0
    }

    /// A JSON string from UTF-8 bytes, escaped as libprotobuf escapes it.
    /// With `checking`, the bytes are checked for UTF-8 as they are scanned
    /// (ASCII needs no second pass); false then when they are not UTF-8 (the
    /// text printed is then to be thrown away).
    @discardableResult
    mutating func quoted(utf8: UnsafeBufferPointer<UInt8>, checking: Bool = false) -> Bool {
        byte(0x22)
        let n = utf8.count
        guard let p = utf8.baseAddress else { byte(0x22); return true }
        let table = care
        var start = 0
        var i = 0
        var unchecked = checking
        while true {
            while i + 8 <= n && Self.plain(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) { i += 8 }
            while i < n && table[Int(p[i])] == 0 { i += 1 }
            if i >= n { break }
            if unchecked && p[i] >= 0x80 {
                // The rest is checked once, at the first byte beyond ASCII.
                guard UTF8Check.isValid(UnsafeBufferPointer(rebasing: utf8[i...])) else { return false }
                unchecked = false
            }
            i += special(utf8, at: i, runStart: &start)
        }
        if start < n { out.append(UnsafeBufferPointer(rebasing: utf8[start..<n])) }
        byte(0x22)
        return true
    }

    /// A byte the `care` table flags, or the scalar it starts: kept in the run
    /// of plain bytes, or escaped after the run is written. Returns its width.
    private mutating func special(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int, runStart start: inout Int) -> Int {
        let b = utf8[i]
        var width = 1
        var unicode: UInt32 = 0
        var escape: StaticString?
        if b >= 0x80 {
            // Decode the scalar to check the few code points escaped above ASCII.
            let (scalar, w) = Self.decodeScalar(utf8, at: i)
            guard Self.escapedScalar(scalar) else { return w }
            width = w
            unicode = scalar
        } else {
            switch b {
            case 0x22: escape = "\\\""
            case 0x5c: escape = "\\\\"
            case 0x08: escape = "\\b"
            case 0x0c: escape = "\\f"
            case 0x0a: escape = "\\n"
            case 0x0d: escape = "\\r"
            case 0x09: escape = "\\t"
            default: unicode = UInt32(b)
            }
        }
        if start < i { out.append(UnsafeBufferPointer(rebasing: utf8[start..<i])) }
        if let escape {
            ascii(escape)
        } else if unicode > 0xffff {
            let v = unicode - 0x10000
            unicodeEscape(0xd800 + (v >> 10))
            unicodeEscape(0xdc00 + (v & 0x3ff))
        } else {
            unicodeEscape(unicode)
        }
        start = i + width
        return width
    }

    private mutating func unicodeEscape(_ u: UInt32) {
        ascii("\\u")
        for shift in stride(from: 12, through: 0, by: -4) { byte(Self.hex[Int((u >> UInt32(shift)) & 0xf)]) }
    }

    private static func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b = utf8[i]
        if b >= 0xf0, i + 3 < utf8.count {
            return ((UInt32(b & 0x07) << 18) | (UInt32(utf8[i + 1] & 0x3f) << 12) | (UInt32(utf8[i + 2] & 0x3f) << 6)
                        | UInt32(utf8[i + 3] & 0x3f), 4)
        }
        if b >= 0xe0, i + 2 < utf8.count {
            return ((UInt32(b & 0x0f) << 12) | (UInt32(utf8[i + 1] & 0x3f) << 6) | UInt32(utf8[i + 2] & 0x3f), 3)
        }
        if b >= 0xc0, i + 1 < utf8.count { return ((UInt32(b & 0x1f) << 6) | UInt32(utf8[i + 1] & 0x3f), 2) }
        return (UInt32(b), 1)
    }

    /// Code points libprotobuf writes as `\uXXXX` although they are printable UTF-8.
    static func escapedScalar(_ u: UInt32) -> Bool {
        switch u {
        case 0xad, 0x600...0x603, 0x6dd, 0x70f, 0x17b4, 0x17b5, 0x200b...0x200f, 0x2028...0x202e, 0x2060...0x2064,
             0x206a...0x206f, 0xfeff, 0xfff9...0xfffb, 0x110bd, 0x1d173...0x1d17a, 0xe0001, 0xe0020...0xe007f:
            true
        default: false
        }
    }

    mutating func base64(_ bytes: UnsafeBufferPointer<UInt8>) {
        byte(0x22)
        Base64.encode(bytes, into: &out)
        byte(0x22)
    }

    mutating func base64(_ bytes: [UInt8]) {
        byte(0x22)
        Base64.encode(bytes, into: &out)
        byte(0x22)
    }

    // MARK: Well-known types

    private mutating func wellKnown(_ message: DynamicMessage) throws {
        switch message.plan.wellKnown {
        case .none: break
        case .empty:
            ascii("{}")
        case .timestamp:
            guard timestamp(seconds: message.int64(1), nanos: message.int32(2)) else {
                throw NativeUnsupported(what: "timestamp out of range")
            }
        case .duration:
            guard duration(seconds: message.int64(1), nanos: message.int32(2)) else {
                throw NativeUnsupported(what: "duration out of range")
            }
        case .fieldMask:
            guard case .list(let paths)? = message[number: 1] else { ascii("\"\""); return }
            var joined = ""
            for (i, path) in paths.enumerated() {
                if i > 0 { joined += "," }
                joined += try FieldMasks.toJSON(path.stringValue ?? "")
            }
            quoted(joined)
        case .structValue:
            try structObject(message)
        case .listValue:
            try listValue(message)
        case .value:
            try valueKind(message)
        case .any:
            try any(message)
        default:
            // Wrappers: the bare value.
            guard let field = message.plan.field(number: 1) else { throw NativeUnsupported(what: "wrapper") }
            try value(message[number: 1] ?? WireDecoder.defaultValue(field), field)
        }
    }

    /// Writes `"2024-02-29T12:34:56.789Z"`; false when out of range.
    private mutating func timestamp(seconds: Int64, nanos: Int32) -> Bool {
        guard seconds >= Timestamps.minSeconds, seconds <= Timestamps.maxSeconds, nanos >= 0, nanos < 1_000_000_000 else {
            return false
        }
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let (y, m, d) = Timestamps.civil(fromDays: days)
        byte(0x22)
        digits(y, 4); byte(UInt8(ascii: "-")); digits(m, 2); byte(UInt8(ascii: "-")); digits(d, 2); byte(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2); byte(UInt8(ascii: ":")); digits(secondOfDay / 60 % 60, 2); byte(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        fraction(nanos)
        byte(UInt8(ascii: "Z")); byte(0x22)
        return true
    }

    /// Writes `"-1.500s"`; false when out of range or the signs disagree.
    private mutating func duration(seconds: Int64, nanos: Int32) -> Bool {
        guard seconds >= -Timestamps.maxDurationSeconds, seconds <= Timestamps.maxDurationSeconds,
              nanos > -1_000_000_000, nanos < 1_000_000_000, !(seconds > 0 && nanos < 0), !(seconds < 0 && nanos > 0) else {
            return false
        }
        byte(0x22)
        if seconds < 0 || nanos < 0 { byte(UInt8(ascii: "-")) }
        unsigned(seconds.magnitude)
        fraction(Int32(nanos.magnitude))
        byte(UInt8(ascii: "s")); byte(0x22)
        return true
    }

    /// `.fff`, `.ffffff` or `.fffffffff`, as few groups as the value needs.
    private mutating func fraction(_ nanos: Int32) {
        if nanos == 0 { return }
        byte(UInt8(ascii: "."))
        if nanos % 1_000_000 == 0 { digits(Int64(nanos / 1_000_000), 3) }
        else if nanos % 1000 == 0 { digits(Int64(nanos / 1000), 6) }
        else { digits(Int64(nanos), 9) }
    }

    /// A non-negative number zero-padded to `width` digits.
    private mutating func digits(_ v: Int64, _ width: Int) {
        if v >= Int64(bitPattern: powersOfTen[width]) { unsigned(UInt64(v)); return }
        fixedDigits(UInt64(v), count: width)
    }

    /// `v` (below 10^count) in exactly `count` digits, zero-padded, two at a time from the end.
    @inline(__always)
    private mutating func fixedDigits(_ v: UInt64, count: Int) {
        out.reserve(count)
        var at = out.base + out.count + count
        out.count += count
        var v = v
        var left = count
        while left >= 2 {
            let pair = Int(v % 100) &* 2
            v /= 100
            at -= 2
            at[0] = digitPairs[pair]
            at[1] = digitPairs[pair + 1]
            left -= 2
        }
        if left == 1 {
            at -= 1
            at[0] = 0x30 + UInt8(v % 10)
        }
    }

    private mutating func structObject(_ message: DynamicMessage) throws {
        guard case .map(let entries)? = message[number: 1] else { ascii("{}"); return }
        open(UInt8(ascii: "{"))
        var first = true
        for entry in entries {
            member(&first, key: entry.key.keyText)
            guard case .message(let v) = entry.value else { throw NativeUnsupported(what: "struct entry") }
            try valueKind(v)
        }
        close(UInt8(ascii: "}"), empty: first)
    }

    private mutating func listValue(_ message: DynamicMessage) throws {
        open(UInt8(ascii: "["))
        var first = true
        if case .list(let items)? = message[number: 1] {
            for item in items {
                member(&first, key: nil)
                guard case .message(let v) = item else { throw NativeUnsupported(what: "list element") }
                try valueKind(v)
            }
        }
        close(UInt8(ascii: "]"), empty: first)
    }

    private mutating func valueKind(_ message: DynamicMessage) throws {
        guard let entry = message.entries.last else { throw NativeUnsupported(what: "an empty google.protobuf.Value") }
        switch entry.value {
        case .enumNumber: ascii("null")
        case .double(let d):
            guard d.isFinite else { throw NativeUnsupported(what: "non-finite number in Value") }
            double(d)
        case .string(let s): quoted(s)
        case .bool(let b): if b { ascii("true") } else { ascii("false") }
        case .message(let m):
            if entry.field.number == 5 { try structObject(m) } else { try listValue(m) }
        default: throw NativeUnsupported(what: "Value kind")
        }
    }

    private mutating func any(_ message: DynamicMessage) throws {
        if options.emitDefaults { throw NativeUnsupported(what: "Any with default values") }
        let url = message[number: 1]?.stringValue ?? ""
        let payload: [UInt8]
        if case .bytes(let b)? = message[number: 2] { payload = b } else { payload = [] }
        if url.isEmpty {
            guard payload.isEmpty else { throw NativeUnsupported(what: "Any without a type URL") }
            ascii("{}")
            return
        }
        let typeName = Self.typeName(fromURL: url)
        guard let plan = types.plan(for: typeName) else { throw NativeUnsupported(what: "Any of unknown type \(typeName)") }
        let inner = try payload.withUnsafeBufferPointer { buffer in
            var decoder = WireDecoder(buffer)
            var inner = DynamicMessage(plan: plan)
            do { try decoder.readMessage(into: &inner, limit: buffer.count, group: nil, depth: 1) }
            catch let error as WireError { throw NativeUnsupported(what: "Any payload: \(error.reason)") }
            return inner
        }
        open(UInt8(ascii: "{"))
        var first = true
        member(&first, key: "@type")
        quoted(url)
        if plan.wellKnown != .none {
            member(&first, key: "value")
            try wellKnown(inner)
        } else {
            try fields(of: inner, first: &first)
        }
        close(UInt8(ascii: "}"), empty: false)
    }
}

extension JSONPrinter {
    /// The part of a type URL after its last `/`.
    static func typeName(fromURL url: String) -> String {
        guard let slash = url.utf8.lastIndex(of: UInt8(ascii: "/")) else { return url }
        return String(url[url.utf8.index(after: slash)...])
    }
}

extension DynamicMessage {
    func int64(_ number: Int32) -> Int64 {
        if case .int64(let v)? = self[number: number] { return v }
        return 0
    }

    func int32(_ number: Int32) -> Int32 {
        if case .int32(let v)? = self[number: number] { return v }
        return 0
    }
}

/// Standard base64 out; both alphabets, padded or not, in.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8], into out: inout RawByteBuffer) {
        bytes.withUnsafeBufferPointer { encode($0, into: &out) }
    }

    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout RawByteBuffer) {
        var i = 0
        let n = bytes.count
        while i + 3 <= n {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(v >> 18)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
        }
        if n - i == 1 {
            let v = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(v >> 18)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "="))
        } else if n - i == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(v >> 18)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(UInt8(ascii: "="))
        }
    }

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Decodes either alphabet; padding optional. Nil when malformed.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        return decode(text, emit: { out.append($0) }) ? out : nil
    }

    /// Decodes either alphabet into `emit`, byte by byte; false when malformed
    /// (some bytes may have been emitted by then).
    @inline(__always)
    static func decode<Text: Collection<UInt8>>(_ text: Text, emit: (UInt8) -> Void) -> Bool {
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            if c == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0 else { return false }
            let v = reverse[Int(c)]
            guard v != 0xff else { return false }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                emit(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        if bits >= 6 { return false }
        // Bits left over must be zero, as in a canonical encoding (libprotobuf checks).
        if bits > 0 && acc & ((1 << UInt32(bits)) - 1) != 0 { return false }
        if padding > 0 && (text.count % 4 != 0 || padding > 2) { return false }
        return true
    }
}

// MARK: - Straight from the wire

extension JSONPrinter {
    /// Prints a message straight from its wire bytes, without building a
    /// ``DynamicMessage``: the fast path for canonical input (fields in number
    /// order, each repeated field in one run). Throws ``NativeUnsupported``
    /// for anything else (emitted defaults, fields out of order) and
    /// ``WireError`` for bad bytes; the caller then takes the tree path,
    /// which gives the same text for canonical input.
    mutating func stream(_ decoder: inout WireDecoder, plan: MessagePlan, limit: Int, depth: Int) throws {
        if options.emitDefaults { throw NativeUnsupported(what: "defaults") }
        switch plan.wellKnown {
        case .structValue: return try streamStruct(&decoder, limit: limit, depth: depth)
        case .listValue: return try streamList(&decoder, limit: limit, depth: depth)
        case .value: return try streamKind(&decoder, limit: limit, depth: depth)
        default: break
        }
        switch plan.wellKnown {
        case .none: break
        case .timestamp, .duration: return try streamTime(&decoder, plan: plan, limit: limit)
        case .any: return try streamAny(&decoder, limit: limit, depth: depth)
        case .empty, .fieldMask:
            var message = DynamicMessage(plan: plan)
            try decoder.readMessage(into: &message, limit: limit, group: nil, depth: depth)
            return try self.message(message)
        default: return try streamWrapper(&decoder, plan: plan, limit: limit, depth: depth)
        }
        open(UInt8(ascii: "{"))
        var first = true
        try streamFields(&decoder, plan: plan, limit: limit, depth: depth, first: &first)
        close(UInt8(ascii: "}"), empty: first)
    }

    /// The fields of a message from the wire as members of the object being printed.
    private mutating func streamFields(_ decoder: inout WireDecoder, plan: MessagePlan, limit: Int, depth: Int,
                                       first: inout Bool) throws {
        let savedEnd = decoder.end
        decoder.end = limit
        defer { decoder.end = savedEnd }
        var lastNumber: Int32 = 0
        while decoder.pos < decoder.end {
            let tagStart = decoder.pos
            let tag = try decoder.varint()
            let wireType = UInt8(tag & 7)
            let number = tag >> 3
            guard number != 0 else { throw WireError.fieldNumberZero }
            guard number <= UInt64(Int32.max), let ref = plan.fieldRef(number: Int32(number)) else {
                if wireType == 4 { throw WireError.unmatchedGroupEnd }
                try decoder.skip(wireType: wireType, number: number, depth: depth)
                continue
            }
            // The plan keeps its fields alive: borrowed, not retained.
            let printed = try ref._withUnsafeGuaranteedRef { field in
                try streamField(field, wireType: wireType, tagStart: tagStart, &decoder, depth: depth,
                                lastNumber: &lastNumber, first: &first)
            }
            if !printed {
                if wireType == 4 { throw WireError.unmatchedGroupEnd }
                try decoder.skip(wireType: wireType, number: number, depth: depth)
            }
        }
    }

    /// One field of ``streamFields``, its tag read; false when the wire type
    /// does not fit (the caller skips it).
    @inline(__always)
    private mutating func streamField(_ field: FieldPlan, wireType: UInt8, tagStart: Int, _ decoder: inout WireDecoder,
                                      depth: Int, lastNumber: inout Int32, first: inout Bool) throws -> Bool {
        guard wireType == field.kind.wireType || (field.isRepeated && field.kind.isPackable && wireType == 2),
              field.kind != .group else { return false }
        do {
            // Canonical order only: a field seen again is merged by the tree path.
            guard field.number > lastNumber else { throw NativeUnsupported(what: "fields out of order") }
            lastNumber = field.number
            let key = options.useProtoNames ? field.quotedNameText : field.quotedJSONNameText
            if !key.isEmpty {
                member(&first, quotedText: key)
            } else {
                member(&first, key: options.useProtoNames ? field.name : field.jsonName)
            }
            if field.isMap {
                guard let entryPlan = field.message, let valueField = entryPlan.field(number: 2),
                      let keyField = entryPlan.field(number: 1) else { throw NativeUnsupported(what: "map entry") }
                open(UInt8(ascii: "{"))
                var firstEntry = true
                decoder.pos = tagStart
                while try Self.nextIs(field, &decoder) {
                    let n = try decoder.length()
                    try streamMapEntry(&decoder, keyField: keyField, valueField: valueField, limit: decoder.pos + n,
                                       first: &firstEntry, depth: depth + 1)
                }
                close(UInt8(ascii: "}"), empty: firstEntry)
            } else if field.isRepeated {
                open(UInt8(ascii: "["))
                var firstItem = true
                decoder.pos = tagStart
                while try Self.nextIs(field, &decoder) {
                    if decoder.lastWireType == 2 && field.kind.isPackable {
                        let n = try decoder.length()
                        let stop = decoder.pos + n
                        let saved = decoder.end
                        decoder.end = stop
                        while decoder.pos < stop {
                            member(&firstItem, key: nil)
                            try streamValue(field, &decoder, depth: depth)
                        }
                        decoder.end = saved
                    } else {
                        member(&firstItem, key: nil)
                        try streamValue(field, &decoder, depth: depth)
                    }
                }
                close(UInt8(ascii: "]"), empty: firstItem)
            } else {
                try streamValue(field, &decoder, depth: depth)
            }
        }
        return true
    }

    /// Starts a member whose key is already JSON text.
    @inline(__always)
    private mutating func member(_ first: inout Bool, quotedText: UnsafeBufferPointer<UInt8>) {
        if !first { byte(UInt8(ascii: ",")) }
        first = false
        newline()
        out.append(quotedText)
        byte(UInt8(ascii: ":"))
        if options.indent { byte(0x20) }
    }

    /// Starts a member whose key is UTF-8 bytes; false when they are not UTF-8.
    private mutating func member(_ first: inout Bool, utf8Key: UnsafeBufferPointer<UInt8>) -> Bool {
        if !first { byte(UInt8(ascii: ",")) }
        first = false
        newline()
        guard quoted(utf8: utf8Key, checking: true) else { return false }
        byte(UInt8(ascii: ":"))
        if options.indent { byte(0x20) }
        return true
    }

    /// One map entry from the wire: its key once, its value once, nothing else
    /// (what every encoder writes); anything else is left to the tree path.
    private mutating func streamMapEntry(_ decoder: inout WireDecoder, keyField: FieldPlan, valueField: FieldPlan,
                                         limit: Int, first: inout Bool, depth: Int) throws {
        guard depth < WireDecoder.depthLimit else { throw WireError.tooDeep }
        let saved = decoder.end
        decoder.end = limit
        defer { decoder.end = saved }
        var keyAt = -1
        var valueAt = -1
        while decoder.pos < decoder.end {
            let tag = try decoder.varint()
            if tag == UInt64(keyField.tag) && keyAt < 0 { keyAt = decoder.pos }
            else if tag == UInt64(valueField.tag) && valueAt < 0 { valueAt = decoder.pos }
            else { throw NativeUnsupported(what: "a map entry with other fields") }
            try decoder.skip(wireType: UInt8(tag & 7), number: tag >> 3, depth: depth)
        }
        guard valueAt >= 0 else { throw NativeUnsupported(what: "a map entry without a value") }
        if keyAt < 0 {
            member(&first, key: WireDecoder.defaultValue(keyField).keyText)
        } else {
            decoder.pos = keyAt
            if keyField.kind == .string {
                let n = try decoder.length()
                let raw = UnsafeBufferPointer(start: decoder.base + decoder.pos, count: n)
                guard member(&first, utf8Key: raw) else { throw NativeUnsupported(what: "invalid UTF-8 in a map key") }
            } else {
                member(&first, key: try decoder.scalar(keyField).keyText)
            }
        }
        decoder.pos = valueAt
        try streamValue(valueField, &decoder, depth: depth)
        decoder.pos = limit
    }

    /// `Timestamp` or `Duration` from the wire: seconds (1) and nanos (2), nothing else.
    private mutating func streamTime(_ decoder: inout WireDecoder, plan: MessagePlan, limit: Int) throws {
        let saved = decoder.end
        decoder.end = limit
        defer { decoder.end = saved }
        var seconds: Int64 = 0
        var nanos: Int32 = 0
        while decoder.pos < decoder.end {
            switch try decoder.varint() {
            case 0x08: seconds = Int64(bitPattern: try decoder.varint())
            case 0x10: nanos = Int32(truncatingIfNeeded: try decoder.varint())
            default: throw NativeUnsupported(what: "other fields in \(plan.fullName)")
            }
        }
        let printed = plan.wellKnown == .timestamp
            ? timestamp(seconds: seconds, nanos: nanos) : duration(seconds: seconds, nanos: nanos)
        guard printed else { throw NativeUnsupported(what: "\(plan.fullName) out of range") }
    }

    /// A wrapper from the wire: its value (the last one), or the default.
    private mutating func streamWrapper(_ decoder: inout WireDecoder, plan: MessagePlan, limit: Int, depth: Int) throws {
        guard let field = plan.field(number: 1) else { throw NativeUnsupported(what: "wrapper") }
        let saved = decoder.end
        decoder.end = limit
        defer { decoder.end = saved }
        var valueAt = -1
        while decoder.pos < decoder.end {
            let tag = try decoder.varint()
            guard tag == UInt64(field.tag) else { throw NativeUnsupported(what: "other fields in \(plan.fullName)") }
            valueAt = decoder.pos
            try decoder.skip(wireType: UInt8(tag & 7), number: tag >> 3, depth: depth)
        }
        guard valueAt >= 0 else { return try value(WireDecoder.defaultValue(field), field) }
        decoder.pos = valueAt
        try streamValue(field, &decoder, depth: depth)
        decoder.pos = limit
    }

    /// `Any` from the wire: `{"@type": url, ...the payload's fields}`, or with
    /// `"value"` for a well-known payload type.
    private mutating func streamAny(_ decoder: inout WireDecoder, limit: Int, depth: Int) throws {
        let saved = decoder.end
        decoder.end = limit
        defer { decoder.end = saved }
        var url = UnsafeBufferPointer<UInt8>(start: decoder.base, count: 0)
        var payloadStart = 0
        var payloadCount = 0
        while decoder.pos < decoder.end {
            let tag = try decoder.varint()
            guard tag == 0x0a || tag == 0x12 else { throw NativeUnsupported(what: "other fields in an Any") }
            let n = try decoder.length()
            if tag == 0x0a { url = UnsafeBufferPointer(start: decoder.base + decoder.pos, count: n) }
            else { payloadStart = decoder.pos; payloadCount = n }
            decoder.pos += n
        }
        guard UTF8Check.isValid(url) else { throw WireError.invalidUTF8("type_url") }
        if url.isEmpty {
            guard payloadCount == 0 else { throw NativeUnsupported(what: "Any without a type URL") }
            ascii("{}")
            return
        }
        var nameStart = url.count
        while nameStart > 0 && url[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
        guard let inner = types.plan(named: UnsafeBufferPointer(rebasing: url[nameStart...])) else {
            throw NativeUnsupported(what: "Any of an unknown type")
        }
        guard depth + 1 < WireDecoder.depthLimit else { throw WireError.tooDeep }
        open(UInt8(ascii: "{"))
        var first = true
        member(&first, quotedKey: Self.typeKey)
        quoted(utf8: url)
        decoder.pos = payloadStart
        if inner.wellKnown != .none {
            member(&first, quotedKey: Self.valueKey)
            try stream(&decoder, plan: inner, limit: payloadStart + payloadCount, depth: depth + 1)
        } else {
            try streamFields(&decoder, plan: inner, limit: payloadStart + payloadCount, depth: depth + 1, first: &first)
        }
        decoder.pos = limit
        close(UInt8(ascii: "}"), empty: false)
    }

    private static let typeKey: [UInt8] = Array(#""@type""#.utf8)
    private static let valueKey: [UInt8] = Array(#""value""#.utf8)

    /// `google.protobuf.Struct` from the wire: entries `{1: key, 2: Value}` as an object.
    private mutating func streamStruct(_ decoder: inout WireDecoder, limit: Int, depth: Int) throws {
        guard depth < WireDecoder.depthLimit else { throw WireError.tooDeep }
        let saved = decoder.end
        decoder.end = limit
        defer { decoder.end = saved }
        open(UInt8(ascii: "{"))
        var first = true
        while decoder.pos < decoder.end {
            let tag = try decoder.varint()
            guard tag == 0x0a else {
                try Self.skipUnknown(tag, &decoder, depth: depth)
                continue
            }
            let n = try decoder.length()
            let entryEnd = decoder.pos + n
            let outer = decoder.end
            decoder.end = entryEnd
            var key: UnsafeBufferPointer<UInt8>?
            var value: (start: Int, count: Int)?
            while decoder.pos < decoder.end {
                let t = try decoder.varint()
                if t == 0x0a || t == 0x12 {
                    let m = try decoder.length()
                    if t == 0x0a { key = UnsafeBufferPointer(start: decoder.base + decoder.pos, count: m) }
                    else {
                        guard value == nil else { throw NativeUnsupported(what: "a Struct entry with two values") }
                        value = (decoder.pos, m)
                    }
                    decoder.pos += m
                } else {
                    try Self.skipUnknown(t, &decoder, depth: depth + 1)
                }
            }
            decoder.end = outer
            let keyBytes = key ?? UnsafeBufferPointer(start: decoder.base, count: 0)
            guard let value else { throw NativeUnsupported(what: "a Struct entry without a value") }
            guard member(&first, utf8Key: keyBytes) else { throw WireError.invalidUTF8("key") }
            decoder.pos = value.start
            try streamKind(&decoder, limit: value.start + value.count, depth: depth + 1)
            decoder.pos = entryEnd
        }
        close(UInt8(ascii: "}"), empty: first)
    }

    /// `google.protobuf.ListValue` from the wire.
    private mutating func streamList(_ decoder: inout WireDecoder, limit: Int, depth: Int) throws {
        guard depth < WireDecoder.depthLimit else { throw WireError.tooDeep }
        let saved = decoder.end
        decoder.end = limit
        defer { decoder.end = saved }
        open(UInt8(ascii: "["))
        var first = true
        while decoder.pos < decoder.end {
            let tag = try decoder.varint()
            guard tag == 0x0a else {
                try Self.skipUnknown(tag, &decoder, depth: depth)
                continue
            }
            let n = try decoder.length()
            let stop = decoder.pos + n
            member(&first, key: nil)
            try streamKind(&decoder, limit: stop, depth: depth + 1)
            decoder.pos = stop
        }
        close(UInt8(ascii: "]"), empty: first)
    }

    /// `google.protobuf.Value` from the wire: exactly one kind, else the tree path decides.
    private mutating func streamKind(_ decoder: inout WireDecoder, limit: Int, depth: Int) throws {
        guard depth < WireDecoder.depthLimit else { throw WireError.tooDeep }
        let saved = decoder.end
        decoder.end = limit
        defer { decoder.end = saved }
        var kind: (number: UInt64, start: Int)?
        while decoder.pos < decoder.end {
            let tag = try decoder.varint()
            let number = tag >> 3, wireType = UInt8(tag & 7)
            let expected: UInt8? = switch number {
            case 1, 4: 0
            case 2: 1
            case 3, 5, 6: 2
            default: nil
            }
            if wireType == expected {
                guard kind == nil else { throw NativeUnsupported(what: "a Value with two kinds") }
                kind = (number, decoder.pos)
            }
            try Self.skipUnknown(tag, &decoder, depth: depth)
        }
        guard let kind else { throw NativeUnsupported(what: "an empty google.protobuf.Value") }
        decoder.pos = kind.start
        switch kind.number {
        case 1: _ = try decoder.varint(); ascii("null")
        case 2:
            let d = Double(bitPattern: try decoder.fixed64())
            guard d.isFinite else { throw NativeUnsupported(what: "non-finite number in Value") }
            double(d)
        case 3:
            let n = try decoder.length()
            let raw = UnsafeBufferPointer(start: decoder.base + decoder.pos, count: n)
            guard quoted(utf8: raw, checking: true) else { throw WireError.invalidUTF8("string_value") }
        case 4: if try decoder.varint() != 0 { ascii("true") } else { ascii("false") }
        case 5:
            let n = try decoder.length()
            try streamStruct(&decoder, limit: decoder.pos + n, depth: depth + 1)
        default:
            let n = try decoder.length()
            try streamList(&decoder, limit: decoder.pos + n, depth: depth + 1)
        }
        decoder.pos = limit
    }

    /// Skips (and checks) a field whose tag was just read.
    @inline(__always)
    private static func skipUnknown(_ tag: UInt64, _ decoder: inout WireDecoder, depth: Int) throws {
        let number = tag >> 3, wireType = UInt8(tag & 7)
        guard number != 0 else { throw WireError.fieldNumberZero }
        if wireType == 4 { throw WireError.unmatchedGroupEnd }
        try decoder.skip(wireType: wireType, number: number, depth: depth)
    }

    /// Reads the next tag when it belongs to `field` (same number, a wire type
    /// the field accepts); otherwise leaves the position alone.
    private static func nextIs(_ field: FieldPlan, _ decoder: inout WireDecoder) throws -> Bool {
        guard decoder.pos < decoder.end else { return false }
        let start = decoder.pos
        let tag = try decoder.varint()
        let wireType = UInt8(tag & 7)
        if tag >> 3 == UInt64(field.number)
            && (wireType == field.kind.wireType || (field.kind.isPackable && wireType == 2)) {
            decoder.lastWireType = wireType
            return true
        }
        decoder.pos = start
        return false
    }

    /// One value of a field, read from the wire and printed.
    private mutating func streamValue(_ field: FieldPlan, _ decoder: inout WireDecoder, depth: Int) throws {
        switch field.kind {
        case .string:
            let n = try decoder.length()
            let raw = UnsafeBufferPointer(start: decoder.base + decoder.pos, count: n)
            guard quoted(utf8: raw, checking: true) else {
                if field.validatesUTF8 { throw WireError.invalidUTF8(field.name) }
                throw NativeUnsupported(what: "invalid UTF-8 in a proto2 string")
            }
            decoder.pos += n
        case .bytes:
            let n = try decoder.length()
            base64(UnsafeBufferPointer(start: decoder.base + decoder.pos, count: n))
            decoder.pos += n
        case .message:
            guard depth + 1 < WireDecoder.depthLimit else { throw WireError.tooDeep }
            guard let sub = field.messageRef else { throw NativeUnsupported(what: "unresolved message type") }
            let n = try decoder.length()
            let stop = decoder.pos + n
            try sub._withUnsafeGuaranteedRef { try stream(&decoder, plan: $0, limit: stop, depth: depth + 1) }
            decoder.pos = stop
        case .group:
            throw NativeUnsupported(what: "groups")
        case .int32: integer(Int64(Int32(truncatingIfNeeded: try decoder.varint())))
        case .uint32: unsigned(UInt64(UInt32(truncatingIfNeeded: try decoder.varint())))
        case .bool: if try decoder.varint() != 0 { ascii("true") } else { ascii("false") }
        case .enum:
            let n = Int32(truncatingIfNeeded: try decoder.varint())
            guard let type = field.enumType else { return integer(Int64(n)) }
            if type.isNullValue { ascii("null"); return }
            if !options.enumsAsNumbers, let name = type.name(of: n) { quoted(name) } else { integer(Int64(n)) }
        default:
            try value(decoder.scalar(field), field)
        }
    }
}

/// Lookup tables of the JSON printer, built once for the process and only read
/// afterwards (so shared without locks).
struct PrinterTables {
    let care: UnsafePointer<UInt8>
    let digitPairs: UnsafePointer<UInt8>
    let powersOfTen: UnsafePointer<UInt64>

    /// All three behind one once-check.
    nonisolated(unsafe) static let shared = PrinterTables(care: care, digitPairs: digitPairs, powersOfTen: powersOfTen)

    /// What a byte needs in a JSON string: 0 nothing, 1 an escape, 2 a look at
    /// its code point (non-ASCII).
    nonisolated(unsafe) static let care: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for b in 0..<256 {
            switch b {
            case 0..<0x20, 0x22, 0x5c, 0x3c, 0x3e, 0x7f: table[b] = 1
            case 0x80...: table[b] = 2
            default: table[b] = 0
            }
        }
        return UnsafePointer(table)
    }()

    /// 10^0 to 10^19.
    nonisolated(unsafe) static let powersOfTen: UnsafePointer<UInt64> = {
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 20)
        var p: UInt64 = 1
        for k in 0..<20 {
            table[k] = p
            p = p &* 10
        }
        return UnsafePointer(table)
    }()

    /// "00" to "99".
    nonisolated(unsafe) static let digitPairs: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)
        for v in 0..<100 {
            table[2 * v] = UInt8(0x30 + v / 10)
            table[2 * v + 1] = UInt8(0x30 + v % 10)
        }
        return UnsafePointer(table)
    }()
}
