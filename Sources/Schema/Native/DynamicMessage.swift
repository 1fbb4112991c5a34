/// One value of a field in a ``DynamicMessage``.
///
/// Integers keep their declared width; enums hold their number; `list` holds a
/// repeated field's values; `map` holds a map field's entries in order.
public enum ProtoValue: Sendable, Equatable {
    case int32(Int32)
    case int64(Int64)
    case uint32(UInt32)
    case uint64(UInt64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    case enumNumber(Int32)
    case message(DynamicMessage)
    case list([ProtoValue])
    case map([MapEntry])

    /// One entry of a map field.
    public struct MapEntry: Sendable, Equatable {
        public var key: ProtoValue
        public var value: ProtoValue
        public init(key: ProtoValue, value: ProtoValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value as a string, when it is one.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The value as a message, when it is one.
    public var messageValue: DynamicMessage? { if case .message(let m) = self { m } else { nil } }

    /// Appends to a list without copying its storage.
    mutating func append(_ element: ProtoValue) {
        guard case .list(var items) = self else { self = .list([element]); return }
        self = .bool(false)
        items.append(element)
        self = .list(items)
    }

    mutating func appendEntry(_ entry: MapEntry) {
        guard case .map(var entries) = self else { self = .map([entry]); return }
        self = .bool(false)
        entries.append(entry)
        self = .map(entries)
    }
}

/// A message of a type known only at run time: a tree of field values keyed by
/// field number, in the order they were set or read, plus the bytes of fields
/// the schema does not declare (kept for binary round trips).
///
/// Built by ``SchemaPool/decode(_:messageType:)`` or
/// ``SchemaPool/parseJSON(_:messageType:options:)``, or empty from
/// ``SchemaPool/makeMessage(_:)``; read and changed by field name paths
/// (`"nested.label"`, `"items[0].label"`), compared with `==` (order of
/// fields does not matter), written back with ``SchemaPool/encode(_:)`` or
/// ``SchemaPool/json(_:options:)``.
public struct DynamicMessage: Sendable, Equatable {
    public let plan: MessagePlan
    var entries: [Entry]
    /// Wire bytes of fields the type does not declare.
    public var unknownFields: [UInt8]

    struct Entry: Sendable {
        let field: FieldPlan
        var value: ProtoValue
    }

    init(plan: MessagePlan) {
        self.plan = plan
        entries = []
        entries.reserveCapacity(min(plan.fields.count, 16))
        unknownFields = []
    }

    /// The fully qualified type name.
    public var typeName: String { plan.fullName }

    /// The fields that are set, in the order they were set or read.
    public var fields: [(field: FieldPlan, value: ProtoValue)] { entries.map { ($0.field, $0.value) } }

    /// Whether no field is set and no unknown bytes are kept.
    public var isEmpty: Bool { entries.isEmpty && unknownFields.isEmpty }

    @inline(__always)
    func index(of number: Int32) -> Int? {
        for i in entries.indices where entries[i].field.number == number { return i }
        return nil
    }

    /// The value of a field of this message by number, when set.
    public subscript(number number: Int32) -> ProtoValue? {
        get { index(of: number).map { entries[$0].value } }
    }

    /// Sets a field of this message, clearing the other members of its oneof.
    mutating func set(_ field: FieldPlan, _ value: ProtoValue) {
        if let oneof = field.oneof {
            entries.removeAll { $0.field.oneof == oneof && $0.field.number != field.number }
        }
        if let i = index(of: field.number) { entries[i].value = value } else { entries.append(Entry(field: field, value: value)) }
    }

    /// Removes a field of this message.
    public mutating func clear(number: Int32) {
        entries.removeAll { $0.field.number == number }
    }

    // MARK: Paths

    /// The value at a path of field names (`.proto` or JSON names) and list
    /// indices (`items[2].label`), or nil when some part is not set.
    public func value(at path: String) throws -> ProtoValue? {
        var current = ProtoValue.message(self)
        for step in try FieldPath.parse(path) {
            switch (step, current) {
            case (.field(let name), .message(let message)):
                guard let field = message.plan.field(named: name) else { throw FieldPath.unknown(name, in: message.plan) }
                guard let value = message[number: field.number] else { return nil }
                current = value
            case (.index(let i), .list(let items)):
                guard i < items.count else { return nil }
                current = items[i]
            case (.key(let key), .map(let entries)):
                guard let entry = entries.last(where: { $0.key.keyText == key }) else { return nil }
                current = entry.value
            default:
                throw SchemaError(code: .invalidJSON, message: "path \"\(path)\" does not fit \(plan.fullName)", path: path)
            }
        }
        return current
    }

    /// Sets the value at a path of field names; missing messages on the way
    /// are created. The value must have the field's kind (`.int32` for an
    /// `int32` field, `.list` for a repeated one, and so on).
    public mutating func set(_ value: ProtoValue, at path: String) throws {
        let steps = try FieldPath.parse(path)
        try Self.set(value, steps: steps[...], in: &self, path: path)
    }

    private static func set(_ value: ProtoValue, steps: ArraySlice<FieldPath.Step>, in message: inout DynamicMessage, path: String) throws {
        guard case .field(let name) = steps.first else {
            throw SchemaError(code: .invalidJSON, message: "path \"\(path)\" must name a field", path: path)
        }
        guard let field = message.plan.field(named: name) else { throw FieldPath.unknown(name, in: message.plan) }
        let rest = steps.dropFirst()
        if rest.isEmpty {
            guard value.fits(field) else {
                throw SchemaError(code: .invalidJSON, message: "value does not fit \(message.plan.fullName).\(field.name)", path: path)
            }
            message.set(field, value)
            return
        }
        switch rest.first! {
        case .field:
            guard !field.isRepeated, let plan = field.message else {
                throw SchemaError(code: .invalidJSON, message: "\(field.name) is not a message field", path: path)
            }
            var child = message[number: field.number]?.messageValue ?? DynamicMessage(plan: plan)
            try set(value, steps: rest, in: &child, path: path)
            message.set(field, .message(child))
        case .index(let i):
            guard field.isRepeated, !field.isMap, case .list(var items)? = message[number: field.number] ?? .list([]),
                  i <= items.count else {
                throw SchemaError(code: .invalidJSON, message: "no element \(i) in \(field.name)", path: path)
            }
            let tail = rest.dropFirst()
            if tail.isEmpty {
                if i == items.count { items.append(value) } else { items[i] = value }
            } else {
                guard let plan = field.message else {
                    throw SchemaError(code: .invalidJSON, message: "\(field.name) holds no messages", path: path)
                }
                var child = i < items.count ? (items[i].messageValue ?? DynamicMessage(plan: plan)) : DynamicMessage(plan: plan)
                try set(value, steps: tail, in: &child, path: path)
                if i == items.count { items.append(.message(child)) } else { items[i] = .message(child) }
            }
            message.set(field, .list(items))
        case .key:
            throw SchemaError(code: .invalidJSON, message: "setting map entries by path is not supported", path: path)
        }
    }

    // MARK: Matching

    /// Whether every field set in `pattern` is set here to an equal value;
    /// message fields are matched the same way, field by field, and map
    /// entries of the pattern must be present with matching values (what a
    /// mock server's stub matching needs). Lists must be equal.
    public func contains(_ pattern: DynamicMessage) -> Bool {
        guard pattern.plan === plan else { return false }
        for entry in pattern.entries {
            guard let value = self[number: entry.field.number], Self.value(value, contains: entry.value) else { return false }
        }
        return true
    }

    private static func value(_ value: ProtoValue, contains pattern: ProtoValue) -> Bool {
        switch (value, pattern) {
        case (.message(let m), .message(let p)): return m.contains(p)
        case (.map(let entries), .map(let wanted)):
            return wanted.allSatisfy { w in
                entries.last(where: { $0.key == w.key }).map { Self.value($0.value, contains: w.value) } ?? false
            }
        default: return value == pattern
        }
    }

    // MARK: Equality

    /// Equal when both are of the same type and hold the same fields with equal
    /// values (in any order) and the same unknown bytes.
    public static func == (lhs: DynamicMessage, rhs: DynamicMessage) -> Bool {
        guard lhs.plan === rhs.plan, lhs.entries.count == rhs.entries.count, lhs.unknownFields == rhs.unknownFields else {
            return false
        }
        for entry in lhs.entries {
            guard let other = rhs[number: entry.field.number], other == entry.value else { return false }
        }
        return true
    }
}

extension ProtoValue {
    /// Whether the value has the shape of the field.
    func fits(_ field: FieldPlan) -> Bool {
        if field.isMap { if case .map = self { return true } else { return false } }
        if field.isRepeated {
            guard case .list(let items) = self else { return false }
            return items.allSatisfy { $0.fitsScalar(field) }
        }
        return fitsScalar(field)
    }

    private func fitsScalar(_ field: FieldPlan) -> Bool {
        switch (field.kind, self) {
        case (.int32, .int32), (.sint32, .int32), (.sfixed32, .int32): true
        case (.int64, .int64), (.sint64, .int64), (.sfixed64, .int64): true
        case (.uint32, .uint32), (.fixed32, .uint32), (.uint64, .uint64), (.fixed64, .uint64): true
        case (.float, .float), (.double, .double), (.bool, .bool), (.string, .string), (.bytes, .bytes): true
        case (.enum, .enumNumber): true
        case (.message, .message(let m)), (.group, .message(let m)): m.plan === field.message
        default: false
        }
    }

    /// A map key as JSON writes it.
    var keyText: String {
        switch self {
        case .int32(let v): String(v)
        case .int64(let v): String(v)
        case .uint32(let v): String(v)
        case .uint64(let v): String(v)
        case .bool(let v): v ? "true" : "false"
        case .string(let s): s
        default: ""
        }
    }
}

/// A parsed path of field names, list indices and map keys.
enum FieldPath {
    enum Step: Equatable {
        case field(String)
        case index(Int)
        case key(String)
    }

    static func parse(_ path: String) throws -> [Step] {
        var steps: [Step] = []
        var name = ""
        var chars = path[...]
        func flush() { if !name.isEmpty { steps.append(.field(name)); name = "" } }
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".": flush()
            case "[":
                flush()
                guard let close = chars.firstIndex(of: "]") else { break }
                var inside = String(chars[..<close])
                chars = chars[chars.index(after: close)...]
                if inside.hasPrefix("\""), inside.hasSuffix("\""), inside.count >= 2 {
                    inside = String(inside.dropFirst().dropLast())
                    steps.append(.key(inside))
                } else if let i = Int(inside), i >= 0 {
                    steps.append(.index(i))
                } else {
                    steps.append(.key(inside))
                }
            default: name.append(c)
            }
        }
        flush()
        guard !steps.isEmpty else { throw SchemaError(code: .invalidJSON, message: "empty field path") }
        return steps
    }

    static func unknown(_ name: String, in plan: MessagePlan) -> SchemaError {
        let names = plan.fields.map(\.name)
        var error = SchemaError(code: .invalidJSON, message: "\(plan.fullName) has no field \"\(name)\"", path: name)
        error.suggestions = closeNames(to: name, among: names)
        return error
    }
}
