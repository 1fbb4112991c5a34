import Foundation
public import RPC

/// A response message whose string values use `{{request.a.b}}` and `{{header.name}}`,
/// parsed once at load and rendered to JSON per call.
public struct ResponseTemplate: Sendable {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case request([String])
        case header(String)
    }

    /// The message with template strings left in place.
    let body: JSONValue
    /// Each template string's parsed segments.
    let compiled: [String: [Segment]]

    /// Whether any placeholder reads the request.
    public let usesRequest: Bool

    /// Parses the placeholders of every string in `body`; nil when there are none.
    ///
    /// - Throws: ``MockError`` (`invalidStub`) for an unclosed or unknown placeholder.
    public static func compile(_ body: JSONValue) throws -> ResponseTemplate? {
        var compiled: [String: [Segment]] = [:]
        try collect(body, into: &compiled)
        guard !compiled.isEmpty else { return nil }
        let usesRequest = compiled.values.contains { $0.contains { if case .request = $0 { true } else { false } } }
        return ResponseTemplate(body: body, compiled: compiled, usesRequest: usesRequest)
    }

    private static func collect(_ value: JSONValue, into compiled: inout [String: [Segment]]) throws {
        switch value {
        case .string(let s) where s.contains("{{"):
            compiled[s] = try parse(s)
        case .array(let items):
            for item in items { try collect(item, into: &compiled) }
        case .object(let members):
            for (_, member) in members { try collect(member, into: &compiled) }
        default:
            break
        }
    }

    static func parse(_ text: String) throws -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw MockError(code: .invalidStub, message: "unclosed '{{' in template \"\(text)\"")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("request."), name.count > 8 {
                segments.append(.request(name.dropFirst(8).split(separator: ".").map(String.init)))
            } else if name.hasPrefix("header."), name.count > 7 {
                segments.append(.header(String(name.dropFirst(7)).lowercased()))
            } else {
                throw MockError(code: .invalidStub,
                                message: "unknown placeholder '{{\(name)}}' in \"\(text)\" (use {{request.field}} or {{header.name}})")
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        return segments
    }

    /// The request paths the template reads (for validation against the schema).
    var requestPaths: [[String]] {
        compiled.values.flatMap { $0.compactMap { if case .request(let path) = $0 { path } else { nil } } }
    }

    /// The JSON text of the message for one call.
    public func render(request: JSONValue?, metadata: Metadata) -> String {
        substitute(body, request: request, metadata: metadata).text
    }

    private func substitute(_ value: JSONValue, request: JSONValue?, metadata: Metadata) -> JSONValue {
        switch value {
        case .string(let s):
            guard let segments = compiled[s] else { return value }
            var out = ""
            for segment in segments {
                switch segment {
                case .literal(let text): out += text
                case .header(let name): out += metadata[name] ?? ""
                case .request(let path):
                    switch request?.value(at: path) {
                    case .string(let text): out += text
                    case .number(let text): out += text
                    case .bool(let b): out += b ? "true" : "false"
                    case .none, .null: break
                    case .some(let other): out += other.text
                    }
                }
            }
            return .string(out)
        case .array(let items):
            return .array(items.map { substitute($0, request: request, metadata: metadata) })
        case .object(let members):
            return .object(members.map { ($0.0, substitute($0.1, request: request, metadata: metadata)) })
        default:
            return value
        }
    }
}
