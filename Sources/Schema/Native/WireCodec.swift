/// Why bytes are not a valid binary message.
enum WireError: Error, Equatable {
    case truncated
    case badVarint
    case badWireType(UInt8)
    case lengthPastEnd
    case fieldNumberZero
    case invalidUTF8(String)
    case tooDeep
    case unmatchedGroupEnd

    /// The words libprotobuf's validation uses, then the specific fault.
    var reason: String {
        switch self {
        case .invalidUTF8(let field): return "a string field holds invalid UTF-8 (\(field))"
        default: return "truncated or malformed wire data (\(detail))"
        }
    }

    private var detail: String {
        switch self {
        case .truncated: "ends in the middle of a field"
        case .badVarint: "malformed varint"
        case .badWireType(let t): "invalid wire type \(t)"
        case .lengthPastEnd: "a length runs past the end of the data"
        case .fieldNumberZero: "field number 0"
        case .invalidUTF8(let field): "invalid UTF-8 in \(field)"
        case .tooDeep: "nested deeper than \(WireDecoder.depthLimit) messages"
        case .unmatchedGroupEnd: "an end-group tag without a start"
        }
    }
}

/// Reads the binary wire format into ``DynamicMessage`` values.
struct WireDecoder {
    /// The nesting limit libprotobuf applies by default.
    static let depthLimit = 100

    let base: UnsafePointer<UInt8>
    var pos: Int
    var end: Int
    /// The wire type of the last tag the JSON stream printer accepted.
    var lastWireType: UInt8 = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        pos = 0
        end = buffer.count
    }

    @inline(__always)
    mutating func varint() throws(WireError) -> UInt64 {
        guard pos < end else { throw .truncated }
        let first = base[pos]
        if first < 0x80 { pos += 1; return UInt64(first) }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < end else { throw .truncated }
            let byte = base[pos]
            pos += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
            // A tenth byte ends the varint; its bits beyond 64 are dropped, as libprotobuf does.
            if shift > 63 { throw .badVarint }
        }
    }

    @inline(__always)
    mutating func fixed32() throws(WireError) -> UInt32 {
        guard end - pos >= 4 else { throw .truncated }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(base[pos + i]) << (8 * UInt32(i)) }
        pos += 4
        return v
    }

    @inline(__always)
    mutating func fixed64() throws(WireError) -> UInt64 {
        guard end - pos >= 8 else { throw .truncated }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(base[pos + i]) << (8 * UInt64(i)) }
        pos += 8
        return v
    }

    @inline(__always)
    mutating func length() throws(WireError) -> Int {
        let n = try varint()
        guard n <= UInt64(end - pos) else { throw n > UInt64(Int32.max) ? .badVarint : .lengthPastEnd }
        return Int(n)
    }

    mutating func bytes() throws(WireError) -> [UInt8] {
        let n = try length()
        defer { pos += n }
        return Array(UnsafeBufferPointer(start: base + pos, count: n))
    }

    mutating func string(_ field: FieldPlan) throws(WireError) -> String {
        let n = try length()
        defer { pos += n }
        let raw = UnsafeBufferPointer(start: base + pos, count: n)
        if field.validatesUTF8 && !UTF8Check.isValid(raw) { throw .invalidUTF8(field.name) }
        return String(decoding: raw, as: UTF8.self)
    }

    /// Skips one field whose tag was just read; returns nothing, checks everything.
    @inline(__always)
    mutating func skip(wireType: UInt8, number: UInt64, depth: Int) throws(WireError) {
        switch wireType {
        case 0: _ = try varint()
        case 2: pos += try length()
        default: try skipOther(wireType: wireType, number: number, depth: depth)
        }
    }

    /// ``skip(wireType:number:depth:)`` for the rarer wire types (not 0 or 2), out of line.
    private mutating func skipOther(wireType: UInt8, number: UInt64, depth: Int) throws(WireError) {
        switch wireType {
        case 1: guard end - pos >= 8 else { throw .truncated }; pos += 8
        case 3:
            guard depth < Self.depthLimit else { throw .tooDeep }
            while true {
                let tag = try varint()
                let t = UInt8(tag & 7)
                if t == 4 {
                    guard tag >> 3 == number else { throw .unmatchedGroupEnd }
                    return
                }
                guard tag >> 3 != 0 else { throw .fieldNumberZero }
                try skip(wireType: t, number: tag >> 3, depth: depth + 1)
            }
        case 5: guard end - pos >= 4 else { throw .truncated }; pos += 4
        case 4: throw .unmatchedGroupEnd
        default: throw .badWireType(wireType)
        }
    }

    @inline(__always)
    mutating func scalar(_ field: FieldPlan) throws(WireError) -> ProtoValue {
        switch field.kind {
        case .int32: return .int32(Int32(truncatingIfNeeded: try varint()))
        case .int64: return .int64(Int64(bitPattern: try varint()))
        case .uint32: return .uint32(UInt32(truncatingIfNeeded: try varint()))
        case .uint64: return .uint64(try varint())
        case .sint32:
            let v = UInt32(truncatingIfNeeded: try varint())
            return .int32(Int32(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
        case .sint64:
            let v = try varint()
            return .int64(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
        case .bool: return .bool(try varint() != 0)
        case .enum: return .enumNumber(Int32(truncatingIfNeeded: try varint()))
        case .fixed32: return .uint32(try fixed32())
        case .sfixed32: return .int32(Int32(bitPattern: try fixed32()))
        case .float: return .float(Float(bitPattern: try fixed32()))
        case .fixed64: return .uint64(try fixed64())
        case .sfixed64: return .int64(Int64(bitPattern: try fixed64()))
        case .double: return .double(Double(bitPattern: try fixed64()))
        case .string: return .string(try string(field))
        case .bytes: return .bytes(try bytes())
        case .message, .group: preconditionFailure("messages are read by readMessage")
        }
    }

    /// Reads fields until `limit` (or an end-group tag of `group`) into `message`.
    mutating func readMessage(into message: inout DynamicMessage, limit: Int, group: UInt64?, depth: Int) throws(WireError) {
        let plan = message.plan
        let savedEnd = end
        end = limit
        defer { end = savedEnd }
        while pos < end {
            let tagStart = pos
            let tag = try varint()
            let wireType = UInt8(tag & 7)
            let number = tag >> 3
            if wireType == 4 {
                guard let group, number == group else { throw .unmatchedGroupEnd }
                return
            }
            guard number != 0 else { throw .fieldNumberZero }
            guard number <= UInt64(Int32.max), let field = plan.field(number: Int32(number)) else {
                try skip(wireType: wireType, number: number, depth: depth)
                message.unknownFields.append(contentsOf: UnsafeBufferPointer(start: base + tagStart, count: pos - tagStart))
                continue
            }
            let expected = field.kind.wireType
            if field.isRepeated && wireType == 2 && field.kind.isPackable {
                let n = try length()
                let stop = pos + n
                let slot = slotIndex(&message, field)
                let saved = end
                end = stop
                while pos < stop {
                    message.entries[slot].value.append(try scalar(field))
                }
                end = saved
                continue
            }
            guard wireType == expected else {
                try skip(wireType: wireType, number: number, depth: depth)
                message.unknownFields.append(contentsOf: UnsafeBufferPointer(start: base + tagStart, count: pos - tagStart))
                continue
            }
            switch field.kind {
            case .message, .group:
                guard depth < Self.depthLimit else { throw .tooDeep }
                guard let sub = field.message else {
                    try skip(wireType: wireType, number: number, depth: depth)
                    continue
                }
                let stop: Int
                let groupNumber: UInt64?
                if field.kind == .group { stop = end; groupNumber = number } else {
                    let n = try length()  // read before `pos`: the length moves it
                    stop = pos + n
                    groupNumber = nil
                }
                if field.isMap {
                    var entry = DynamicMessage(plan: sub)
                    try readMessage(into: &entry, limit: stop, group: groupNumber, depth: depth + 1)
                    let key = entry[number: 1] ?? sub.field(number: 1).map(Self.defaultValue) ?? .string("")
                    let value = entry[number: 2] ?? sub.field(number: 2).map(Self.defaultValue) ?? .string("")
                    let slot = mapSlot(&message, field)
                    message.entries[slot].value.appendEntry(ProtoValue.MapEntry(key: key, value: value))
                } else if field.isRepeated {
                    var child = DynamicMessage(plan: sub)
                    try readMessage(into: &child, limit: stop, group: groupNumber, depth: depth + 1)
                    message.entries[slotIndex(&message, field)].value.append(.message(child))
                } else {
                    // A singular message seen twice is merged, as protobuf does.
                    var child = message[number: field.number]?.messageValue ?? DynamicMessage(plan: sub)
                    try readMessage(into: &child, limit: stop, group: groupNumber, depth: depth + 1)
                    message.set(field, .message(child))
                }
                if field.kind == .message { pos = stop }
            default:
                let value = try scalar(field)
                if field.isRepeated { message.entries[slotIndex(&message, field)].value.append(value) }
                else { message.set(field, value) }
            }
        }
        if group != nil { throw .truncated }
    }

    /// The entry of a repeated field, created empty when absent.
    @inline(__always)
    private func slotIndex(_ message: inout DynamicMessage, _ field: FieldPlan) -> Int {
        if let last = message.entries.indices.last, message.entries[last].field === field { return last }
        if let i = message.index(of: field.number) { return i }
        message.entries.append(.init(field: field, value: .list([])))
        return message.entries.count - 1
    }

    private func mapSlot(_ message: inout DynamicMessage, _ field: FieldPlan) -> Int {
        if let i = message.index(of: field.number) { return i }
        message.entries.append(.init(field: field, value: .map([])))
        return message.entries.count - 1
    }

    /// The value a field has when it is not set.
    static func defaultValue(_ field: FieldPlan) -> ProtoValue {
        switch field.kind {
        case .int32, .sint32, .sfixed32: .int32(0)
        case .int64, .sint64, .sfixed64: .int64(0)
        case .uint32, .fixed32: .uint32(0)
        case .uint64, .fixed64: .uint64(0)
        case .float: .float(0)
        case .double: .double(0)
        case .bool: .bool(false)
        case .string: .string("")
        case .bytes: .bytes([])
        case .enum: .enumNumber(field.enumType?.defaultNumber ?? 0)
        case .message, .group: field.message.map { .message(DynamicMessage(plan: $0)) } ?? .bytes([])
        }
    }
}

/// Base-128 varints as the wire format writes them, for both wire writers.
enum Varint {
    /// How many bytes `value` takes.
    @inline(__always)
    static func size(_ value: UInt64) -> Int {
        var size = 1
        var v = value
        while v >= 0x80 { size += 1; v >>= 7 }
        return size
    }

    /// Writes `value` at `p` (room for ``size(_:)`` bytes); returns how many bytes it took.
    @inline(__always)
    static func write(_ value: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var v = value
        var k = 0
        while v >= 0x80 {
            p[k] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            k += 1
        }
        p[k] = UInt8(v)
        return k + 1
    }
}

/// Writes ``DynamicMessage`` values in the binary wire format: fields in number
/// order, packed where the schema packs, then the unknown bytes.
struct WireEncoder {
    var out: [UInt8] = []
    /// Writes fields as given: in their order, defaults included, nothing packed
    /// (what libprotobuf's JSON converter puts inside an `Any`).
    var asGiven = false

    init(capacity: Int = 256) { out.reserveCapacity(capacity) }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        let at = out.count
        out.append(contentsOf: repeatElement(0, count: Varint.size(value)))
        out.withUnsafeMutableBufferPointer { _ = Varint.write(value, to: $0.baseAddress! + at) }
    }

    @inline(__always)
    mutating func fixed32(_ v: UInt32) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    @inline(__always)
    mutating func fixed64(_ v: UInt64) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    /// Writes a length-delimited body produced by `body`, shifting it when the
    /// length takes more than one byte.
    @inline(__always)
    mutating func delimited(_ body: (inout WireEncoder) -> Void) {
        let lengthAt = out.count
        out.append(0)
        body(&self)
        let length = out.count - lengthAt - 1
        if length < 0x80 {
            out[lengthAt] = UInt8(length)
            return
        }
        // Make room for the longer varint, then write it in place.
        out.insert(contentsOf: repeatElement(0, count: Varint.size(UInt64(length)) - 1), at: lengthAt + 1)
        out.withUnsafeMutableBufferPointer { _ = Varint.write(UInt64(length), to: $0.baseAddress! + lengthAt) }
    }

    mutating func message(_ message: DynamicMessage) {
        let entries = message.entries
        if asGiven {
            for entry in entries { field(entry.field, entry.value) }
        } else if entries.count == 1 {
            field(entries[0].field, entries[0].value)
        } else if !entries.isEmpty {
            var sorted = true
            for i in 1..<entries.count where entries[i - 1].field.number >= entries[i].field.number { sorted = false; break }
            if sorted {
                for entry in entries { field(entry.field, entry.value) }
            } else {
                for entry in entries.sorted(by: { $0.field.number < $1.field.number }) { field(entry.field, entry.value) }
            }
        }
        out.append(contentsOf: message.unknownFields)
    }

    mutating func field(_ field: FieldPlan, _ value: ProtoValue) {
        switch value {
        case .list(let items):
            if items.isEmpty { return }
            if field.isPacked && !asGiven {
                varint(UInt64(field.packedTag))
                delimited { e in for item in items { e.scalar(field, item) } }
            } else {
                for item in items { single(field, item) }
            }
        case .map(let entries):
            guard let entryPlan = field.message, let keyField = entryPlan.field(number: 1),
                  let valueField = entryPlan.field(number: 2) else { return }
            for entry in entries {
                varint(UInt64(field.tag))
                delimited { e in
                    // Both always, as libprotobuf writes map entries.
                    e.single(keyField, entry.key)
                    e.single(valueField, entry.value)
                }
            }
        default:
            if !field.hasPresence && value.isDefault && !asGiven { return }
            single(field, value)
        }
    }

    /// One value with its tag.
    @inline(__always)
    mutating func single(_ field: FieldPlan, _ value: ProtoValue) {
        switch value {
        case .message(let m):
            if field.kind == .group {
                varint(UInt64(field.tag))
                message(m)
                varint(UInt64(UInt32(bitPattern: field.number) << 3 | 4))
            } else {
                varint(UInt64(field.tag))
                delimited { e in e.message(m) }
            }
        default:
            varint(UInt64(field.tag))
            scalar(field, value)
        }
    }

    /// One value without a tag.
    @inline(__always)
    mutating func scalar(_ field: FieldPlan, _ value: ProtoValue) {
        switch (field.kind, value) {
        case (.sint32, .int32(let v)): varint(UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31))))
        case (.sint64, .int64(let v)): varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        case (.sfixed32, .int32(let v)): fixed32(UInt32(bitPattern: v))
        case (.sfixed64, .int64(let v)): fixed64(UInt64(bitPattern: v))
        case (_, .int32(let v)): varint(UInt64(bitPattern: Int64(v)))
        case (_, .enumNumber(let v)): varint(UInt64(bitPattern: Int64(v)))
        case (.fixed32, .uint32(let v)): fixed32(v)
        case (_, .uint32(let v)): varint(UInt64(v))
        case (.fixed64, .uint64(let v)): fixed64(v)
        case (_, .uint64(let v)): varint(v)
        case (_, .int64(let v)): varint(UInt64(bitPattern: v))
        case (_, .bool(let v)): out.append(v ? 1 : 0)
        case (_, .float(let v)): fixed32(v.bitPattern)
        case (_, .double(let v)): fixed64(v.bitPattern)
        case (_, .string(let s)):
            var s = s
            s.withUTF8 { utf8 in
                varint(UInt64(utf8.count))
                out.append(contentsOf: utf8)
            }
        case (_, .bytes(let b)):
            varint(UInt64(b.count))
            out.append(contentsOf: b)
        case (_, .message(let m)): delimited { e in e.message(m) }
        case (_, .list), (_, .map): break
        }
    }
}

extension ProtoValue {
    /// Zero, empty or false: what proto3 leaves off the wire.
    var isDefault: Bool {
        switch self {
        case .int32(let v): v == 0
        case .int64(let v): v == 0
        case .uint32(let v): v == 0
        case .uint64(let v): v == 0
        case .float(let v): v == 0  // -0.0 too, as libprotobuf 3.21 decides presence
        case .double(let v): v == 0
        case .bool(let v): !v
        case .string(let s): s.isEmpty
        case .bytes(let b): b.isEmpty
        case .enumNumber(let v): v == 0
        case .message: false
        case .list(let l): l.isEmpty
        case .map(let m): m.isEmpty
        }
    }
}

/// A UTF-8 check without the generic overhead of `String(validating:)`.
enum UTF8Check {
    static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        guard let base = b.baseAddress else { return true }
        while i < n {
            // Eight ASCII bytes at a time.
            if i + 8 <= n && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var min: UInt32 = 0
            var v: UInt32
            if c & 0xe0 == 0xc0 { need = 1; min = 0x80; v = UInt32(c & 0x1f) }
            else if c & 0xf0 == 0xe0 { need = 2; min = 0x800; v = UInt32(c & 0x0f) }
            else if c & 0xf8 == 0xf0 { need = 3; min = 0x10000; v = UInt32(c & 0x07) }
            else { return false }
            guard i + need < n else { return false }
            for k in 1...need {
                let d = b[i + k]
                guard d & 0xc0 == 0x80 else { return false }
                v = v << 6 | UInt32(d & 0x3f)
            }
            guard v >= min, v <= 0x10ffff, !(0xd800...0xdfff).contains(v) else { return false }
            i += need + 1
        }
        return true
    }
}
