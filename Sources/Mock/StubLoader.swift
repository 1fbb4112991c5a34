import Foundation
import NIOCore
import RPC
public import Schema
import SwiftProtobuf
import WireProtos
import Yams

/// Reads stub files (JSON or YAML; one stub, a list, or several YAML documents per file;
/// or a directory of them) and compiles each stub against the schema. Every problem
/// names the file, the line and the field.
public struct StubLoader: Sendable {
    let schema: SchemaPool
    let wire: SchemaPool
    let catalog: MessageCatalog
    let methods: [String: MethodInfo]

    /// A loader for the methods of `schema`.
    ///
    /// - Throws: ``SchemaError`` if the built-in descriptors cannot be loaded (a bug).
    public init(schema: SchemaPool) throws {
        self.schema = schema
        self.wire = try SchemaPool.load(protosets: [WireDescriptors.fileDescriptorSet])
        self.catalog = MessageCatalog(files: schema.files)
        var methods: [String: MethodInfo] = [:]
        for service in schema.services {
            for method in service.methods { methods[method.path] = method }
        }
        self.methods = methods
    }

    /// The stub files named by `paths`: files as given, directories by their `.json`,
    /// `.yaml` and `.yml` files (sorted, not recursive into hidden entries).
    ///
    /// - Throws: ``MockError`` (`unreadableFile`) for a path that does not exist.
    public static func files(in paths: [String]) throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw MockError(code: .unreadableFile, message: "\(path): no such stub file or directory")
            }
            if isDirectory.boolValue {
                guard let enumerator = fm.enumerator(atPath: path) else { continue }
                var found: [String] = []
                while let entry = enumerator.nextObject() as? String {
                    let name = (entry as NSString).lastPathComponent
                    if name.hasPrefix(".") { continue }
                    if entry.hasSuffix(".json") || entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                        found.append(path + "/" + entry)
                    }
                }
                out += found.sorted()
            } else {
                out.append(path)
            }
        }
        return out
    }

    /// Loads and compiles every stub of `paths`.
    ///
    /// - Throws: ``MockError`` for the first problem, naming file:line and the field.
    public func load(paths: [String]) throws -> [Stub] {
        var stubs: [Stub] = []
        for file in try Self.files(in: paths) {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw MockError(code: .unreadableFile, message: "\(file): cannot read the stub file")
            }
            stubs += try load(text: text, file: file)
        }
        return stubs
    }

    /// Compiles the stubs in one file's text.
    ///
    /// - Throws: ``MockError`` naming `file:line`.
    public func load(text: String, file: String) throws -> [Stub] {
        let documents: [Node]
        do {
            documents = Array(try Yams.compose_all(yaml: file.hasSuffix(".json") ? Self.untabbed(text) : text))
        } catch let error as YamlError {
            throw MockError(code: .invalidStub, message: "\(file): \(Self.describe(error))")
        } catch {
            throw MockError(code: .invalidStub, message: "\(file): \(error)")
        }
        var stubs: [Stub] = []
        for document in documents {
            switch document {
            case .sequence(let items):
                for (i, item) in items.enumerated() {
                    stubs.append(try compile(item, file: file, defaultID: "\(Self.baseName(file))#\(stubs.count + 1)", index: i))
                }
            case .mapping:
                stubs.append(try compile(document, file: file, defaultID: "\(Self.baseName(file))#\(stubs.count + 1)", index: 0))
            default:
                throw MockError(code: .invalidStub, message: "\(Self.location(file, document)): a stub file holds a stub object or a list of them")
            }
        }
        return stubs
    }

    /// JSON text for the YAML reader: JSON allows a tab wherever it allows a space
    /// (a raw tab cannot occur inside a JSON string), YAML's scanner does not.
    static func untabbed(_ json: String) -> String {
        json.contains("\t") ? json.replacingOccurrences(of: "\t", with: " ") : json
    }

    /// Compiles one stub given as JSON text (the admin service's format).
    ///
    /// - Throws: ``MockError``.
    public func load(json: String, id: String, method: String) throws -> Stub {
        let node: Node
        do {
            guard let parsed = try Yams.compose(yaml: Self.untabbed(json)) else {
                throw MockError(code: .invalidStub, message: "stub \(id): empty JSON")
            }
            node = parsed
        } catch let error as YamlError {
            throw MockError(code: .invalidStub, message: "stub \(id): \(Self.describe(error))")
        }
        var stub = try compile(node, file: "admin", defaultID: id, index: 0, defaultMethod: method)
        stub.source = "admin"
        return stub
    }

    // MARK: One stub

    private func compile(_ node: Node, file: String, defaultID: String, index: Int, defaultMethod: String = "") throws -> Stub {
        let at = Self.location(file, node)
        guard case .mapping(let mapping) = node else {
            throw MockError(code: .invalidStub, message: "\(at): a stub must be an object")
        }
        let known: Set<String> = ["id", "method", "priority", "match", "response", "times", "answer"]
        for (key, _) in mapping {
            guard let name = key.string, known.contains(name) else {
                throw MockError(code: .invalidStub, message: "\(Self.location(file, key)): unknown stub field '\(key.string ?? "?")' (fields: \(known.sorted().joined(separator: ", ")))")
            }
        }
        var methodName = node["method"]?.string ?? defaultMethod
        guard !methodName.isEmpty else {
            throw MockError(code: .invalidStub, message: "\(at): the stub has no 'method' (package.Service/Method)")
        }
        if !methodName.contains("/"), let dot = methodName.lastIndex(of: ".") {
            methodName.replaceSubrange(dot...dot, with: "/")
        }
        let path = "/" + methodName
        guard let method = methods[path] else {
            let nodeAt = node["method"].map { Self.location(file, $0) } ?? at
            throw MockError(code: .unknownMethod, message: "\(nodeAt): method '\(methodName)' is not in the loaded schema")
        }
        let json = JSONValue(node: node)
        var stub = Stub(
            id: node["id"]?.string ?? defaultID, path: path, priority: 0, match: StubMatch(),
            reply: .messages([]), headers: Metadata(), trailers: Metadata(), delay: nil, limit: nil,
            answer: method.kind == .bidiStreaming ? .perMessage : .afterClose,
            source: at, json: json.text)
        if let priority = node["priority"] {
            guard let value = priority.int else { throw MockError(code: .invalidStub, message: "\(Self.location(file, priority)): priority: expected an integer") }
            stub.priority = value
        }
        if let times = node["times"] {
            guard let value = times.int, value > 0 else { throw MockError(code: .invalidStub, message: "\(Self.location(file, times)): times: expected a positive integer") }
            stub.limit = value
        }
        if let answer = node["answer"] {
            guard let value = answer.string.flatMap(Stub.Answer.init(rawValue:)) else {
                throw MockError(code: .invalidStub, message: "\(Self.location(file, answer)): answer: expected perMessage or afterClose")
            }
            stub.answer = value
        }
        if let match = node["match"] {
            stub.match = try compileMatch(match, file: file, method: method)
        }
        guard let response = node["response"] else {
            throw MockError(code: .invalidStub, message: "\(at): the stub has no 'response'")
        }
        try compileResponse(response, file: file, method: method, into: &stub)
        return stub
    }

    private func compileMatch(_ node: Node, file: String, method: MethodInfo) throws -> StubMatch {
        guard case .mapping(let mapping) = node else {
            throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): match: expected an object")
        }
        var match = StubMatch()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let at = Self.location(file, value)
            switch key {
            case "equals", "contains":
                let body = JSONValue(node: value)
                let canonical: String
                do {
                    let binary = try schema.jsonToBinary(body.text, messageType: method.inputType)
                    canonical = try schema.binaryToJSON(binary, messageType: method.inputType)
                } catch let error as SchemaError {
                    throw MockError(code: .invalidStub, message: "\(at): match.\(key): \(error.message)")
                }
                if key == "equals" {
                    match.equals = canonical
                } else {
                    let pattern = try JSONValue(parsing: canonical)
                    match.contains = pattern
                    // A field written with its default value (0, "", false, [], the first enum
                    // value) is absent from the canonical form: the request must not set it.
                    match.absent += writtenDefaults(body, canonical: pattern, messageType: method.inputType)
                }
            case "regex":
                for (field, pattern) in try pairs(value, file: file, what: "match.regex") {
                    let resolved = try resolveField(field, file: file, node: value, method: method, what: "match.regex")
                    guard resolved.field.type == .string else {
                        throw MockError(code: .invalidStub, message: "\(at): match.regex.\(field): not a string field")
                    }
                    do {
                        match.regex.append((resolved.jsonPath, try StubMatch.Pattern(pattern)))
                    } catch {
                        throw MockError(code: .invalidStub, message: "\(at): match.regex.\(field): invalid regular expression '\(pattern)'")
                    }
                }
            case "present", "absent":
                guard case .sequence(let items) = value else {
                    throw MockError(code: .invalidStub, message: "\(at): match.\(key): expected a list of field paths")
                }
                for item in items {
                    let resolved = try resolveField(item.string ?? "", file: file, node: item, method: method, what: "match.\(key)")
                    if key == "present" { match.present.append(resolved.jsonPath) } else { match.absent.append(resolved.jsonPath) }
                }
            case "headers":
                for (name, text) in try pairs(value, file: file, what: "match.headers") { match.headers.append((name.lowercased(), text)) }
            case "headerRegex":
                for (name, text) in try pairs(value, file: file, what: "match.headerRegex") {
                    do {
                        match.headerRegex.append((name.lowercased(), try StubMatch.Pattern(text)))
                    } catch {
                        throw MockError(code: .invalidStub, message: "\(at): match.headerRegex.\(name): invalid regular expression '\(text)'")
                    }
                }
            default:
                throw MockError(code: .invalidStub, message: "\(Self.location(file, keyNode)): unknown match rule '\(key)' (rules: absent, contains, equals, headerRegex, headers, present, regex)")
            }
        }
        return match
    }

    /// The JSON paths of the fields `written` sets that `canonical` (the same
    /// pattern read through the schema) leaves out because they hold default values.
    /// Singular messages are followed into; lists, maps and well-known types are leaves.
    private func writtenDefaults(_ written: JSONValue, canonical: JSONValue, messageType: String, prefix: [String] = []) -> [[String]] {
        guard case .object(let members) = written else { return [] }
        var paths: [[String]] = []
        for (name, value) in members {
            guard let resolved = catalog.resolve(path: [name], in: messageType) else { continue }
            let path = prefix + resolved.jsonPath
            let field = resolved.field
            let nested = field.type == .message && field.label != .repeated && !field.typeName.hasPrefix(".google.protobuf.")
            if nested, case .object = value, canonical.value(at: path) != nil {
                paths += writtenDefaults(value, canonical: canonical, messageType: field.typeName, prefix: path)
            } else if canonical.value(at: path) == nil, value != .null {
                paths.append(path)
            }
        }
        return paths
    }

    private func resolveField(_ field: String, file: String, node: Node, method: MethodInfo, what: String) throws -> (jsonPath: [String], field: Google_Protobuf_FieldDescriptorProto) {
        guard let resolved = catalog.resolve(path: field.split(separator: ".").map(String.init), in: method.inputType) else {
            throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): \(what): '\(field)' is not a field path of \(method.inputType)")
        }
        return resolved
    }

    private func pairs(_ node: Node, file: String, what: String) throws -> [(String, String)] {
        guard case .mapping(let mapping) = node else {
            throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): \(what): expected an object")
        }
        return try mapping.map { key, value in
            guard let k = key.string, let v = value.string else {
                throw MockError(code: .invalidStub, message: "\(Self.location(file, key)): \(what): expected string keys and values")
            }
            return (k, v)
        }
    }

    private func compileResponse(_ node: Node, file: String, method: MethodInfo, into stub: inout Stub) throws {
        guard case .mapping(let mapping) = node else {
            throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): response: expected an object")
        }
        var messages: [Stub.Message]?
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "message":
                messages = [try compileMessage(value, file: file, method: method, what: "response.message", delay: nil)]
            case "messages":
                guard case .sequence(let items) = value else {
                    throw MockError(code: .invalidStub, message: "\(Self.location(file, value)): response.messages: expected a list")
                }
                messages = try items.enumerated().map { i, item in
                    // Each item is {message: {...}, delay: "10ms"} or the message itself.
                    if case .mapping(let m) = item, m.keys.contains(where: { $0.string == "message" }),
                       m.keys.allSatisfy({ $0.string == "message" || $0.string == "delay" }), let body = item["message"] {
                        let delay = try item["delay"].map { try Self.delay($0, file: file, what: "response.messages[\(i)].delay") }
                        return try compileMessage(body, file: file, method: method, what: "response.messages[\(i)]", delay: delay)
                    }
                    return try compileMessage(item, file: file, method: method, what: "response.messages[\(i)]", delay: nil)
                }
            case "error":
                stub.reply = .status(try compileError(value, file: file))
            case "headers":
                stub.headers = try metadata(value, file: file, what: "response.headers")
            case "trailers":
                stub.trailers = try metadata(value, file: file, what: "response.trailers")
            case "delay":
                stub.delay = try Self.delay(value, file: file, what: "response.delay")
            default:
                throw MockError(code: .invalidStub, message: "\(Self.location(file, keyNode)): unknown response field '\(key)' (fields: delay, error, headers, message, messages, trailers)")
            }
        }
        if let messages {
            if case .status = stub.reply {
                throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): response: give messages or an error, not both")
            }
            if !method.kind.serverStreams && messages.count != 1 {
                throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): response.messages: \(method.fullName) is not server-streaming; give one 'message'")
            }
            stub.reply = .messages(messages)
        } else if case .messages = stub.reply {
            throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): response: give 'message', 'messages' or 'error'")
        }
        if case .status(var status) = stub.reply {
            status.trailers = stub.trailers
            stub.reply = .status(status)
        }
    }

    private func compileMessage(_ node: Node, file: String, method: MethodInfo, what: String, delay: Stub.Delay?) throws -> Stub.Message {
        let body = JSONValue(node: node)
        let at = Self.location(file, node)
        let template: ResponseTemplate?
        do {
            template = try ResponseTemplate.compile(body)
        } catch let error as MockError {
            throw MockError(code: .invalidStub, message: "\(at): \(what): \(error.message)")
        }
        if let template {
            for path in template.requestPaths where catalog.resolve(path: path, in: method.inputType) == nil {
                throw MockError(code: .invalidStub, message: "\(at): \(what): '{{request.\(path.joined(separator: "."))}}' is not a field path of \(method.inputType)")
            }
            // Validate the shape with every placeholder empty.
            do {
                _ = try schema.jsonToBinary(template.render(request: nil, metadata: Metadata()), messageType: method.outputType)
            } catch let error as SchemaError {
                throw MockError(code: .invalidStub, message: "\(at): \(what): \(error.message)")
            }
            return Stub.Message(fixed: nil, template: template, delay: delay)
        }
        do {
            let bytes = try schema.jsonToBinary(body.text, messageType: method.outputType)
            return Stub.Message(fixed: ByteBuffer(bytes: bytes), template: nil, delay: delay)
        } catch let error as SchemaError {
            throw MockError(code: .invalidStub, message: "\(at): \(what): \(error.message)")
        }
    }

    private func compileError(_ node: Node, file: String) throws -> GRPCStatus {
        let at = Self.location(file, node)
        guard let codeNode = node["code"] else {
            throw MockError(code: .invalidStub, message: "\(at): response.error: needs a 'code' (a name like NOT_FOUND or a number)")
        }
        guard let code = Self.statusCode(codeNode.string ?? "") else {
            throw MockError(code: .invalidStub, message: "\(Self.location(file, codeNode)): response.error.code: unknown status '\(codeNode.string ?? "")'")
        }
        let message = node["message"]?.string ?? ""
        var details: [UInt8]?
        if let detailNodes = node["details"] {
            guard case .sequence(let items) = detailNodes else {
                throw MockError(code: .invalidStub, message: "\(Self.location(file, detailNodes)): response.error.details: expected a list")
            }
            var status = Google_Rpc_Status()
            status.code = Int32(code.rawValue)
            status.message = message
            for (i, item) in items.enumerated() {
                let itemAt = Self.location(file, item)
                guard case .object(let members) = JSONValue(node: item),
                      let typeURL = members.first(where: { $0.0 == "@type" })?.1.stringValue else {
                    throw MockError(code: .invalidStub, message: "\(itemAt): response.error.details[\(i)]: needs an '@type' (type.googleapis.com/google.rpc.ErrorInfo ...)")
                }
                let typeName = String(typeURL.split(separator: "/").last ?? "")
                let rest = JSONValue.object(members.filter { $0.0 != "@type" }).text
                let pool = wire.messageNames.contains(typeName) ? wire : schema
                do {
                    var any = Google_Protobuf_Any()
                    any.typeURL = typeURL
                    any.value = Data(try pool.jsonToBinary(rest, messageType: typeName))
                    status.details.append(any)
                } catch let error as SchemaError {
                    throw MockError(code: .invalidStub, message: "\(itemAt): response.error.details[\(i)]: \(error.message)")
                }
            }
            details = try? status.serializedBytes()
        }
        return GRPCStatus(code: code, message: message, details: details)
    }

    private func metadata(_ node: Node, file: String, what: String) throws -> Metadata {
        var out = Metadata()
        for (name, value) in try pairs(node, file: file, what: what) {
            let key = name.lowercased()
            guard Metadata.isValidCustomKey(key) else {
                throw MockError(code: .invalidStub, message: "\(Self.location(file, node)): \(what): '\(name)' is not a valid metadata name")
            }
            out.addString(value, forKey: key)
        }
        return out
    }

    // MARK: Helpers

    static func statusCode(_ text: String) -> GRPCStatus.Code? {
        if let number = Int(text), (0...16).contains(number) { return GRPCStatus.Code(rawValue: number) }
        let wanted = text.uppercased()
        for raw in 0...16 where GRPCStatus.Code(rawValue: raw).description == wanted {
            return GRPCStatus.Code(rawValue: raw)
        }
        return nil
    }

    static func delay(_ node: Node, file: String, what: String) throws -> Stub.Delay {
        let at = location(file, node)
        if let text = node.string, let amount = duration(text) {
            return Stub.Delay(minimum: amount, maximum: amount)
        }
        if let lo = node["min"]?.string.flatMap(duration), let hi = node["max"]?.string.flatMap(duration), hi >= lo {
            return Stub.Delay(minimum: lo, maximum: hi)
        }
        throw MockError(code: .invalidStub, message: "\(at): \(what): expected a duration like \"100ms\" or {min: \"10ms\", max: \"50ms\"}")
    }

    /// Parses "250ms", "1.5s", "2m", "100us"; bare numbers are milliseconds.
    static func duration(_ text: String) -> TimeAmount? {
        let units: [(String, Double)] = [("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9), ("m", 60e9)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0, value < 3600e9 / scale else { return nil }
            return .nanoseconds(Int64(value * scale))
        }
        guard let ms = Double(text), ms >= 0, ms < 3_600_000 else { return nil }
        return .nanoseconds(Int64(ms * 1e6))
    }

    static func location(_ file: String, _ node: Node) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line)"
    }

    static func baseName(_ file: String) -> String {
        (file as NSString).lastPathComponent
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return "line \(mark.line):\(mark.column): \(problem)\(context.map { " (\($0.text))" } ?? "")"
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
        }
    }
}

extension JSONValue {
    /// Converts a YAML (or JSON) node: quoted scalars are strings; plain scalars that read
    /// as null, booleans or numbers become those.
    init(node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain && scalar.style != .any {
                self = .string(scalar.string)
                return
            }
            let text = scalar.string
            switch text {
            case "null", "~", "", "Null", "NULL": self = .null
            case "true", "True", "TRUE": self = .bool(true)
            case "false", "False", "FALSE": self = .bool(false)
            default:
                if let first = text.first, first == "-" || first.isNumber, Double(text) != nil, !text.hasSuffix(".") {
                    self = .number(text)
                } else {
                    self = .string(text)
                }
            }
        case .mapping(let mapping):
            self = .object(mapping.map { ($0.key.string ?? "", JSONValue(node: $0.value)) })
        case .sequence(let sequence):
            self = .array(sequence.map { JSONValue(node: $0) })
        case .alias:
            self = .null
        }
    }
}
