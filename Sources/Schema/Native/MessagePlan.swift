import Foundation
import Synchronization
import SwiftProtobuf

/// The shape of a field, as the wire and JSON codecs need it.
public enum FieldKind: UInt8, Sendable, Hashable {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes
    case uint32, `enum`, sfixed32, sfixed64, sint32, sint64

    init(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) {
        switch type {
        case .double: self = .double
        case .float: self = .float
        case .int64: self = .int64
        case .uint64: self = .uint64
        case .int32: self = .int32
        case .fixed64: self = .fixed64
        case .fixed32: self = .fixed32
        case .bool: self = .bool
        case .string: self = .string
        case .group: self = .group
        case .message: self = .message
        case .bytes: self = .bytes
        case .uint32: self = .uint32
        case .enum: self = .enum
        case .sfixed32: self = .sfixed32
        case .sfixed64: self = .sfixed64
        case .sint32: self = .sint32
        case .sint64: self = .sint64
        }
    }

    /// The wire type of one value of this kind (unpacked).
    var wireType: UInt8 {
        switch self {
        case .double, .fixed64, .sfixed64: 1
        case .float, .fixed32, .sfixed32: 5
        case .string, .bytes, .message: 2
        case .group: 3
        default: 0
        }
    }

    /// Scalars that may be packed.
    var isPackable: Bool { wireType != 2 && self != .group }
}

/// Which well-known type a message is, for its special JSON form.
enum WellKnown: UInt8, Sendable {
    case none, any, timestamp, duration, fieldMask, structValue, value, listValue, empty
    case doubleValue, floatValue, int64Value, uint64Value, int32Value, uint32Value, boolValue, stringValue, bytesValue

    init(fullName: String) {
        switch fullName {
        case "google.protobuf.Any": self = .any
        case "google.protobuf.Timestamp": self = .timestamp
        case "google.protobuf.Duration": self = .duration
        case "google.protobuf.FieldMask": self = .fieldMask
        case "google.protobuf.Struct": self = .structValue
        case "google.protobuf.Value": self = .value
        case "google.protobuf.ListValue": self = .listValue
        case "google.protobuf.Empty": self = .empty
        case "google.protobuf.DoubleValue": self = .doubleValue
        case "google.protobuf.FloatValue": self = .floatValue
        case "google.protobuf.Int64Value": self = .int64Value
        case "google.protobuf.UInt64Value": self = .uint64Value
        case "google.protobuf.Int32Value": self = .int32Value
        case "google.protobuf.UInt32Value": self = .uint32Value
        case "google.protobuf.BoolValue": self = .boolValue
        case "google.protobuf.StringValue": self = .stringValue
        case "google.protobuf.BytesValue": self = .bytesValue
        default: self = .none
        }
    }

    var isWrapper: Bool { rawValue >= WellKnown.doubleValue.rawValue }
}

/// An enum type: names by number and numbers by name.
public final class EnumPlan: @unchecked Sendable {
    public let fullName: String
    let names: [(name: String, number: Int32)]
    let byName: [String: Int32]
    let byNumber: [Int32: String]
    let isClosed: Bool
    /// `google.protobuf.NullValue`, which JSON writes as `null`.
    let isNullValue: Bool

    init(fullName: String, proto: Google_Protobuf_EnumDescriptorProto, isClosed: Bool) {
        self.fullName = fullName
        names = proto.value.map { ($0.name, $0.number) }
        var byName: [String: Int32] = [:]
        var byNumber: [Int32: String] = [:]
        for value in proto.value {
            byName[value.name] = value.number
            if byNumber[value.number] == nil { byNumber[value.number] = value.name }
        }
        self.byName = byName
        self.byNumber = byNumber
        self.isClosed = isClosed
        isNullValue = fullName == "google.protobuf.NullValue"
    }

    /// The number of the first declared value, the enum's default.
    var defaultNumber: Int32 { names.first?.number ?? 0 }

    /// The name of a number (as ``byNumber``: the first declared).
    func name(of number: Int32) -> String? {
        if names.count > 24 { return byNumber[number] }
        for entry in names where entry.number == number { return entry.name }
        return nil
    }

    /// The number of the value named by UTF-8 bytes (as ``byName``), without making a String.
    func number(named name: UnsafeBufferPointer<UInt8>) -> Int32? {
        if names.count > 24 { return byName[String(decoding: name, as: UTF8.self)] }
        for (candidate, number) in names {
            var candidate = candidate
            let equal = candidate.withUTF8 { utf8 in
                utf8.count == name.count && (utf8.isEmpty || memcmp(utf8.baseAddress!, name.baseAddress!, utf8.count) == 0)
            }
            if equal { return number }
        }
        return nil
    }
}

/// One field of a ``MessagePlan``.
public final class FieldPlan: @unchecked Sendable {
    public let name: String
    public let jsonName: String
    public let number: Int32
    public let kind: FieldKind
    public let isRepeated: Bool
    /// Written packed (read either way).
    let isPacked: Bool
    /// A map field: `message` is the entry plan, fields 1 (key) and 2 (value).
    public let isMap: Bool
    /// Index into ``MessagePlan/oneofs`` for a real (not synthetic) oneof.
    let oneof: Int?
    /// Has explicit presence (proto3 `optional`, oneof members, proto2 singular).
    let hasPresence: Bool
    /// Strings checked for UTF-8 on decode (proto3).
    let validatesUTF8: Bool
    /// A proto3 `optional` scalar (its oneof is synthetic).
    let isSyntheticOptional: Bool
    let typeName: String
    /// Set when the plan cache links the plans.
    @exclusivity(unchecked) public internal(set) var message: MessagePlan? {
        didSet { messageRef = message.map { Unmanaged.passUnretained($0) } }
    }
    /// `message` read without reference counting (the field keeps the plan alive).
    @exclusivity(unchecked) private(set) var messageRef: Unmanaged<MessagePlan>?
    @exclusivity(unchecked) public internal(set) var enumType: EnumPlan?
    /// `"jsonName"` and `"name"` as JSON text, when no character needs escaping.
    let quotedJSONName: [UInt8]?
    let quotedName: [UInt8]?
    /// The same bytes where no reference counting is needed to read them (the
    /// streamed printer's loop); empty when nil.
    let quotedJSONNameText: UnsafeBufferPointer<UInt8>
    let quotedNameText: UnsafeBufferPointer<UInt8>
    /// The tag bytes of one value (unpacked) and of a packed run.
    let tag: UInt32
    let packedTag: UInt32

    init(_ proto: Google_Protobuf_FieldDescriptorProto, syntax3: Bool, oneofIsSynthetic: [Bool]) {
        name = proto.name
        jsonName = proto.hasJsonName ? proto.jsonName : Self.lowerCamel(proto.name)
        number = proto.number
        kind = FieldKind(proto.type)
        isRepeated = proto.label == .repeated
        let packable = isRepeated && kind.isPackable
        if proto.options.hasPacked { isPacked = packable && proto.options.packed } else { isPacked = packable && syntax3 }
        isMap = false
        if proto.hasOneofIndex, !oneofIsSynthetic[Int(proto.oneofIndex)] { oneof = Int(proto.oneofIndex) } else { oneof = nil }
        hasPresence = !isRepeated && (proto.hasOneofIndex || !syntax3 || kind == .message || kind == .group)
        validatesUTF8 = syntax3 && kind == .string
        isSyntheticOptional = proto.proto3Optional
        typeName = proto.typeName.hasPrefix(".") ? String(proto.typeName.dropFirst()) : proto.typeName
        tag = UInt32(bitPattern: proto.number) << 3 | UInt32(kind.wireType)
        packedTag = UInt32(bitPattern: proto.number) << 3 | 2
        quotedJSONName = Self.quotedIfPlain(jsonName)
        quotedName = Self.quotedIfPlain(name)
        quotedJSONNameText = Self.text(quotedJSONName)
        quotedNameText = Self.text(quotedName)
    }

    deinit {
        quotedJSONNameText.deallocate()
        quotedNameText.deallocate()
    }

    private static func text(_ bytes: [UInt8]?) -> UnsafeBufferPointer<UInt8> {
        guard let bytes, !bytes.isEmpty else { return UnsafeBufferPointer(start: nil, count: 0) }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = copy.initialize(from: bytes)
        return UnsafeBufferPointer(copy)
    }

    private static func quotedIfPlain(_ s: String) -> [UInt8]? {
        let plain = s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == 0x5f }
        return plain ? [0x22] + Array(s.utf8) + [0x22] : nil
    }

    private init(copying other: FieldPlan, isMap: Bool) {
        name = other.name; jsonName = other.jsonName; number = other.number; kind = other.kind
        isRepeated = other.isRepeated; isPacked = other.isPacked; self.isMap = isMap; oneof = other.oneof
        hasPresence = other.hasPresence; validatesUTF8 = other.validatesUTF8
        isSyntheticOptional = other.isSyntheticOptional; typeName = other.typeName
        tag = other.tag; packedTag = other.packedTag
        quotedJSONName = other.quotedJSONName; quotedName = other.quotedName
        quotedJSONNameText = Self.text(quotedJSONName)
        quotedNameText = Self.text(quotedName)
    }

    func asMap() -> FieldPlan { FieldPlan(copying: self, isMap: true) }

    /// protoc's default `json_name`: underscores dropped, the next letter upper-cased.
    static func lowerCamel(_ name: String) -> String {
        var out = ""
        var upper = false
        for c in name {
            if c == "_" { upper = true; continue }
            if upper { out += c.uppercased(); upper = false } else { out.append(c) }
        }
        return out
    }
}

/// A compiled message type: its fields by number and by JSON name.
public final class MessagePlan: @unchecked Sendable {
    public let fullName: String
    @exclusivity(unchecked) public internal(set) var fields: [FieldPlan] = []
    let wellKnown: WellKnown
    let isMapEntry: Bool
    /// Declared in a proto3 file (no proto2 defaults to print).
    @exclusivity(unchecked) var syntax3 = true
    @exclusivity(unchecked) var oneofNames: [String] = []
    // Set once while the plan cache builds the plan (under its lock), read-only
    // afterwards: no run-time exclusivity checks on the hot paths.
    /// Fields by number: a dense table for small numbers, a dictionary otherwise.
    @exclusivity(unchecked) private var dense: [FieldPlan?] = []
    /// `dense` read without reference counting (the array keeps the fields alive).
    @exclusivity(unchecked) private var denseRefs: UnsafeMutablePointer<Unmanaged<FieldPlan>?>?
    @exclusivity(unchecked) private var denseRefCount = 0
    @exclusivity(unchecked) private var sparse: [Int32: FieldPlan] = [:]
    @exclusivity(unchecked) private var byName: [String: FieldPlan] = [:]
    /// Fields sorted by number: the order of canonical binary output.
    @exclusivity(unchecked) var byNumberOrder: [FieldPlan] = []
    /// Every key of `byName` as UTF-8 bytes in one block, in declaration order
    /// (a field's JSON name, then its `.proto` name), for lookups straight from
    /// JSON text.
    /// (Raw memory, read without reference counting; the fields are kept alive by `fields`.)
    @exclusivity(unchecked) private var keyBytes: UnsafeMutablePointer<UInt8>?
    @exclusivity(unchecked) private var keys: UnsafeMutablePointer<Key>?
    @exclusivity(unchecked) private var keyCount = 0

    struct Key {
        let start: Int32
        let count: Int32
        let field: Unmanaged<FieldPlan>
    }

    init(fullName: String, isMapEntry: Bool) {
        self.fullName = fullName
        self.isMapEntry = isMapEntry
        wellKnown = WellKnown(fullName: fullName)
    }

    deinit {
        denseRefs?.deallocate()
        keys?.deallocate()
        keyBytes?.deallocate()
    }

    func install(_ fields: [FieldPlan], oneofNames: [String]) {
        self.fields = fields
        self.oneofNames = oneofNames
        let maxDense = fields.map(\.number).filter { $0 < 256 }.max() ?? 0
        dense = Array(repeating: nil, count: Int(maxDense) + 1)
        for field in fields {
            if field.number >= 0 && field.number < 256 { dense[Int(field.number)] = field } else { sparse[field.number] = field }
            byName[field.name] = field
        }
        for field in fields where byName[field.jsonName] == nil || byName[field.jsonName]!.name != field.jsonName {
            if byName[field.jsonName] == nil { byName[field.jsonName] = field }
        }
        byNumberOrder = fields.sorted { $0.number < $1.number }
        let refs = UnsafeMutablePointer<Unmanaged<FieldPlan>?>.allocate(capacity: dense.count)
        for (k, field) in dense.enumerated() { (refs + k).initialize(to: field.map { Unmanaged.passUnretained($0) }) }
        denseRefs = refs
        denseRefCount = dense.count
        var seen: Set<String> = []
        var keyList: [Key] = []
        var bytes: [UInt8] = []
        for field in fields {
            for name in [field.jsonName, field.name] where seen.insert(name).inserted {
                guard let target = byName[name] else { continue }
                keyList.append(Key(start: Int32(bytes.count), count: Int32(name.utf8.count), field: .passUnretained(target)))
                bytes.append(contentsOf: name.utf8)
            }
        }
        let keyStorage = UnsafeMutablePointer<Key>.allocate(capacity: max(keyList.count, 1))
        keyStorage.initialize(from: keyList, count: keyList.count)
        let byteStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        byteStorage.initialize(from: bytes, count: bytes.count)
        keys = keyStorage
        keyBytes = byteStorage
        keyCount = keyList.count
    }

    /// The field with this number, if the type declares one.
    @inline(__always)
    public func field(number: Int32) -> FieldPlan? {
        if number >= 0 && Int(number) < dense.count { return dense[Int(number)] }
        return sparse[number]
    }

    /// ``field(number:)`` without reference counting: for loops that borrow the
    /// field (`_withUnsafeGuaranteedRef`) while the plan keeps it alive.
    @inline(__always)
    func fieldRef(number: Int32) -> Unmanaged<FieldPlan>? {
        if number >= 0 && Int(number) < denseRefCount { return denseRefs![Int(number)] }
        return sparse[number].map { Unmanaged.passUnretained($0) }
    }

    /// The field with this JSON name or `.proto` name.
    public func field(named name: String) -> FieldPlan? { byName[name] }

    /// Whether `count` bytes at `a` equal `key`; word by word (keys are short).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let b = key.baseAddress else { return true }
        var k = 0
        let n = key.count
        while k + 8 <= n {
            guard UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self)
            else { return false }
            k += 8
        }
        while k < n {
            guard a[k] == b[k] else { return false }
            k += 1
        }
        return true
    }

    /// The field a JSON key names (as ``field(named:)``), straight from the key's
    /// UTF-8 bytes. The search starts at `hint` (where the key after the last
    /// one found usually is) and leaves there the place after this key.
    ///
    /// The field comes unretained: the plan keeps it alive, borrow it with
    /// `_withUnsafeGuaranteedRef`.
    @inline(__always)
    func field(jsonKey key: UnsafeBufferPointer<UInt8>, hint: inout Int) -> Unmanaged<FieldPlan>? {
        let count = keyCount
        guard count > 0, let keys, let bytes = keyBytes else { return nil }
        var k = hint < count ? hint : 0
        for _ in 0..<count {
            let entry = keys[k]
            k += 1
            if Int(entry.count) == key.count && Self.equal(bytes + Int(entry.start), key) {
                hint = k
                return entry.field
            }
            if k == count { k = 0 }
        }
        return nil
    }
}

/// Builds message plans from a pool's file descriptors on first use and keeps
/// them for the pool's lifetime.
final class PlanCache: @unchecked Sendable {
    private struct Entry {
        var proto: Google_Protobuf_DescriptorProto
        var syntax3: Bool
    }
    @exclusivity(unchecked) private var messages: [String: Entry] = [:]
    @exclusivity(unchecked) private var enums: [String: (Google_Protobuf_EnumDescriptorProto, Bool)] = [:]
    @exclusivity(unchecked) private var plans: [String: MessagePlan] = [:]
    @exclusivity(unchecked) private var enumPlans: [String: EnumPlan] = [:]
    /// Guards every property (so no run-time exclusivity checks on them).
    private let lock = Mutex(())
    /// The plans asked for last, as asked for: callers converting many messages
    /// ask for the same few types, and comparing names costs less than hashing them.
    @exclusivity(unchecked) private var recent: [(name: String, plan: MessagePlan)] = []

    init(files: [Google_Protobuf_FileDescriptorProto]) {
        for file in files {
            let syntax3 = file.syntax == "proto3"
            let prefix = file.package.isEmpty ? "" : file.package + "."
            for message in file.messageType { index(message, prefix: prefix, syntax3: syntax3) }
            for e in file.enumType { enums[prefix + e.name] = (e, syntax3) }
        }
    }

    private func index(_ message: Google_Protobuf_DescriptorProto, prefix: String, syntax3: Bool) {
        let name = prefix + message.name
        messages[name] = Entry(proto: message, syntax3: syntax3)
        for nested in message.nestedType { index(nested, prefix: name + ".", syntax3: syntax3) }
        for e in message.enumType { enums[name + "." + e.name] = (e, syntax3) }
    }

    /// The plan of a message type (without a leading dot), or nil when unknown.
    func plan(for typeName: String) -> MessagePlan? {
        lock.withLock { _ in lockedPlan(for: typeName) }
    }

    private func lockedPlan(for typeName: String) -> MessagePlan? {
        for entry in recent where entry.name == typeName { return entry.plan }
        let name = typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName
        guard let plan = plans[name] ?? build(name) else { return nil }
        if recent.count == 4 { recent.removeFirst() }
        recent.append((typeName, plan))
        return plan
    }

    /// ``plan(for:)`` of a name in UTF-8 bytes (an `Any`'s type URL), without
    /// making a String when the type was asked for lately.
    func plan(named name: UnsafeBufferPointer<UInt8>) -> MessagePlan? {
        let known = lock.withLock { _ -> MessagePlan? in
            for entry in recent {
                var known = entry.name
                let equal = known.withUTF8 { utf8 in
                    utf8.count == name.count && (utf8.isEmpty || memcmp(utf8.baseAddress!, name.baseAddress!, utf8.count) == 0)
                }
                if equal { return entry.plan }
            }
            return nil
        }
        return known ?? plan(for: String(decoding: name, as: UTF8.self))
    }

    private func build(_ name: String) -> MessagePlan? {
        if let plan = plans[name] { return plan }
        guard let entry = messages[name] else { return nil }
        let plan = MessagePlan(fullName: name, isMapEntry: entry.proto.options.mapEntry)
        plans[name] = plan
        plan.syntax3 = entry.syntax3
        let synthetic = entry.proto.oneofDecl.indices.map { index in
            entry.proto.field.contains { $0.hasOneofIndex && $0.oneofIndex == index && $0.proto3Optional }
        }
        var fields: [FieldPlan] = []
        for proto in entry.proto.field {
            var field = FieldPlan(proto, syntax3: entry.syntax3, oneofIsSynthetic: synthetic)
            if field.kind == .message || field.kind == .group {
                let target = build(field.typeName)
                if field.isRepeated, let target, target.isMapEntry {
                    field = field.asMap()
                }
                field.message = target
            } else if field.kind == .enum {
                field.enumType = enumPlan(field.typeName)
            }
            fields.append(field)
        }
        plan.install(fields, oneofNames: entry.proto.oneofDecl.map(\.name))
        return plan
    }

    private func enumPlan(_ name: String) -> EnumPlan? {
        if let plan = enumPlans[name] { return plan }
        guard let (proto, syntax3) = enums[name] else { return nil }
        let plan = EnumPlan(fullName: name, proto: proto, isClosed: !syntax3)
        enumPlans[name] = plan
        return plan
    }

    /// The plan of an enum type.
    func enumType(_ typeName: String) -> EnumPlan? {
        lock.withLock { _ in enumPlan(typeName) }
    }
}
