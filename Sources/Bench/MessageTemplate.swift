import Foundation
public import NIOCore
public import Schema
import SwiftProtobuf

/// A request message compiled once from JSON that may hold `{{…}}` holes.
///
/// The JSON is converted to protobuf binary a single time, with a marker in place of each
/// hole; the binary is then cut around the markers (guided by the message's descriptors)
/// into constant byte runs, holes, and the length-delimited fields that enclose holes.
/// Per request only the holes are evaluated and the enclosing lengths recomputed: no
/// JSON parsing and no schema lookup on the hot path.
///
/// Holes may sit inside a JSON string (any string field, any number of holes mixed with
/// text) or stand unquoted in place of a number for a varint integer field
/// (`"id": {{.RequestNumber}}`).
///
/// A class: the load's hot path reads it with one reference, not a copy of its arrays.
public final class MessageTemplate: Sendable {
    enum Node: Sendable {
        case bytes([UInt8])
        /// Text of hole `index` inside a string.
        case text(Int)
        /// Hole `index` as a varint; zig-zag for `sint32`/`sint64`.
        case varint(Int, zigZag: Bool)
        /// A length prefix followed by the nested nodes.
        case delimited([Node])
    }

    private let nodes: [Node]
    /// The holes, by index.
    public let expressions: [TemplateExpression]
    /// The encoded message when there are no holes.
    public let constant: ByteBuffer?

    /// Compiles `json` for `messageType`.
    ///
    /// - Parameters:
    ///   - json: The JSON text.
    ///   - messageType: The fully qualified message type.
    ///   - pool: The schema.
    ///   - origin: Where the JSON came from, for messages (`-d`, `file:line`).
    /// - Throws: ``BenchError`` with ``BenchError/Code/invalidTemplate`` for a bad hole, or
    ///   ``BenchError/Code/invalidRequest`` (its cause a ``SchemaError``) for JSON that does not
    ///   fit the type.
    public init(json: String, messageType: String, pool: SchemaPool, origin: String) throws {
        let (marked, expressions, quoted) = try Self.markHoles(json, origin: origin)
        let binary: [UInt8]
        do {
            binary = try pool.jsonToBinary(marked, messageType: messageType)
        } catch let error as SchemaError {
            throw BenchError(code: .invalidRequest, message: "\(origin): \(error.message)", cause: error)
        }
        self.expressions = expressions
        if expressions.isEmpty {
            nodes = [.bytes(binary)]
            constant = ByteBuffer(bytes: binary)
            return
        }
        var walker = Walker(index: DescriptorIndex(pool: pool), count: expressions.count)
        let walked = try walker.walk(binary[...], type: messageType)
        for (i, seen) in walker.seen.enumerated() where seen != 1 {
            let where_ = quoted[i] ? "a string field" : "an integer (varint) field"
            throw BenchError(
                code: .invalidTemplate,
                message: "\(origin): template \(expressions[i]) must stand for \(where_) of \(messageType)"
                    + (seen == 0 ? "" : " (found \(seen) times)"))
        }
        for (i, expression) in expressions.enumerated() where !quoted[i] && !expression.isInteger {
            throw BenchError(
                code: .invalidTemplate, message: "\(origin): template \(expression) is text; put it inside a JSON string")
        }
        nodes = Self.coalesce(walked)
        constant = nil
    }

    /// The encoded message for one request.
    public func render(_ context: inout TemplateContext, allocator: ByteBufferAllocator) -> ByteBuffer {
        if let constant { return constant }
        var scratch = TemplateScratch()
        var buffer = allocator.buffer(capacity: 0)
        render(&context, scratch: &scratch, into: &buffer)
        return buffer
    }

    /// Writes the encoded message for one request into `buffer`, replacing its contents;
    /// `scratch` and `buffer` are reused from request to request (the hot path keeps one of
    /// each per event loop, so a templated request allocates nothing once the buffer is no
    /// longer shared). Each hole's text is written straight into the message.
    public func render(_ context: inout TemplateContext, scratch: inout TemplateScratch, into buffer: inout ByteBuffer) {
        buffer.clear()
        if let constant {
            buffer.writeImmutableBuffer(constant)
            return
        }
        scratch.prepare(holes: expressions.count)
        for (i, expression) in expressions.enumerated() {
            // Each expression is evaluated once; its text and integer forms agree.
            let value = expression.isInteger ? expression.integer(&context) : 0
            scratch.values[i] = value
            scratch.lengths[i] = expression.textLength(value)
        }
        let size = Self.size(nodes, scratch)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
            var out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            write(nodes, scratch, at: &out, &context)
            return size
        }
    }

    private static func size(_ nodes: [Node], _ scratch: TemplateScratch) -> Int {
        var total = 0
        for node in nodes {
            switch node {
            case .bytes(let bytes): total += bytes.count
            case .text(let i): total += scratch.lengths[i]
            case .varint(let i, let zigZag): total += varintSize(encode(scratch.values[i], zigZag: zigZag))
            case .delimited(let inner):
                let length = size(inner, scratch)
                total += varintSize(UInt64(length)) + length
            }
        }
        return total
    }

    private func write(
        _ nodes: [Node], _ scratch: TemplateScratch, at out: inout UnsafeMutablePointer<UInt8>,
        _ context: inout TemplateContext
    ) {
        for node in nodes {
            switch node {
            case .bytes(let bytes):
                bytes.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
                out += bytes.count
            case .text(let i):
                expressions[i].writeText(scratch.values[i], to: out, &context)
                out += scratch.lengths[i]
            case .varint(let i, let zigZag):
                Self.writeVarint(Self.encode(scratch.values[i], zigZag: zigZag), at: &out)
            case .delimited(let inner):
                Self.writeVarint(UInt64(Self.size(inner, scratch)), at: &out)
                write(inner, scratch, at: &out, &context)
            }
        }
    }

    @inline(__always)
    private static func writeVarint(_ value: UInt64, at out: inout UnsafeMutablePointer<UInt8>) {
        var v = value
        while v >= 0x80 {
            out.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            out += 1
            v >>= 7
        }
        out.pointee = UInt8(v)
        out += 1
    }

    @inline(__always)
    private static func encode(_ value: Int64, zigZag: Bool) -> UInt64 {
        zigZag ? UInt64(bitPattern: (value << 1) ^ (value >> 63)) : UInt64(bitPattern: value)
    }

    private static func coalesce(_ nodes: [Node]) -> [Node] {
        var out: [Node] = []
        for node in nodes {
            switch node {
            case .bytes(let bytes):
                if case .bytes(let previous)? = out.last {
                    out[out.count - 1] = .bytes(previous + bytes)
                } else {
                    out.append(node)
                }
            case .delimited(let inner): out.append(.delimited(coalesce(inner)))
            default: out.append(node)
            }
        }
        return out
    }

    // MARK: - Marking holes in the JSON

    /// The first integer marker; hole `i` becomes `integerMarkerBase + i` (fits `int32`).
    static let integerMarkerBase: Int64 = 1_987_650_000
    static let maximumHoles = 1000

    /// Replaces holes by markers: `\u0001<i>\u0002` inside strings, `integerMarkerBase + i` outside.
    static func markHoles(_ json: String, origin: String) throws -> (String, [TemplateExpression], [Bool]) {
        var out = ""
        var expressions: [TemplateExpression] = []
        var quoted: [Bool] = []
        var inString = false
        var escaped = false
        var rest = Substring(json)
        while let ch = rest.first {
            if ch == "{" && rest.hasPrefix("{{") && !escaped {
                guard let close = rest.range(of: "}}") else {
                    throw BenchError(code: .invalidTemplate, message: "\(origin): '{{' without a closing '}}'")
                }
                let body = rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]
                let expression = try TemplateExpression(
                    parsing: body.trimmingCharacters(in: .whitespaces), origin: origin)
                guard expressions.count < maximumHoles else {
                    throw BenchError(code: .invalidTemplate, message: "\(origin): more than \(maximumHoles) templates")
                }
                out += inString ? "\\u0001\(expressions.count)\\u0002" : "\(integerMarkerBase + Int64(expressions.count))"
                expressions.append(expression)
                quoted.append(inString)
                rest = rest[close.upperBound...]
                continue
            }
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "\"" {
                inString = true
            }
            out.append(ch)
            rest = rest.dropFirst()
        }
        return (out, expressions, quoted)
    }
}

/// Reusable per-request values for ``MessageTemplate/render(_:scratch:into:)``: each
/// hole's integer value and the length of its text.
public struct TemplateScratch: Sendable {
    var values: [Int64] = []
    var lengths: [Int] = []

    public init() {}

    /// Makes room for `holes` holes (allocates only when the count changes).
    @inline(__always)
    mutating func prepare(holes: Int) {
        guard values.count != holes else { return }
        values = Array(repeating: 0, count: holes)
        lengths = Array(repeating: 0, count: holes)
    }
}

// MARK: - Walking the binary with the descriptors

/// Field types by message, from the schema's file descriptors.
struct DescriptorIndex {
    struct Field {
        var type: Google_Protobuf_FieldDescriptorProto.TypeEnum
        var typeName: String
    }
    private var messages: [String: [Int32: Field]] = [:]

    init(pool: SchemaPool) {
        for file in pool.files {
            let prefix = file.package.isEmpty ? "" : file.package + "."
            for message in file.messageType { add(message, prefix: prefix) }
        }
    }

    private mutating func add(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
        let name = prefix + message.name
        var fields: [Int32: Field] = [:]
        for field in message.field {
            let typeName = field.typeName.hasPrefix(".") ? String(field.typeName.dropFirst()) : field.typeName
            fields[field.number] = Field(type: field.type, typeName: typeName)
        }
        messages[name] = fields
        for nested in message.nestedType { add(nested, prefix: name + ".") }
    }

    func field(_ number: Int32, of type: String) -> Field? { messages[type]?[number] }
}

private struct Walker {
    let index: DescriptorIndex
    var seen: [Int]

    init(index: DescriptorIndex, count: Int) {
        self.index = index
        self.seen = Array(repeating: 0, count: count)
    }

    typealias Node = MessageTemplate.Node

    /// Cuts an encoded message of `type` into nodes. The bytes come from libprotobuf's own
    /// encoder, so they are well formed; a malformed run is kept as plain bytes.
    mutating func walk(_ bytes: ArraySlice<UInt8>, type: String) throws -> [Node] {
        var nodes: [Node] = []
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let fieldStart = position
            guard let key = readVarint(bytes, &position) else { break }
            let number = Int32(truncatingIfNeeded: key >> 3)
            let field = index.field(number, of: type)
            switch key & 7 {
            case 0:
                let valueStart = position
                guard let value = readVarint(bytes, &position) else {
                    nodes.append(.bytes(Array(bytes[fieldStart...])))
                    return nodes
                }
                if let hole = integerHole(value, field: field) {
                    nodes.append(.bytes(Array(bytes[fieldStart..<valueStart])))
                    nodes.append(.varint(hole.index, zigZag: hole.zigZag))
                    seen[hole.index] += 1
                } else {
                    nodes.append(.bytes(Array(bytes[fieldStart..<position])))
                }
            case 1:
                position = min(bytes.endIndex, position + 8)
                nodes.append(.bytes(Array(bytes[fieldStart..<position])))
            case 5:
                position = min(bytes.endIndex, position + 4)
                nodes.append(.bytes(Array(bytes[fieldStart..<position])))
            case 2:
                guard let length = readVarint(bytes, &position), length <= UInt64(bytes.endIndex - position) else {
                    nodes.append(.bytes(Array(bytes[fieldStart...])))
                    return nodes
                }
                let contentStart = position
                position += Int(length)
                let content = bytes[contentStart..<position]
                let header = Array(bytes[fieldStart..<contentStart - lengthSize(length)])
                if let field, field.type == .message {
                    let inner = try walk(content, type: field.typeName)
                    if inner.contains(where: { if case .bytes = $0 { false } else { true } }) {
                        nodes.append(.bytes(header))
                        nodes.append(.delimited(inner))
                        continue
                    }
                } else if let field, field.type == .string, let pieces = textPieces(content) {
                    nodes.append(.bytes(header))
                    nodes.append(.delimited(pieces))
                    continue
                }
                nodes.append(.bytes(Array(bytes[fieldStart..<position])))
            default:
                // Groups are not produced from JSON here; keep the rest verbatim.
                nodes.append(.bytes(Array(bytes[fieldStart...])))
                return nodes
            }
        }
        return nodes
    }

    private func lengthSize(_ length: UInt64) -> Int { varintSize(length) }

    private func integerHole(_ value: UInt64, field: DescriptorIndex.Field?) -> (index: Int, zigZag: Bool)? {
        guard let field else { return nil }
        let zigZag = field.type == .sint32 || field.type == .sint64
        switch field.type {
        case .int32, .int64, .uint32, .uint64, .sint32, .sint64: break
        default: return nil
        }
        let decoded: Int64 = zigZag ? Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) : Int64(bitPattern: value)
        let offset = decoded - MessageTemplate.integerMarkerBase
        guard offset >= 0, offset < Int64(seen.count) else { return nil }
        return (Int(offset), zigZag)
    }

    /// Splits string content at the markers `0x01 <digits> 0x02`; nil when none.
    private mutating func textPieces(_ content: ArraySlice<UInt8>) -> [Node]? {
        var nodes: [Node] = []
        var literal: [UInt8] = []
        var position = content.startIndex
        var found = false
        while position < content.endIndex {
            if content[position] == 0x01 {
                var cursor = position + 1
                var number = 0
                var digits = 0
                while cursor < content.endIndex, content[cursor] >= 0x30, content[cursor] <= 0x39, digits < 4 {
                    number = number * 10 + Int(content[cursor] - 0x30)
                    cursor += 1
                    digits += 1
                }
                if digits > 0, cursor < content.endIndex, content[cursor] == 0x02, number < seen.count {
                    if !literal.isEmpty { nodes.append(.bytes(literal)); literal = [] }
                    nodes.append(.text(number))
                    seen[number] += 1
                    found = true
                    position = cursor + 1
                    continue
                }
            }
            literal.append(content[position])
            position += 1
        }
        if !literal.isEmpty { nodes.append(.bytes(literal)) }
        return found ? nodes : nil
    }
}

@inline(__always)
func readVarint(_ bytes: ArraySlice<UInt8>, _ position: inout Int) -> UInt64? {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while position < bytes.endIndex, shift < 64 {
        let byte = bytes[position]
        position += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
    }
    return nil
}

@inline(__always)
func varintSize(_ value: UInt64) -> Int {
    var size = 1
    var v = value
    while v >= 0x80 { v >>= 7; size += 1 }
    return size
}
