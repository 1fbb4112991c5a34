import Foundation
public import NIOCore
public import RPC
public import Schema
import WireProtos

/// What `serve` answers when no stub matches.
public enum DefaultAnswer: String, Sendable, CaseIterable {
    /// A deterministic, schema-valid example message.
    case fake
    /// The empty message.
    case empty
    /// `UNIMPLEMENTED`.
    case unimplemented
}

/// The mock server's services for one schema: every method of every service answers from
/// stubs or the default; plus reflection, health and the admin service. Install them into
/// a router (next to any other service) and bind an ``RPC/RPCServer`` with it.
///
/// ```swift
/// let mock = try MockServer(schema: pool, defaultAnswer: .fake, stubs: stubs)
/// var router = RPCRouter()
/// mock.install(into: &router)
/// let server = try await RPCServer.bind(to: address, router: router, eventLoopGroup: group)
/// ```
public final class MockServer: Sendable {
    public let schema: SchemaPool
    public let defaultAnswer: DefaultAnswer
    public let stubs: StubStore
    public let health: HealthService
    public let journal: Journal
    public let loader: StubLoader
    private let defaults: [String: ByteBuffer]

    /// The user's methods, by path.
    public let methods: [String: MethodInfo]

    /// Prepares the services: default answers are encoded once here.
    ///
    /// - Throws: ``SchemaError`` if a fake message does not encode (a bug), ``MockError``.
    public init(schema: SchemaPool, defaultAnswer: DefaultAnswer, stubs: [Stub], journal: Journal, loader: StubLoader) throws {
        self.schema = schema
        self.defaultAnswer = defaultAnswer
        self.stubs = StubStore(stubs)
        self.journal = journal
        self.loader = loader
        health = HealthService(services: schema.services.map(\.name))
        var methods: [String: MethodInfo] = [:]
        var defaults: [String: ByteBuffer] = [:]
        let fake = FakeMessage(catalog: MessageCatalog(files: schema.files))
        for service in schema.services {
            for method in service.methods {
                methods[method.path] = method
                switch defaultAnswer {
                case .fake:
                    let json = fake.json(for: method.outputType).text
                    defaults[method.path] = ByteBuffer(bytes: try schema.jsonToBinary(json, messageType: method.outputType))
                case .empty:
                    defaults[method.path] = ByteBuffer()
                case .unimplemented:
                    break
                }
            }
        }
        self.methods = methods
        self.defaults = defaults
    }

    /// The number of user methods.
    public var methodCount: Int { methods.count }

    /// Installs every user method, reflection (v1, v1alpha), health and admin.
    public func install(into router: inout RPCRouter) {
        for method in methods.values {
            if method.kind == .unary {
                installUnary(method, into: &router)
            } else {
                installStreaming(method, into: &router)
            }
        }
        health.install(into: &router)
        let builtIn = (try? SchemaPool.load(protosets: [WireDescriptors.fileDescriptorSet]).files) ?? []
        let serviceNames = schema.services.map(\.name) + [
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
            "grpc.health.v1.Health", "polarisctl.mock.v1.Admin",
        ]
        ReflectionService(files: schema.files + builtIn, services: serviceNames).install(into: &router)
        AdminService(server: self).install(into: &router)
    }

    // MARK: Choosing an answer

    /// The decoded request, when the method's stubs need it.
    struct Decoded {
        var text: String?
        var value: JSONValue?
    }

    /// Checks the request and decodes it if `needed`; a status when it is not a valid message.
    func decode(_ request: ByteBuffer, method: MethodInfo, needed: Bool, fields: Bool = true) -> Outcome<Decoded> {
        guard needed else {
            if let problem = WireScan.problem(in: request) {
                return .failure(GRPCStatus(code: .invalidArgument, message: "the request is not a valid \(method.inputType): \(problem)"))
            }
            return .success(Decoded())
        }
        do {
            let text = try schema.binaryToJSON(Array(request.readableBytesView), messageType: method.inputType)
            return .success(Decoded(text: text, value: fields ? try? JSONValue(parsing: text) : nil))
        } catch let error as SchemaError {
            return .failure(GRPCStatus(code: .invalidArgument, message: "the request is not a valid \(method.inputType): \(error.message)"))
        } catch {
            return .failure(GRPCStatus(code: .invalidArgument, message: "the request is not a valid \(method.inputType)"))
        }
    }

    /// The index in `set` of the first stub (in order) that matches and has uses left.
    func pick(_ set: StubStore.MethodStubs, decoded: Decoded, metadata: Metadata, answer: Stub.Answer? = nil) -> Int? {
        let fields = RequestFields(decoded.value)
        for index in set.candidates(requestText: decoded.text, fields: fields) {
            if let answer, set.stubs[index].answer != answer { continue }
            if set.stubs[index].match.matches(requestText: decoded.text, fields: fields, metadata: metadata),
               stubs.claim(set, index) {
                return index
            }
        }
        return nil
    }

    /// The bytes of one stub message for a call.
    func render(_ message: Stub.Message, method: MethodInfo, decoded: Decoded, metadata: Metadata) -> Outcome<ByteBuffer> {
        if let fixed = message.fixed { return .success(fixed) }
        guard let template = message.template else { return .success(ByteBuffer()) }
        let json = template.render(request: decoded.value, metadata: metadata)
        do {
            return .success(ByteBuffer(bytes: try schema.jsonToBinary(json, messageType: method.outputType)))
        } catch {
            return .failure(GRPCStatus(code: .internal, message: "the stub's template produced an invalid \(method.outputType): \(error)"))
        }
    }

    func defaultReply(_ method: MethodInfo) -> Outcome<ByteBuffer> {
        if let buffer = defaults[method.path] { return .success(buffer) }
        return .failure(GRPCStatus(code: .unimplemented, message: "no stub matched \(method.fullName) (--default unimplemented)"))
    }

    /// Records a call of `method` (journalled as `name`, its `pkg.Service/Method`).
    func record(_ method: MethodInfo, name: String, context: ServerContext, start: NIODeadline, requests: [ByteBuffer], status: GRPCStatus, stubID: String) {
        guard journal.isEnabled else { return }
        let latency = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        journal.record(Journal.Entry(
            sequence: 0, time: Date(), method: name, inputType: method.inputType,
            metadata: context.metadata, requests: requests,
            status: status.code, statusMessage: status.message, latency: latency, stubID: stubID, peer: context.peer ?? ""))
    }

    static func text(_ value: MetadataValue) -> String {
        switch value {
        case .string(let s): return s
        case .binary(let b): return Data(b).base64EncodedString()
        }
    }

    // MARK: Unary: the callback path

    private func installUnary(_ method: MethodInfo, into router: inout RPCRouter) {
        // Computed once, not per call.
        let path = method.path, name = method.fullName.replacingLastDot()
        router.registerUnary(path) { [self] context, request, responder in
            let start = NIODeadline.now()
            /// Sends the reply (with the stub's headers and trailers when a stub gave it) and
            /// journals the call. The stub is read in place (`set.stubs[index]`): no copy per call.
            @Sendable func answer(_ responder: UnaryResponder, _ reply: Outcome<ByteBuffer>,
                                  from stub: (set: StubStore.MethodStubs, index: Int)?) {
                let status: GRPCStatus
                switch reply {
                case .success(let buffer):
                    if let (set, index) = stub {
                        responder.respond(buffer, metadata: set.stubs[index].headers, trailers: set.stubs[index].trailers)
                    } else {
                        responder.respond(buffer, metadata: Metadata(), trailers: Metadata())
                    }
                    status = .ok
                case .failure(let failure):
                    responder.fail(failure)
                    status = failure
                }
                record(method, name: name, context: context, start: start, requests: [request], status: status,
                       stubID: stub.map { $0.set.stubs[$0.index].id } ?? "")
            }

            let set = stubs.stubs(for: path)
            let decoded: Decoded
            switch decode(request, method: method, needed: set?.needsRequest ?? false, fields: set?.needsRequestFields ?? false) {
            case .success(let value): decoded = value
            case .failure(let status):
                answer(responder, .failure(status), from: nil)
                return
            }
            guard let set, let index = pick(set, decoded: decoded, metadata: context.metadata) else {
                answer(responder, defaultReply(method), from: nil)
                return
            }
            let reply: Outcome<ByteBuffer>
            switch set.stubs[index].reply {
            case .status(let status): reply = .failure(status)
            case .messages(let messages):
                reply = messages.first.map { render($0, method: method, decoded: decoded, metadata: context.metadata) } ?? .success(ByteBuffer())
            }
            if let delay = set.stubs[index].delay?.pick(), delay.nanoseconds > 0 {
                let bound = NIOLoopBound(responder, eventLoop: responder.eventLoop)
                responder.eventLoop.scheduleTask(in: delay) { answer(bound.value, reply, from: (set, index)) }
            } else {
                answer(responder, reply, from: (set, index))
            }
        }
    }

    // MARK: Streaming kinds: async handlers

    private func installStreaming(_ method: MethodInfo, into router: inout RPCRouter) {
        let kind: RPCMethodKind = switch method.kind {
        case .clientStreaming: .clientStreaming
        case .serverStreaming: .serverStreaming
        default: .bidirectionalStreaming
        }
        let name = method.fullName.replacingLastDot()
        router.register(method.path, kind: kind) { [self] call in
            let start = NIODeadline.now()
            var received: [ByteBuffer] = []
            var used: Stub?
            let status: GRPCStatus
            do {
                status = try await serveStream(method, call: call, received: &received, used: &used)
            } catch {
                record(method, name: name, context: call.context, start: start, requests: received, status: GRPCStatus(code: .cancelled), stubID: used?.id ?? "")
                throw error
            }
            record(method, name: name, context: call.context, start: start, requests: received, status: status, stubID: used?.id ?? "")
            return status
        }
    }

    private func serveStream(_ method: MethodInfo, call: ServerCall, received: inout [ByteBuffer], used: inout Stub?) async throws -> GRPCStatus {
        let metadata = call.context.metadata
        let set = stubs.stubs(for: method.path)
        let needed = set?.needsRequest ?? false
        var headersSent = false
        var lastDecoded = Decoded()

        /// Sends a stub's messages; returns its status when it ends the call.
        func play(_ stub: Stub, decoded: Decoded, final: Bool) async throws -> GRPCStatus? {
            if let delay = stub.delay?.pick(), delay.nanoseconds > 0 {
                try await Task.sleep(nanoseconds: UInt64(delay.nanoseconds))
            }
            if !headersSent && !stub.headers.isEmpty {
                try await call.sendHeaders(stub.headers)
            }
            headersSent = true
            switch stub.reply {
            case .status(var status):
                status.trailers = stub.trailers
                return status
            case .messages(let messages):
                for message in messages {
                    if let delay = message.delay?.pick(), delay.nanoseconds > 0 {
                        try await Task.sleep(nanoseconds: UInt64(delay.nanoseconds))
                    }
                    switch render(message, method: method, decoded: decoded, metadata: metadata) {
                    case .success(let buffer): try await call.send(buffer)
                    case .failure(let status): return status
                    }
                }
                return final ? GRPCStatus(code: .ok, trailers: stub.trailers) : nil
            }
        }

        func playDefault(count: Int) async throws -> GRPCStatus? {
            switch defaultReply(method) {
            case .success(let buffer):
                for _ in 0..<count { try await call.send(buffer) }
                return nil
            case .failure(let status):
                return status
            }
        }

        if method.kind == .serverStreaming {
            var iterator = call.requests.makeAsyncIterator()
            guard let first = try await iterator.next() else {
                return GRPCStatus(code: .invalidArgument, message: "no request message")
            }
            received.append(first)
            switch decode(first, method: method, needed: needed) {
            case .failure(let status): return status
            case .success(let decoded): lastDecoded = decoded
            }
            if let set, let index = pick(set, decoded: lastDecoded, metadata: metadata) {
                let stub = set.stubs[index]
                used = stub
                return try await play(stub, decoded: lastDecoded, final: true) ?? .ok
            }
            return try await playDefault(count: 3) ?? .ok
        }

        // Client streaming and bidi: per-message stubs answer as messages arrive.
        let perMessage = set?.stubs.contains { $0.answer == .perMessage } ?? false
        for try await message in call.requests {
            received.append(message)
            switch decode(message, method: method, needed: needed) {
            case .failure(let status): return status
            case .success(let decoded): lastDecoded = decoded
            }
            guard perMessage || method.kind == .bidiStreaming else { continue }
            if perMessage, let set, let index = pick(set, decoded: lastDecoded, metadata: metadata, answer: .perMessage) {
                let stub = set.stubs[index]
                used = stub
                let ends = method.kind == .clientStreaming
                if let status = try await play(stub, decoded: lastDecoded, final: ends) { return status }
            } else if method.kind == .bidiStreaming, set?.stubs.contains(where: { $0.answer == .afterClose }) != true {
                if let status = try await playDefault(count: 1) { return status }
            }
        }
        if let set, let index = pick(set, decoded: lastDecoded, metadata: metadata, answer: .afterClose) {
            let stub = set.stubs[index]
            used = stub
            return try await play(stub, decoded: lastDecoded, final: true) ?? .ok
        }
        if method.kind == .clientStreaming {
            return try await playDefault(count: 1) ?? .ok
        }
        return .ok
    }
}

/// A value, or the status that ends the call instead.
enum Outcome<Value> {
    case success(Value)
    case failure(GRPCStatus)
}

extension Outcome: Sendable where Value: Sendable {}

extension String {
    /// "pkg.Service.Method" -> "pkg.Service/Method".
    func replacingLastDot() -> String {
        guard let dot = lastIndex(of: ".") else { return self }
        var out = self
        out.replaceSubrange(dot...dot, with: "/")
        return out
    }
}
