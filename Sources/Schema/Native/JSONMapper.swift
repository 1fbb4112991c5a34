import Foundation

/// Turns a ``JSONNode`` tree into a ``DynamicMessage`` following the proto3
/// JSON mapping. Errors name the JSON path with `.proto` field names.
struct JSONMapper {
    let options: JSONOptions
    let types: PlanCache

    func message(_ node: JSONNode, _ plan: MessagePlan, depth: Int = 0) throws(NativeJSONError) -> DynamicMessage {
        guard depth < WireDecoder.depthLimit else { throw NativeJSONError(message: "nested too deeply") }
        if plan.wellKnown != .none { return try wellKnown(node, plan, depth: depth) }
        guard case .object(let members) = node else {
            throw NativeJSONError(message: "expected an object for \(plan.fullName), got \(node.kindName)")
        }
        var message = DynamicMessage(plan: plan)
        try fill(&message, members, depth: depth)
        return message
    }

    private func fill(_ message: inout DynamicMessage, _ members: [(String, JSONNode)], depth: Int) throws(NativeJSONError) {
        let plan = message.plan
        for (key, node) in members {
            guard let field = plan.field(named: key) else {
                if options.ignoreUnknownFields { continue }
                throw NativeJSONError(message: "unknown field").under(.field(key))
            }
            // The path is put together only when something fails, level by level.
            do throws(NativeJSONError) {
                try fill(&message, field, node, depth: depth)
            } catch {
                throw error.under(.field(field.name))
            }
        }
    }

    private func fill(_ message: inout DynamicMessage, _ field: FieldPlan, _ node: JSONNode, depth: Int) throws(NativeJSONError) {
        if case .null = node, !(field.message?.wellKnown == .value && !field.isRepeated) {
            return
        }
        if let oneof = field.oneof,
           message.entries.contains(where: { $0.field.oneof == oneof && $0.field.number != field.number }) {
            throw NativeJSONError(message: "more than one field of oneof \(message.plan.oneofNames[oneof]) is set")
        }
        if field.isMap {
            guard case .object(let entries) = node else { throw invalid(node, "map") }
            guard let entryPlan = field.message, let keyField = entryPlan.field(number: 1),
                  let valueField = entryPlan.field(number: 2) else { throw invalid(node, "map") }
            var out: [ProtoValue.MapEntry] = []
            out.reserveCapacity(entries.count)
            for (k, v) in entries {
                do throws(NativeJSONError) {
                    let key = try mapKey(k, keyField)
                    if case .null = v, valueField.message?.wellKnown != .value { throw invalid(v, "map value") }
                    out.append(.init(key: key, value: try value(v, valueField, depth: depth)))
                } catch {
                    throw error.under(.key(k))
                }
            }
            message.set(field, .map(out))
        } else if field.isRepeated {
            guard case .array(let items) = node else { throw invalid(node, "repeated field") }
            var out: [ProtoValue] = []
            out.reserveCapacity(items.count)
            for (n, item) in items.enumerated() {
                do throws(NativeJSONError) {
                    if case .null = item, field.message?.wellKnown != .value { throw invalid(item, "list element") }
                    out.append(try value(item, field, depth: depth))
                } catch {
                    throw error.under(.index(n))
                }
            }
            message.set(field, .list(out))
        } else {
            message.set(field, try value(node, field, depth: depth))
        }
    }

    private func invalid(_ node: JSONNode, _ type: String) -> NativeJSONError {
        NativeJSONError(message: "invalid value for \(type): \(node.kindName)")
    }

    /// One value of a field (an element for repeated fields).
    func value(_ node: JSONNode, _ field: FieldPlan, depth: Int) throws(NativeJSONError) -> ProtoValue {
        switch field.kind {
        case .message, .group:
            guard let plan = field.message else { throw invalid(node, field.typeName) }
            return .message(try message(node, plan, depth: depth + 1))
        case .enum:
            guard let type = field.enumType else { throw invalid(node, field.typeName) }
            switch node {
            case .string(let name):
                guard let n = type.byName[name] else { throw invalid(node, type.fullName) }
                return .enumNumber(n)
            case .number(let text):
                guard let v = Self.integer(text, min: Int64(Int32.min), max: Int64(Int32.max)) else { throw invalid(node, type.fullName) }
                return .enumNumber(Int32(v))
            case .null where type.isNullValue:
                return .enumNumber(0)
            default: throw invalid(node, type.fullName)
            }
        case .string:
            guard case .string(let s) = node else { throw invalid(node, "string") }
            return .string(s)
        case .bytes:
            guard case .string(let s) = node, let bytes = Base64.decode(s.utf8) else { throw invalid(node, "bytes") }
            return .bytes(bytes)
        case .bool:
            switch node {
            case .bool(let b): return .bool(b)
            default: throw invalid(node, "bool")
            }
        case .double, .float:
            let d: Double
            switch node {
            case .number(let text):
                guard let v = Double(text), v.isFinite else { throw invalid(node, field.kind == .float ? "float" : "double") }
                d = v
            case .string(let text):
                guard let v = Self.double(string: text) else { throw invalid(node, field.kind == .float ? "float" : "double") }
                d = v
            default: throw invalid(node, field.kind == .float ? "float" : "double")
            }
            if field.kind == .double { return .double(d) }
            guard !d.isFinite || abs(d) <= Double(Float.greatestFiniteMagnitude) else { throw invalid(node, "float") }
            return .float(Float(d))
        case .int32, .sint32, .sfixed32:
            return .int32(Int32(try integer(node, "int32", Int64(Int32.min), Int64(Int32.max))))
        case .int64, .sint64, .sfixed64:
            return .int64(try integer(node, "int64", Int64.min, Int64.max))
        case .uint32, .fixed32:
            return .uint32(UInt32(try unsigned(node, "uint32", UInt64(UInt32.max))))
        case .uint64, .fixed64:
            return .uint64(try unsigned(node, "uint64", UInt64.max))
        }
    }

    // Integers: JSON numbers (an integral value in any notation) or strings
    // holding plain decimal digits; anything else is left to libprotobuf.
    private func integer(_ node: JSONNode, _ type: String, _ min: Int64, _ max: Int64) throws(NativeJSONError) -> Int64 {
        switch node {
        case .number(let text):
            if let v = Self.integer(text, min: min, max: max) { return v }
        case .string(let text):
            if let v = Self.integer(string: text, min: min, max: max) { return v }
        default: break
        }
        throw invalid(node, type)
    }

    private func unsigned(_ node: JSONNode, _ type: String, _ max: UInt64) throws(NativeJSONError) -> UInt64 {
        switch node {
        case .number(let text):
            if let v = Self.unsigned(text, max: max) { return v }
        case .string(let text):
            if let v = Self.unsigned(string: text, max: max) { return v }
        default: break
        }
        throw invalid(node, type)
    }

    // The rules for number text, shared with the one-pass converter (JSONWireWriter).

    /// A JSON string holding an integer: plain decimal digits, an optional `-`.
    static func integer(string text: String, min: Int64, max: Int64) -> Int64? {
        guard let v = Int64(text), v >= min, v <= max, text.utf8.first != UInt8(ascii: "+") else { return nil }
        return v
    }

    static func unsigned(string text: String, max: UInt64) -> UInt64? {
        guard let v = UInt64(text), v <= max, text.utf8.first != UInt8(ascii: "+") else { return nil }
        return v
    }

    /// A JSON number for an unsigned field: an integral value in any notation.
    static func unsigned(_ text: String, max: UInt64) -> UInt64? {
        if let v = UInt64(text) { return v <= max ? v : nil }
        guard let d = Double(text), d == d.rounded(.towardZero), d >= 0, d < 18446744073709551616.0, UInt64(d) <= max else {
            return nil
        }
        return UInt64(d)
    }

    /// A JSON string for a float or double field: `NaN`, `Infinity`, `-Infinity` or a finite number.
    static func double(string text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard isNumberText(text), let v = Double(text), v.isFinite else { return nil }
            return v
        }
    }

    /// A JSON number for a signed field: an integral value in any notation.
    static func integer(_ text: String, min: Int64, max: Int64) -> Int64? {
        if let v = Int64(text) { return v >= min && v <= max ? v : nil }
        guard let d = Double(text), d == d.rounded(.towardZero), d >= Double(min), d < -Double(Int64.min) else { return nil }
        let v = Int64(d)
        return v >= min && v <= max ? v : nil
    }

    /// A JSON number's syntax (strings holding numbers are accepted for numeric fields).
    static func isNumberText(_ text: String) -> Bool {
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+")
            || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    private func mapKey(_ text: String, _ field: FieldPlan) throws(NativeJSONError) -> ProtoValue {
        switch field.kind {
        case .string: return .string(text)
        case .bool:
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            throw NativeJSONError(message: "invalid map key for bool: \(text)")
        default:
            // Integer keys are decimal digits, as in a JSON string holding an int64.
            return try value(.string(text), field, depth: 0)
        }
    }

    // MARK: Well-known types

    private func wellKnown(_ node: JSONNode, _ plan: MessagePlan, depth: Int) throws(NativeJSONError) -> DynamicMessage {
        var result = DynamicMessage(plan: plan)
        func setField(_ number: Int32, _ value: ProtoValue) {
            if let field = plan.field(number: number) { result.set(field, value) }
        }
        switch plan.wellKnown {
        case .none: break
        case .empty:
            guard case .object(let members) = node, members.isEmpty else {
                throw invalid(node, plan.fullName)
            }
        case .timestamp:
            guard case .string(let text) = node, let (s, n) = Timestamps.parse(text) else { throw invalid(node, plan.fullName) }
            setField(1, .int64(s)); setField(2, .int32(n))
        case .duration:
            guard case .string(let text) = node, let (s, n) = Timestamps.parseDuration(text) else {
                throw invalid(node, plan.fullName)
            }
            setField(1, .int64(s)); setField(2, .int32(n))
        case .fieldMask:
            guard case .string(let text) = node, !text.contains("_") else { throw invalid(node, plan.fullName) }
            let paths = text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false)
                .map { ProtoValue.string(FieldMasks.fromJSON(String($0))) }
            setField(1, .list(paths))
        case .structValue:
            guard case .object(let members) = node, let fields = plan.field(number: 1),
                  let valuePlan = fields.message?.field(number: 2)?.message else { throw invalid(node, plan.fullName) }
            var entries: [ProtoValue.MapEntry] = []
            for (k, v) in members {
                do throws(NativeJSONError) {
                    entries.append(.init(key: .string(k), value: .message(try self.message(v, valuePlan, depth: depth + 1))))
                } catch {
                    throw error.under(.field(k))
                }
            }
            setField(1, .map(entries))
        case .listValue:
            guard case .array(let items) = node, let valuePlan = plan.field(number: 1)?.message else {
                throw invalid(node, plan.fullName)
            }
            var values: [ProtoValue] = []
            for (n, item) in items.enumerated() {
                do throws(NativeJSONError) {
                    values.append(.message(try self.message(item, valuePlan, depth: depth + 1)))
                } catch {
                    throw error.under(.index(n))
                }
            }
            setField(1, .list(values))
        case .value:
            switch node {
            case .null: setField(1, .enumNumber(0))
            case .number(let text):
                guard let d = Double(text) else { throw invalid(node, plan.fullName) }
                setField(2, .double(d))
            case .string(let s): setField(3, .string(s))
            case .bool(let b): setField(4, .bool(b))
            case .object:
                guard let structPlan = plan.field(number: 5)?.message else { throw invalid(node, plan.fullName) }
                setField(5, .message(try self.message(node, structPlan, depth: depth + 1)))
            case .array:
                guard let listPlan = plan.field(number: 6)?.message else { throw invalid(node, plan.fullName) }
                setField(6, .message(try self.message(node, listPlan, depth: depth + 1)))
            }
        case .any:
            guard case .object(let members) = node else { throw invalid(node, "Any") }
            if members.isEmpty { return result }
            guard let url = members.first(where: { $0.0 == "@type" })?.1, case .string(let typeURL) = url,
                  case let typeName = JSONPrinter.typeName(fromURL: typeURL), !typeName.isEmpty,
                  let inner = types.plan(for: typeName) else {
                throw NativeJSONError(message: "invalid value for Any")
            }
            let rest = members.filter { $0.0 != "@type" }
            let payload: DynamicMessage
            if inner.wellKnown != .none {
                guard let value = rest.first(where: { $0.0 == "value" })?.1 else {
                    throw NativeJSONError(message: "invalid value for Any: no \"value\"")
                }
                payload = try self.message(value, inner, depth: depth + 1)
            } else {
                var m = DynamicMessage(plan: inner)
                try fill(&m, rest, depth: depth + 1)
                payload = m
            }
            var encoder = WireEncoder()
            encoder.asGiven = true
            encoder.message(payload)
            setField(1, .string(typeURL))
            setField(2, .bytes(encoder.out))
        default:
            // Wrappers hold their value in field 1.
            guard let field = plan.field(number: 1) else { throw invalid(node, plan.fullName) }
            setField(1, try value(node, field, depth: depth))
        }
        return result
    }
}
