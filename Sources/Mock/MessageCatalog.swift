public import SwiftProtobuf

/// The message and enum descriptors of a schema, by full name (no leading dot), for
/// walking message shapes: fake data, field paths in match rules.
public struct MessageCatalog: Sendable {
    /// One message type.
    public struct Message: Sendable {
        public var fullName: String
        public var descriptor: Google_Protobuf_DescriptorProto
        public var isMapEntry: Bool { descriptor.options.mapEntry }
    }

    public private(set) var messages: [String: Message] = [:]
    public private(set) var enums: [String: Google_Protobuf_EnumDescriptorProto] = [:]

    /// Indexes every message and enum of `files`.
    public init(files: [Google_Protobuf_FileDescriptorProto]) {
        for file in files {
            let prefix = file.package.isEmpty ? "" : file.package + "."
            for message in file.messageType { add(message, prefix: prefix) }
            for e in file.enumType { enums[prefix + e.name] = e }
        }
    }

    private mutating func add(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
        let name = prefix + message.name
        messages[name] = Message(fullName: name, descriptor: message)
        for nested in message.nestedType { add(nested, prefix: name + ".") }
        for e in message.enumType { enums[name + "." + e.name] = e }
    }

    /// The message named by a field's `type_name` (".pkg.Msg") or a full name.
    public func message(_ name: String) -> Message? {
        messages[name.hasPrefix(".") ? String(name.dropFirst()) : name]
    }

    /// The enum named by a field's `type_name` or a full name.
    public func enumType(_ name: String) -> Google_Protobuf_EnumDescriptorProto? {
        enums[name.hasPrefix(".") ? String(name.dropFirst()) : name]
    }

    /// The JSON name of a field.
    public static func jsonName(_ field: Google_Protobuf_FieldDescriptorProto) -> String {
        field.hasJsonName ? field.jsonName : lowerCamel(field.name)
    }

    static func lowerCamel(_ name: String) -> String {
        var out = ""
        var upper = false
        for ch in name {
            if ch == "_" { upper = true; continue }
            out.append(upper ? Character(ch.uppercased()) : ch)
            upper = false
        }
        return out
    }

    /// Resolves a dotted field path (proto or JSON names) in `messageType` to JSON names
    /// and the last field's descriptor.
    ///
    /// - Returns: nil when a segment does not name a field (the index of the first bad
    ///   segment is in `failedAt`).
    public func resolve(path: [String], in messageType: String) -> (jsonPath: [String], field: Google_Protobuf_FieldDescriptorProto)? {
        var current = message(messageType)
        var jsonPath: [String] = []
        var last: Google_Protobuf_FieldDescriptorProto?
        for segment in path {
            guard let msg = current,
                  let field = msg.descriptor.field.first(where: { $0.name == segment || Self.jsonName($0) == segment }) else {
                return nil
            }
            jsonPath.append(Self.jsonName(field))
            last = field
            current = field.type == .message ? message(field.typeName) : nil
        }
        guard let last else { return nil }
        return (jsonPath, last)
    }
}
