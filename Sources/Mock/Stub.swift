public import Foundation
public import NIOCore
public import RPC

/// One compiled stub: when it applies (match rules), and what it answers. Built by
/// ``StubLoader`` from a stub file or the admin service; everything that does not depend
/// on the call (encoded messages, regular expressions, templates) is prepared at load.
public struct Stub: Sendable {
    /// How a client-streaming or bidi stub answers.
    public enum Answer: String, Sendable {
        /// Each received message is matched and answered on its own.
        case perMessage
        /// The stub answers once the client half-closes, matching its last message.
        case afterClose
    }

    /// A delay: fixed, or uniformly random in a range.
    public struct Delay: Sendable, Hashable {
        public var minimum: TimeAmount
        public var maximum: TimeAmount

        /// The delay for one call.
        public func pick() -> TimeAmount {
            guard maximum > minimum else { return minimum }
            return .nanoseconds(Int64.random(in: minimum.nanoseconds...maximum.nanoseconds))
        }
    }

    /// One response message: fixed bytes, or a template rendered per call.
    public struct Message: Sendable {
        public var fixed: ByteBuffer?
        public var template: ResponseTemplate?
        public var delay: Delay?
    }

    /// The answer.
    public enum Reply: Sendable {
        case messages([Message])
        case status(GRPCStatus)
    }

    public var id: String
    /// The method path, `/pkg.Service/Method`.
    public var path: String
    /// `pkg.Service/Method`.
    public var method: String { String(path.dropFirst()) }
    public var priority: Int
    public var match: StubMatch
    public var reply: Reply
    public var headers: Metadata
    public var trailers: Metadata
    public var delay: Delay?
    /// How many calls the stub answers; nil for no limit.
    public var limit: Int?
    public var answer: Answer
    /// Where it came from: `file:line`, or "admin".
    public var source: String
    /// The stub's own JSON text, as the admin service lists it.
    public var json: String

    /// Whether answering needs the request decoded (match rules or request templates).
    public var needsRequest: Bool { match.needsRequest || templatesUseRequest }

    /// Whether answering reads the request's fields (more than its canonical text,
    /// which is all an `equals` rule compares).
    public var needsRequestFields: Bool { match.needsRequestFields || templatesUseRequest }

    private var templatesUseRequest: Bool {
        if case .messages(let messages) = reply {
            return messages.contains { $0.template?.usesRequest == true }
        }
        return false
    }
}

/// The match rules of a stub. Empty rules match every call.
public struct StubMatch: Sendable {
    /// A compiled regular expression.
    public struct Pattern: @unchecked Sendable {
        // NSRegularExpression is immutable and thread-safe once built.
        /// A pattern that is plain text with optional anchors, checked without the regex engine.
        enum Literal {
            case exact(String), prefix(String), suffix(String), contains(String)
        }

        public let source: String
        let expression: NSRegularExpression
        let literal: Literal?

        public init(_ source: String) throws {
            self.source = source
            expression = try NSRegularExpression(pattern: source)
            literal = Self.literal(source)
        }

        public func matches(_ text: String) -> Bool {
            switch literal {
            case .exact(let s): return text.utf8.elementsEqual(s.utf8)
            case .prefix(let s): return text.utf8.starts(with: s.utf8)
            case .suffix(let s): return text.utf8.reversed().starts(with: s.utf8.reversed())
            case .contains(let s): return s.isEmpty || text.contains(s)
            case nil: return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
        }

        static func literal(_ source: String) -> Literal? {
            var body = Substring(source)
            let start = body.hasPrefix("^")
            if start { body = body.dropFirst() }
            let end = body.hasSuffix("$")
            if end { body = body.dropLast() }
            guard !body.contains(where: { "\\.^$|?*+()[]{}".contains($0) }) else { return nil }
            let text = String(body)
            switch (start, end) {
            case (true, true): return .exact(text)
            case (true, false): return .prefix(text)
            case (false, true): return .suffix(text)
            case (false, false): return .contains(text)
            }
        }
    }

    /// The whole request, normalized through the schema (canonical JSON text).
    public var equals: String?
    /// A partial request that the request must contain.
    public var contains: JSONValue?
    /// Regular expressions on string fields, by JSON-name path.
    public var regex: [(path: [String], pattern: Pattern)] = []
    /// Paths that must be set.
    public var present: [[String]] = []
    /// Paths that must not be set.
    public var absent: [[String]] = []
    /// Exact header values.
    public var headers: [(name: String, value: String)] = []
    /// Regular expressions on header values.
    public var headerRegex: [(name: String, pattern: Pattern)] = []

    public init() {}

    /// Whether the rules look at the request message.
    public var needsRequest: Bool {
        equals != nil || contains != nil || !regex.isEmpty || !present.isEmpty || !absent.isEmpty
    }

    /// Whether the rules look at the request's fields (not only its canonical text).
    public var needsRequestFields: Bool {
        contains != nil || !regex.isEmpty || !present.isEmpty || !absent.isEmpty
    }

    /// Whether the rules look at anything.
    public var isEmpty: Bool { !needsRequest && headers.isEmpty && headerRegex.isEmpty }

    /// Whether a call with this request (canonical JSON text and parsed) and metadata matches.
    public func matches(requestText: String?, request: JSONValue?, metadata: Metadata) -> Bool {
        matches(requestText: requestText, fields: RequestFields(request), metadata: metadata)
    }

    /// The same, reading fields through `fields`, which remembers each path's value so that
    /// many stubs on one field look it up once.
    func matches(requestText: String?, fields: RequestFields, metadata: Metadata) -> Bool {
        let request = fields.request
        for (name, value) in headers where !metadata.strings(forKey: name).contains(value) { return false }
        for (name, pattern) in headerRegex where !metadata.strings(forKey: name).contains(where: pattern.matches) { return false }
        guard needsRequest else { return true }
        if let equals, equals != requestText { return false }
        guard let request else { return contains == nil && regex.isEmpty && present.isEmpty && absent.isEmpty }
        if let contains, !request.contains(contains) { return false }
        for (path, pattern) in regex {
            guard let text = fields.value(at: path)?.stringValue, pattern.matches(text) else { return false }
        }
        for path in present where request.value(at: path) == nil { return false }
        for path in absent where request.value(at: path) != nil { return false }
        return true
    }
}

/// A decoded request with its looked-up field values remembered (one call only).
final class RequestFields {
    let request: JSONValue?
    private var cache: [(path: [String], value: JSONValue?)] = []

    init(_ request: JSONValue?) { self.request = request }

    func value(at path: [String]) -> JSONValue? {
        for entry in cache where entry.path == path { return entry.value }
        let value = request?.value(at: path)
        if cache.count < 8 { cache.append((path, value)) }
        return value
    }
}
