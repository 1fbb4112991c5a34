import SwiftProtobuf

/// Builds deterministic, schema-valid example messages: every field set with a plausible
/// value of its type, repeated fields and maps with a few elements, one member of each
/// oneof, and valid values for the well-known types.
///
/// The same type always yields the same message, so `--default fake` responses can be
/// encoded once at load.
public struct FakeMessage: Sendable {
    /// The number of elements of repeated fields and entries of maps.
    public var repeatedCount = 2
    /// Message nesting beyond this depth is left unset (recursive types end).
    public var maxDepth = 4

    private let catalog: MessageCatalog

    /// A generator over `catalog`.
    public init(catalog: MessageCatalog) {
        self.catalog = catalog
    }

    /// The example message of `messageType` as JSON.
    public func json(for messageType: String) -> JSONValue {
        message(messageType, depth: 0)
    }

    private func message(_ name: String, depth: Int) -> JSONValue {
        let bare = name.hasPrefix(".") ? String(name.dropFirst()) : name
        if let known = wellKnown(bare, depth: depth) { return known }
        guard let msg = catalog.message(bare) else { return .object([]) }
        var members: [(String, JSONValue)] = []
        var oneofsUsed = Set<Int32>()
        for field in msg.descriptor.field {
            if field.hasOneofIndex && !field.proto3Optional {
                // One member per oneof: the first one listed.
                guard oneofsUsed.insert(field.oneofIndex).inserted else { continue }
            }
            if field.type == .message || field.type == .group, depth + 1 >= maxDepth,
               field.label != .repeated, !isWellKnownScalar(field.typeName) {
                continue
            }
            guard let value = fieldValue(field, in: msg, depth: depth) else { continue }
            members.append((MessageCatalog.jsonName(field), value))
        }
        return .object(members)
    }

    private func fieldValue(_ field: Google_Protobuf_FieldDescriptorProto, in parent: MessageCatalog.Message, depth: Int) -> JSONValue? {
        let jsonName = MessageCatalog.jsonName(field)
        if field.label == .repeated {
            if field.type == .message, let entry = catalog.message(field.typeName), entry.isMapEntry {
                guard entry.descriptor.field.count == 2 else { return nil }
                let keyField = entry.descriptor.field[0], valueField = entry.descriptor.field[1]
                if valueField.type == .message && depth + 1 >= maxDepth && !isWellKnownScalar(valueField.typeName) {
                    return .object([])
                }
                var members: [(String, JSONValue)] = []
                for i in 0..<repeatedCount {
                    let key = mapKey(keyField, name: jsonName, index: i)
                    guard !members.contains(where: { $0.0 == key }) else { continue }
                    members.append((key, single(valueField, name: jsonName, index: i, depth: depth + 1)))
                }
                return .object(members)
            }
            if field.type == .message && depth + 1 >= maxDepth && !isWellKnownScalar(field.typeName) {
                return .array([])
            }
            return .array((0..<repeatedCount).map { single(field, name: jsonName, index: $0, depth: depth + 1) })
        }
        return single(field, name: jsonName, index: 0, depth: depth + 1)
    }

    private func mapKey(_ field: Google_Protobuf_FieldDescriptorProto, name: String, index: Int) -> String {
        switch field.type {
        case .string: return "\(name)-\(index + 1)"
        case .bool: return index % 2 == 0 ? "false" : "true"
        default: return "\(index + 1)"
        }
    }

    private func single(_ field: Google_Protobuf_FieldDescriptorProto, name: String, index: Int, depth: Int) -> JSONValue {
        let seed = Self.seed(name) + index
        switch field.type {
        case .double, .float:
            return .number("\(Double(seed % 1000) + 0.5)")
        case .int32, .sint32, .sfixed32, .uint32, .fixed32:
            return .number("\(seed % 1000 + 1)")
        case .int64, .sint64, .sfixed64, .uint64, .fixed64:
            return .string("\(seed % 100_000 + 1)")
        case .bool:
            return .bool(index % 2 == 0)
        case .string:
            return .string(plausibleString(name, index: index))
        case .bytes:
            // base64 of "<name>-<n>"
            return .string(Self.base64(Array("\(name)-\(index + 1)".utf8)))
        case .enum:
            guard let e = catalog.enumType(field.typeName), !e.value.isEmpty else { return .number("0") }
            let chosen = e.value.count > 1 ? e.value[1 + (index % (e.value.count - 1))] : e.value[0]
            if field.typeName == ".google.protobuf.NullValue" { return .null }
            return .string(chosen.name)
        case .message, .group:
            return message(field.typeName, depth: depth)
        }
    }

    private func plausibleString(_ name: String, index: Int) -> String {
        let lower = name.lowercased()
        let n = index + 1
        if lower.contains("email") { return "user\(n)@example.com" }
        if lower.hasSuffix("url") || lower.hasSuffix("uri") { return "https://example.com/\(name)/\(n)" }
        if lower == "id" || lower.hasSuffix("id") { return "\(name)-\(String(Self.seed(name) % 100_000 + n))" }
        if lower.contains("name") { return ["Alice", "Bob", "Carol", "Dave"][index % 4] }
        if lower.contains("phone") { return "+1-555-01" + (n % 100 < 10 ? "0" : "") + "\(n % 100)" }
        return "\(name) \(n)"
    }

    private func isWellKnownScalar(_ typeName: String) -> Bool {
        let bare = typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName
        return bare.hasPrefix("google.protobuf.") && bare != "google.protobuf.Struct"
    }

    private func wellKnown(_ name: String, depth: Int) -> JSONValue? {
        switch name {
        case "google.protobuf.Timestamp": return .string("2024-01-02T03:04:05Z")
        case "google.protobuf.Duration": return .string("1.500s")
        case "google.protobuf.Empty": return .object([])
        case "google.protobuf.FieldMask": return .string("name,updateTime")
        case "google.protobuf.Struct": return .object([("count", .number("2")), ("key", .string("value"))])
        case "google.protobuf.Value": return .string("value")
        case "google.protobuf.ListValue": return .array([.string("a"), .number("1")])
        case "google.protobuf.Any":
            // An Any holding a type the schema certainly has when it has Any's file.
            if catalog.message("google.protobuf.Duration") != nil {
                return .object([("@type", .string("type.googleapis.com/google.protobuf.Duration")), ("value", .string("2s"))])
            }
            return .object([])
        case "google.protobuf.DoubleValue", "google.protobuf.FloatValue": return .number("1.5")
        case "google.protobuf.Int64Value", "google.protobuf.UInt64Value": return .string("42")
        case "google.protobuf.Int32Value", "google.protobuf.UInt32Value": return .number("42")
        case "google.protobuf.BoolValue": return .bool(true)
        case "google.protobuf.StringValue": return .string("text")
        case "google.protobuf.BytesValue": return .string(Self.base64(Array("bytes".utf8)))
        default: return nil
        }
    }

    /// A stable small number from a name (FNV-1a), so values differ between fields.
    static func seed(_ name: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int(hash % 10_000)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = Int(bytes[i]), b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
            out.append(alphabet[b0 >> 2])
            out.append(alphabet[((b0 & 3) << 4) | (b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[((b1 & 15) << 2) | (b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[b2 & 63] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
