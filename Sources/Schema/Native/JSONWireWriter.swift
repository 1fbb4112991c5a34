import Foundation

/// A growable byte buffer without `Array`'s per-append checks. The owner frees it.
struct RawByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity: Int
    /// Whether `base` was allocated here (else it is the caller's, until the buffer grows).
    private var owned: Bool

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        owned = true
    }

    /// A buffer that starts in the caller's space (a stack allocation) and moves to the heap when it outgrows it.
    init(startingIn space: UnsafeMutableBufferPointer<UInt8>) {
        base = space.baseAddress!
        capacity = space.count
        owned = false
    }

    func free() {
        if owned { base.deallocate() }
    }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(extra) }
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        let newCapacity = Swift.max(capacity * 2, count + extra)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.initialize(from: base, count: count)
        if owned { base.deallocate() }
        base = bigger
        capacity = newCapacity
        owned = true
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).initialize(from: from, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        reserve(10)
        count += Varint.write(value, to: base + count)
    }

    @inline(__always)
    mutating func fixed32(_ v: UInt32) {
        reserve(4)
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.littleEndian, as: UInt32.self)
        count += 4
    }

    @inline(__always)
    mutating func fixed64(_ v: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.littleEndian, as: UInt64.self)
        count += 8
    }

    /// Starts a length-delimited body: one byte kept for its length.
    @inline(__always)
    mutating func beginLength() -> Int {
        append(0)
        return count - 1
    }

    /// Writes the length of the body started at `at`, moving the body when the
    /// length needs more than one byte.
    @inline(__always)
    mutating func endLength(_ at: Int) {
        let length = count - at - 1
        if length < 0x80 {
            base[at] = UInt8(truncatingIfNeeded: length)
        } else {
            longLength(at, length)
        }
    }

    @inline(never)
    private mutating func longLength(_ at: Int, _ length: Int) {
        let size = Varint.size(UInt64(length))
        reserve(size - 1)
        memmove(base + at + size, base + at + 1, length)
        count += size - 1
        _ = Varint.write(UInt64(length), to: base + at)
    }

    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// JSON text to the binary encoding in one pass: reads JSON tokens and writes
/// wire bytes as it goes, driven by the message plans, without a JSON tree or
/// a ``DynamicMessage``.
///
/// It gives the bytes the tree path (`JSONReader` → `JSONMapper` →
/// `WireEncoder`) gives: fields in number order (a message whose keys come out
/// of order, or repeat, is put in order when it closes), defaults left out,
/// packed where the schema packs, map entries in their JSON order, and inside an
/// `Any` the fields as given. On anything else, and on every error, it gives up
/// (``Miss``) and the caller takes the tree path, which then gives the same
/// bytes or its own, precise error.
struct JSONWireWriter {
    struct Miss: Error {}

    /// One field written into the message being read: where its bytes are.
    struct Segment {
        var number: Int32
        var oneof: Int32
        var start: Int
        var end: Int
    }

    /// The segments of the messages open, innermost last; starts in the caller's space.
    struct Segments {
        private(set) var base: UnsafeMutablePointer<Segment>
        private(set) var count = 0
        private var capacity: Int
        private var owned = false

        init(startingIn space: UnsafeMutableBufferPointer<Segment>) {
            base = space.baseAddress!
            capacity = space.count
        }

        func free() {
            if owned { base.deallocate() }
        }

        @inline(__always)
        mutating func append(_ segment: Segment) {
            if count == capacity { grow() }
            (base + count).initialize(to: segment)
            count += 1
        }

        @inline(never)
        private mutating func grow() {
            let bigger = UnsafeMutablePointer<Segment>.allocate(capacity: capacity * 2)
            bigger.initialize(from: base, count: count)
            if owned { base.deallocate() }
            base = bigger
            capacity *= 2
            owned = true
        }

        mutating func removeAll(from start: Int) { count = start }

        @inline(__always)
        subscript(_ k: Int) -> Segment {
            get { base[k] }
            nonmutating set { base[k] = newValue }
        }
    }

    /// Containers deep enough that the tree path's limits (JSON nesting 100,
    /// messages 100, two per JSON level for Struct and ListValue) may apply.
    static let depthBudget = 45

    private let b: UnsafePointer<UInt8>
    private let n: Int
    private var i = 0
    private var out: RawByteBuffer
    private var segments: Segments
    /// Strings with escapes, decoded; valid until the next such string.
    private var scratch: RawByteBuffer?
    private let ignoreUnknown: Bool
    private let types: PlanCache
    /// Inside an `Any`: fields in JSON order, defaults kept, nothing packed.
    private var asGiven = false
    private var depth = 0

    private init(_ json: UnsafeBufferPointer<UInt8>, out: RawByteBuffer, segments: Segments, options: JSONOptions,
                 types: PlanCache) {
        b = json.baseAddress ?? UnsafePointer(bitPattern: 1)!
        n = json.count
        self.out = out
        self.segments = segments
        ignoreUnknown = options.ignoreUnknownFields
        self.types = types
    }

    /// The binary encoding of one JSON message, or nil where the tree path must decide.
    static func convert(_ json: [UInt8], plan: MessagePlan, options: JSONOptions, types: PlanCache) -> [UInt8]? {
        // The output and the segments start on the stack; large messages move them to the heap.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { outSpace in
            withUnsafeTemporaryAllocation(of: Segment.self, capacity: 32) { segmentSpace in
                json.withUnsafeBufferPointer { buffer in
                    convert(buffer, plan: plan, out: RawByteBuffer(startingIn: outSpace),
                            segments: Segments(startingIn: segmentSpace), options: options, types: types)
                }
            }
        }
    }

    private static func convert(_ buffer: UnsafeBufferPointer<UInt8>, plan: MessagePlan, out: RawByteBuffer,
                                segments: Segments, options: JSONOptions, types: PlanCache) -> [UInt8]? {
        var writer = JSONWireWriter(buffer, out: out, segments: segments, options: options, types: types)
        defer {
            writer.out.free()
            writer.segments.free()
            writer.scratch?.free()
        }
        do {
            writer.space()
            guard writer.i < writer.n else { return nil }
            if plan.wellKnown == .none && writer.b[writer.i] != UInt8(ascii: "{") { return nil }
            try writer.message(plan)
            writer.space()
            guard writer.i == writer.n else { return nil }
        } catch {
            return nil
        }
        return writer.out.bytes
    }

    // MARK: JSON tokens

    @inline(__always)
    private mutating func space() {
        while i < n {
            let c = b[i]
            guard c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 else { return }
            i += 1
        }
    }

    /// The byte at `i` after white space; Miss at the end.
    @inline(__always)
    private mutating func peek() throws(Miss) -> UInt8 {
        space()
        guard i < n else { throw Miss() }
        return b[i]
    }

    @inline(__always)
    private mutating func expect(_ c: UInt8) throws(Miss) {
        guard try peek() == c else { throw Miss() }
        i += 1
    }

    @inline(__always)
    private mutating func enter() throws(Miss) {
        depth += 1
        guard depth <= Self.depthBudget else { throw Miss() }
    }

    private mutating func literal(_ word: StaticString) throws(Miss) {
        let count = word.utf8CodeUnitCount
        guard i + count <= n, memcmp(b + i, word.utf8Start, count) == 0 else { throw Miss() }
        i += count
    }

    /// After a member or element: true at `,` (consumed), false at `close` (consumed).
    @inline(__always)
    private mutating func next(_ close: UInt8) throws(Miss) -> Bool {
        let c = try peek()
        i += 1
        if c == UInt8(ascii: ",") { return true }
        guard c == close else { throw Miss() }
        return false
    }

    /// A JSON string at `i` (its opening quote): its UTF-8 bytes with escapes
    /// resolved, checked as the reader checks them.
    @inline(__always)
    private mutating func string() throws(Miss) -> UnsafeBufferPointer<UInt8> {
        guard i < n, b[i] == 0x22 else { throw Miss() }
        i += 1
        let start = i
        var high: UInt8 = 0
        // Eight bytes at a time while none is a quote, a backslash, a control character or beyond ASCII.
        var j = i
        while j + 8 <= n && Self.plain(UnsafeRawPointer(b + j).loadUnaligned(as: UInt64.self)) { j += 8 }
        i = j
        while i < n {
            let c = b[i]
            if c == 0x22 {
                let raw = UnsafeBufferPointer(start: b + start, count: i - start)
                i += 1
                if high >= 0x80 && !UTF8Check.isValid(raw) { throw Miss() }
                return raw
            }
            if c == 0x5c { return try escapedString(from: start) }
            if c < 0x20 { throw Miss() }
            high |= c
            i += 1
        }
        throw Miss()
    }

    /// Whether eight bytes hold no quote, backslash, control character or byte beyond ASCII.
    @inline(__always)
    private static func plain(_ w: UInt64) -> Bool {
        (ByteLanes.outsideText(w) | ByteLanes.equal(w, 0x22) | ByteLanes.equal(w, 0x5c)) == 0
    }

    @inline(never)
    private mutating func escapedString(from start: Int) throws(Miss) -> UnsafeBufferPointer<UInt8> {
        var text = scratch ?? RawByteBuffer(capacity: 64)
        scratch = nil
        defer { scratch = text }
        text.count = 0
        text.append(UnsafeBufferPointer(start: b + start, count: i - start))
        while i < n {
            let c = b[i]
            if c == 0x22 {
                i += 1
                let decoded = UnsafeBufferPointer(start: UnsafePointer(text.base), count: text.count)
                guard UTF8Check.isValid(decoded) else { throw Miss() }
                return decoded
            }
            if c < 0x20 { throw Miss() }
            if c != 0x5c { text.append(c); i += 1; continue }
            i += 1
            guard i < n else { throw Miss() }
            guard let scalar = try? JSONEscape.scalar(after: b, count: n, at: &i) else { throw Miss() }
            for unit in UTF8.encode(scalar)! { text.append(unit) }
        }
        throw Miss()
    }

    /// A JSON number at `i`: its text, and whether it is a plain integer (no fraction, no exponent).
    private mutating func number() throws(Miss) -> (text: UnsafeBufferPointer<UInt8>, plain: Bool) {
        let start = i
        if i < n, b[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        let intDigits = i - digitsStart
        guard intDigits > 0 else { throw Miss() }
        if intDigits > 1 && b[digitsStart] == 0x30 { throw Miss() }
        var plain = true
        if i < n, b[i] == UInt8(ascii: ".") {
            plain = false
            i += 1
            let s = i
            while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > s else { throw Miss() }
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            plain = false
            i += 1
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            let s = i
            while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > s else { throw Miss() }
        }
        return (UnsafeBufferPointer(start: b + start, count: i - start), plain)
    }

    /// Skips one value (of a field the schema does not know), checking it as the reader does.
    private mutating func skipValue() throws(Miss) {
        switch try peek() {
        case UInt8(ascii: "{"):
            try enter()
            i += 1
            if try peek() == UInt8(ascii: "}") { i += 1 } else {
                repeat {
                    space()
                    _ = try string()
                    try expect(UInt8(ascii: ":"))
                    try skipValue()
                } while try next(UInt8(ascii: "}"))
            }
            depth -= 1
        case UInt8(ascii: "["):
            try enter()
            i += 1
            if try peek() == UInt8(ascii: "]") { i += 1 } else {
                repeat { try skipValue() } while try next(UInt8(ascii: "]"))
            }
            depth -= 1
        case 0x22: _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    // MARK: Numbers

    /// Optional `-` and 1 to 18 decimal digits (no overflow possible); nil otherwise.
    @inline(__always)
    private static func decimal(_ text: UnsafeBufferPointer<UInt8>) -> (magnitude: UInt64, negative: Bool)? {
        var k = 0
        let negative = !text.isEmpty && text[0] == UInt8(ascii: "-")
        if negative { k = 1 }
        let digits = text.count - k
        guard digits > 0, digits <= 18 else { return nil }
        var v: UInt64 = 0
        while k < text.count {
            let d = text[k] &- 0x30
            guard d < 10 else { return nil }
            v = v &* 10 &+ UInt64(d)
            k += 1
        }
        return (v, negative)
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A plain JSON integer at `i` (`-`, then 1 to 18 digits, no leading zero,
    /// no fraction or exponent after), read in one scan; nil (nothing read) otherwise.
    @inline(__always)
    private mutating func plainInteger() -> (magnitude: UInt64, negative: Bool)? {
        var j = i
        let negative = j < n && b[j] == UInt8(ascii: "-")
        if negative { j += 1 }
        let digitsStart = j
        var v: UInt64 = 0
        while j < n {
            let d = b[j] &- 0x30
            if d >= 10 { break }
            v = v &* 10 &+ UInt64(d)
            j += 1
        }
        let count = j - digitsStart
        guard count > 0, count <= 18, count == 1 || b[digitsStart] != 0x30 else { return nil }
        if j < n && (b[j] == UInt8(ascii: ".") || b[j] | 0x20 == UInt8(ascii: "e")) { return nil }
        i = j
        return (v, negative)
    }

    /// A signed integer from a JSON number or string, as the tree path reads it.
    private mutating func signed(_ min: Int64, _ max: Int64) throws(Miss) -> Int64 {
        let c = try peek()
        if c != 0x22, let (m, negative) = plainInteger() {
            let v = negative ? -Int64(m) : Int64(m)
            guard v >= min, v <= max else { throw Miss() }
            return v
        }
        let v: Int64?
        if c == 0x22 {
            let s = try string()
            if let (m, negative) = Self.decimal(s) {
                v = negative ? -Int64(m) : Int64(m)
            } else {
                v = JSONMapper.integer(string: Self.text(s), min: Int64.min, max: Int64.max)
            }
        } else if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
            let (text, plain) = try number()
            if plain, let (m, negative) = Self.decimal(text) {
                v = negative ? -Int64(m) : Int64(m)
            } else {
                v = JSONMapper.integer(Self.text(text), min: Int64.min, max: Int64.max)
            }
        } else {
            throw Miss()
        }
        guard let v, v >= min, v <= max else { throw Miss() }
        return v
    }

    private mutating func unsigned(_ max: UInt64) throws(Miss) -> UInt64 {
        let c = try peek()
        if c != 0x22 && c != UInt8(ascii: "-"), let (m, _) = plainInteger() {
            guard m <= max else { throw Miss() }
            return m
        }
        let v: UInt64?
        if c == 0x22 {
            let s = try string()
            if let (m, negative) = Self.decimal(s), !negative { v = m } else {
                v = JSONMapper.unsigned(string: Self.text(s), max: UInt64.max)
            }
        } else if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
            let (text, plain) = try number()
            if plain, let (m, negative) = Self.decimal(text), !negative { v = m } else {
                v = JSONMapper.unsigned(Self.text(text), max: UInt64.max)
            }
        } else {
            throw Miss()
        }
        guard let v, v <= max else { throw Miss() }
        return v
    }

    /// A JSON number's value as `Double(text)` gives it.
    private static func double(_ text: UnsafeBufferPointer<UInt8>, plain: Bool) -> Double? {
        // Up to 15 digits an integer is exact in a Double.
        if plain, text.count <= 16, let (m, negative) = decimal(text), m < 1_000_000_000_000_000 {
            let d = Double(m)
            return negative ? -d : d
        }
        return Double(Self.text(text))
    }

    /// A float or double field's value from a JSON number or string.
    private mutating func floating() throws(Miss) -> Double {
        let c = try peek()
        if c == 0x22 {
            guard let d = JSONMapper.double(string: Self.text(try string())) else { throw Miss() }
            return d
        }
        guard c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) else { throw Miss() }
        let (text, plain) = try number()
        guard let d = Self.double(text, plain: plain), d.isFinite else { throw Miss() }
        return d
    }

    // MARK: Messages

    /// The body of a message (no tag, no length) from the JSON value at `i`.
    private mutating func message(_ plan: MessagePlan) throws(Miss) {
        if plan.wellKnown != .none { return try wellKnown(plan) }
        guard try peek() == UInt8(ascii: "{") else { throw Miss() }
        try enter()
        i += 1
        if try peek() == UInt8(ascii: "}") {
            i += 1
        } else {
            try members(plan, anyPayload: false)
        }
        depth -= 1
    }

    /// The members of an object, from the next key to the closing brace (consumed).
    /// Fields are written as they come; when they come out of number order, or
    /// one repeats (the last wins), the message's bytes are put in order at the end.
    private mutating func members(_ plan: MessagePlan, anyPayload: Bool) throws(Miss) {
        let base = segments.count
        defer { segments.removeAll(from: base) }
        var last: Int32 = .min
        var inOrder = true
        var hint = 0
        repeat {
            space()
            let key = try string()
            try expect(UInt8(ascii: ":"))
            let c = try peek()
            if anyPayload && key.count == 5 && memcmp(key.baseAddress!, "@type", 5) == 0 {
                try skipValue()  // the type URL counts once, the first time
                continue
            }
            guard let ref = plan.field(jsonKey: key, hint: &hint) else {
                guard ignoreUnknown else { throw Miss() }
                try skipValue()
                continue
            }
            // The plan keeps its fields alive: borrowed, not retained.
            let taken = ref._withUnsafeGuaranteedRef { field -> Bool in
                do throws(Miss) {
                    try member(field, first: c, base: base, last: &last, inOrder: &inOrder)
                    return true
                } catch {
                    return false
                }
            }
            guard taken else { throw Miss() }
        } while try next(UInt8(ascii: "}"))
        if !inOrder { reorder(from: base) }
    }

    /// The value of one member (its key read, `c` its first byte) for `field`.
    @inline(__always)
    private mutating func member(_ field: FieldPlan, first c: UInt8, base: Int, last: inout Int32,
                                 inOrder: inout Bool) throws(Miss) {
        if c == UInt8(ascii: "n") && !(field.message?.wellKnown == .value && !field.isRepeated) {
            try literal("null")  // null leaves the field as it is
            return
        }
        let oneof = field.oneof.map { Int32($0) } ?? -1
        if oneof >= 0 {
            for k in base..<segments.count where segments[k].oneof == oneof && segments[k].number != field.number {
                throw Miss()  // another member of the oneof is set
            }
        }
        if field.number > last {
            last = field.number
        } else {
            for k in base..<segments.count where segments[k].number == field.number {
                if asGiven { throw Miss() }  // the tree keeps the first place of a repeated key
                segments[k].number = 0  // replaced
                segments[k].oneof = -1
            }
            if !asGiven { inOrder = false }
        }
        let start = out.count
        try value(of: field)
        segments.append(Segment(number: field.number, oneof: oneof, start: start, end: out.count))
    }

    /// Rewrites the fields of the message whose segments start at `base` in number order, dropping replaced ones.
    @inline(never)
    private mutating func reorder(from base: Int) {
        guard base < segments.count else { return }
        let start = segments[base].start
        let length = out.count - start
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(length, 1))
        defer { copy.deallocate() }
        copy.initialize(from: out.base + start, count: length)
        let live = (base..<segments.count).map { segments[$0] }.filter { $0.number != 0 }.sorted { $0.number < $1.number }
        out.count = start
        for segment in live {
            out.append(UnsafeBufferPointer(start: copy + (segment.start - start), count: segment.end - segment.start))
        }
    }

    /// A field's JSON value (not null), written with its tags.
    @inline(__always)
    private mutating func value(of field: FieldPlan) throws(Miss) {
        if field.isMap { return try map(field) }
        if field.isRepeated { return try list(field) }
        if field.kind == .message || field.kind == .group { return try single(field) }
        let start = out.count
        out.varint(UInt64(field.tag))
        let isDefault = try scalar(field)
        if isDefault && !field.hasPresence && !asGiven { out.count = start }
    }

    /// One value with its tag, written whatever it is.
    @inline(__always)
    private mutating func single(_ field: FieldPlan) throws(Miss) {
        switch field.kind {
        case .message:
            guard let sub = field.message else { throw Miss() }
            out.varint(UInt64(field.tag))
            let at = out.beginLength()
            try message(sub)
            out.endLength(at)
        case .group:
            throw Miss()
        default:
            out.varint(UInt64(field.tag))
            _ = try scalar(field)
        }
    }

    private mutating func list(_ field: FieldPlan) throws(Miss) {
        guard try peek() == UInt8(ascii: "[") else { throw Miss() }
        try enter()
        i += 1
        defer { depth -= 1 }
        if try peek() == UInt8(ascii: "]") { i += 1; return }
        let elementsMayBeNull = field.message?.wellKnown == .value
        if field.isPacked && !asGiven {
            out.varint(UInt64(field.packedTag))
            let at = out.beginLength()
            repeat { _ = try scalar(field) } while try next(UInt8(ascii: "]"))
            out.endLength(at)
        } else {
            repeat {
                if try peek() == UInt8(ascii: "n") && !elementsMayBeNull { throw Miss() }
                try single(field)
            } while try next(UInt8(ascii: "]"))
        }
    }

    private mutating func map(_ field: FieldPlan) throws(Miss) {
        guard try peek() == UInt8(ascii: "{") else { throw Miss() }
        guard let entry = field.message, let keyField = entry.field(number: 1), let valueField = entry.field(number: 2) else {
            throw Miss()
        }
        try enter()
        i += 1
        defer { depth -= 1 }
        if try peek() == UInt8(ascii: "}") { i += 1; return }
        let valuesMayBeNull = valueField.message?.wellKnown == .value
        repeat {
            space()
            let key = try string()
            out.varint(UInt64(field.tag))
            let at = out.beginLength()
            // Key and value always, as libprotobuf writes map entries.
            out.varint(UInt64(keyField.tag))
            try mapKey(keyField, key)
            try expect(UInt8(ascii: ":"))
            if try peek() == UInt8(ascii: "n") && !valuesMayBeNull { throw Miss() }
            try single(valueField)
            out.endLength(at)
        } while try next(UInt8(ascii: "}"))
    }

    /// A map key (JSON object keys are strings) as its field's value.
    private mutating func mapKey(_ field: FieldPlan, _ key: UnsafeBufferPointer<UInt8>) throws(Miss) {
        switch field.kind {
        case .string:
            out.varint(UInt64(key.count))
            out.append(key)
        case .bool:
            if key.count == 4 && memcmp(key.baseAddress!, "true", 4) == 0 { out.append(1) }
            else if key.count == 5 && memcmp(key.baseAddress!, "false", 5) == 0 { out.append(0) }
            else { throw Miss() }
        case .int32, .sint32, .sfixed32, .int64, .sint64, .sfixed64:
            let wide = field.kind == .int64 || field.kind == .sint64 || field.kind == .sfixed64
            let v: Int64
            if let (m, negative) = Self.decimal(key) { v = negative ? -Int64(m) : Int64(m) } else {
                guard let parsed = JSONMapper.integer(string: Self.text(key), min: Int64.min, max: Int64.max) else {
                    throw Miss()
                }
                v = parsed
            }
            guard wide || (v >= Int64(Int32.min) && v <= Int64(Int32.max)) else { throw Miss() }
            writeSigned(v, field.kind)
        case .uint32, .fixed32, .uint64, .fixed64:
            let max = field.kind == .uint32 || field.kind == .fixed32 ? UInt64(UInt32.max) : UInt64.max
            let v: UInt64
            if let (m, negative) = Self.decimal(key), !negative { v = m } else {
                guard let parsed = JSONMapper.unsigned(string: Self.text(key), max: UInt64.max) else { throw Miss() }
                v = parsed
            }
            guard v <= max else { throw Miss() }
            writeUnsigned(v, field.kind)
        default:
            throw Miss()
        }
    }

    @inline(__always)
    private mutating func writeSigned(_ v: Int64, _ kind: FieldKind) {
        switch kind {
        case .sint32:
            let w = Int32(truncatingIfNeeded: v)
            out.varint(UInt64(UInt32(bitPattern: (w << 1) ^ (w >> 31))))
        case .sint64: out.varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        case .sfixed32: out.fixed32(UInt32(bitPattern: Int32(truncatingIfNeeded: v)))
        case .sfixed64: out.fixed64(UInt64(bitPattern: v))
        default: out.varint(UInt64(bitPattern: v))  // int32, int64, enum: sign-extended
        }
    }

    @inline(__always)
    private mutating func writeUnsigned(_ v: UInt64, _ kind: FieldKind) {
        switch kind {
        case .fixed32: out.fixed32(UInt32(truncatingIfNeeded: v))
        case .fixed64: out.fixed64(v)
        default: out.varint(v)
        }
    }

    /// One scalar value without its tag; returns whether it is the default (zero, empty, false).
    private mutating func scalar(_ field: FieldPlan) throws(Miss) -> Bool {
        switch field.kind {
        case .string:
            guard try peek() == 0x22 else { throw Miss() }
            let s = try string()
            out.varint(UInt64(s.count))
            out.append(s)
            return s.isEmpty
        case .bytes:
            guard try peek() == 0x22 else { throw Miss() }
            let s = try string()
            let at = out.beginLength()
            guard Base64.decode(s, emit: { out.append($0) }) else { throw Miss() }
            let empty = out.count == at + 1
            out.endLength(at)
            return empty
        case .bool:
            switch try peek() {
            case UInt8(ascii: "t"): try literal("true"); out.append(1); return false
            case UInt8(ascii: "f"): try literal("false"); out.append(0); return true
            default: throw Miss()
            }
        case .enum:
            guard let type = field.enumType else { throw Miss() }
            let v: Int32
            if try peek() == 0x22 {
                guard let number = type.number(named: try string()) else { throw Miss() }
                v = number
            } else {
                v = Int32(try signed(Int64(Int32.min), Int64(Int32.max)))
            }
            out.varint(UInt64(bitPattern: Int64(v)))
            return v == 0
        case .int32, .sint32, .sfixed32:
            let v = try signed(Int64(Int32.min), Int64(Int32.max))
            writeSigned(v, field.kind)
            return v == 0
        case .int64, .sint64, .sfixed64:
            let v = try signed(Int64.min, Int64.max)
            writeSigned(v, field.kind)
            return v == 0
        case .uint32, .fixed32:
            let v = try unsigned(UInt64(UInt32.max))
            writeUnsigned(v, field.kind)
            return v == 0
        case .uint64, .fixed64:
            let v = try unsigned(UInt64.max)
            writeUnsigned(v, field.kind)
            return v == 0
        case .double:
            let d = try floating()
            out.fixed64(d.bitPattern)
            return d == 0
        case .float:
            let d = try floating()
            guard !d.isFinite || abs(d) <= Double(Float.greatestFiniteMagnitude) else { throw Miss() }
            let f = Float(d)
            out.fixed32(f.bitPattern)
            return f == 0
        case .message, .group:
            throw Miss()
        }
    }

    // MARK: Well-known types

    /// A field of a well-known type's message with its tag, left out when zero (unless as given).
    @inline(__always)
    private mutating func wellKnownField(_ plan: MessagePlan, _ number: Int32, signed v: Int64) throws(Miss) {
        guard let field = plan.field(number: number) else { throw Miss() }
        if v == 0 && !field.hasPresence && !asGiven { return }
        out.varint(UInt64(field.tag))
        writeSigned(v, field.kind)
    }

    private mutating func wellKnown(_ plan: MessagePlan) throws(Miss) {
        let c = try peek()
        switch plan.wellKnown {
        case .none:
            throw Miss()
        case .empty:
            guard c == UInt8(ascii: "{") else { throw Miss() }
            i += 1
            try expect(UInt8(ascii: "}"))
        case .timestamp, .duration:
            guard c == 0x22 else { throw Miss() }
            let text = try string()
            let parsed = plan.wellKnown == .timestamp ? Timestamps.parse(utf8: text) : Timestamps.parseDuration(utf8: text)
            guard let (seconds, nanos) = parsed else { throw Miss() }
            try wellKnownField(plan, 1, signed: seconds)
            try wellKnownField(plan, 2, signed: Int64(nanos))
        case .fieldMask:
            guard c == 0x22, let field = plan.field(number: 1) else { throw Miss() }
            let text = Self.text(try string())
            guard !text.utf8.contains(UInt8(ascii: "_")) else { throw Miss() }
            guard !text.isEmpty else { return }
            for path in text.split(separator: ",", omittingEmptySubsequences: false) {
                var converted = FieldMasks.fromJSON(String(path))
                out.varint(UInt64(field.tag))
                converted.withUTF8 { utf8 in
                    out.varint(UInt64(utf8.count))
                    out.append(utf8)
                }
            }
        case .structValue:
            guard c == UInt8(ascii: "{"), let fields = plan.field(number: 1), let entry = fields.message,
                  let keyField = entry.field(number: 1), let valueField = entry.field(number: 2),
                  let valuePlan = valueField.message else { throw Miss() }
            try enter()
            i += 1
            defer { depth -= 1 }
            if try peek() == UInt8(ascii: "}") { i += 1; return }
            repeat {
                space()
                let key = try string()
                out.varint(UInt64(fields.tag))
                let at = out.beginLength()
                out.varint(UInt64(keyField.tag))
                out.varint(UInt64(key.count))
                out.append(key)
                try expect(UInt8(ascii: ":"))
                out.varint(UInt64(valueField.tag))
                let valueAt = out.beginLength()
                try message(valuePlan)
                out.endLength(valueAt)
                out.endLength(at)
            } while try next(UInt8(ascii: "}"))
        case .listValue:
            guard c == UInt8(ascii: "["), let values = plan.field(number: 1), let valuePlan = values.message else {
                throw Miss()
            }
            try enter()
            i += 1
            defer { depth -= 1 }
            if try peek() == UInt8(ascii: "]") { i += 1; return }
            repeat {
                out.varint(UInt64(values.tag))
                let at = out.beginLength()
                try message(valuePlan)
                out.endLength(at)
            } while try next(UInt8(ascii: "]"))
        case .value:
            try kind(plan, c)
        case .any:
            try any(plan)
        default:
            // Wrappers hold their value in field 1.
            guard let field = plan.field(number: 1) else { throw Miss() }
            let start = out.count
            out.varint(UInt64(field.tag))
            let isDefault = try scalar(field)
            if isDefault && !field.hasPresence && !asGiven { out.count = start }
        }
    }

    /// `google.protobuf.Value`: the one kind the JSON value is.
    private mutating func kind(_ plan: MessagePlan, _ c: UInt8) throws(Miss) {
        let kindNumber: Int32 = switch c {
        case UInt8(ascii: "n"): 1
        case 0x22: 3
        case UInt8(ascii: "t"), UInt8(ascii: "f"): 4
        case UInt8(ascii: "{"): 5
        case UInt8(ascii: "["): 6
        default: 2
        }
        guard let field = plan.field(number: kindNumber) else { throw Miss() }
        out.varint(UInt64(field.tag))
        switch kindNumber {
        case 1:
            try literal("null")
            out.append(0)
        case 2:
            guard c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) else { throw Miss() }
            let (text, plain) = try number()
            guard let d = Self.double(text, plain: plain) else { throw Miss() }
            out.fixed64(d.bitPattern)
        case 3:
            let s = try string()
            out.varint(UInt64(s.count))
            out.append(s)
        case 4:
            _ = try scalar(field)
        default:
            guard let sub = field.message else { throw Miss() }
            let at = out.beginLength()
            try message(sub)
            out.endLength(at)
        }
    }

    /// `google.protobuf.Any`: `@type` first, then the payload's fields (or its
    /// `value` for a well-known type) written as given.
    private mutating func any(_ plan: MessagePlan) throws(Miss) {
        guard try peek() == UInt8(ascii: "{"), let urlField = plan.field(number: 1),
              let valueField = plan.field(number: 2) else { throw Miss() }
        try enter()
        i += 1
        defer { depth -= 1 }
        if try peek() == UInt8(ascii: "}") { i += 1; return }
        let key = try string()
        guard key.count == 5 && memcmp(key.baseAddress!, "@type", 5) == 0 else { throw Miss() }
        try expect(UInt8(ascii: ":"))
        guard try peek() == 0x22 else { throw Miss() }
        let url = try string()
        var nameStart = url.count
        while nameStart > 0 && url[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
        let typeName = UnsafeBufferPointer(rebasing: url[nameStart...])
        guard !typeName.isEmpty, let inner = types.plan(for: Self.text(typeName)) else { throw Miss() }
        out.varint(UInt64(urlField.tag))
        out.varint(UInt64(url.count))
        out.append(url)
        let tagAt = out.count
        out.varint(UInt64(valueField.tag))
        let at = out.beginLength()
        let outer = asGiven
        asGiven = true
        if inner.wellKnown != .none {
            var found = false
            while try next(UInt8(ascii: "}")) {
                space()
                let key = try string()
                let isValue = key.count == 5 && memcmp(key.baseAddress!, "value", 5) == 0
                try expect(UInt8(ascii: ":"))
                if isValue && !found {
                    try message(inner)
                    found = true
                } else {
                    try skipValue()  // the first "value" counts; other keys are not looked at
                }
            }
            guard found else { throw Miss() }
        } else if try next(UInt8(ascii: "}")) {
            try members(inner, anyPayload: true)
        }
        asGiven = outer
        let empty = out.count == at + 1
        out.endLength(at)
        if empty && !outer { out.count = tagAt }
    }
}
