/// A gRPC method's streaming shape.
public enum MethodKind: String, Sendable, Hashable, CaseIterable {
    case unary
    case clientStreaming = "client-streaming"
    case serverStreaming = "server-streaming"
    case bidiStreaming = "bidi-streaming"

    public init(clientStreaming: Bool, serverStreaming: Bool) {
        switch (clientStreaming, serverStreaming) {
        case (false, false): self = .unary
        case (true, false): self = .clientStreaming
        case (false, true): self = .serverStreaming
        case (true, true): self = .bidiStreaming
        }
    }

    public var clientStreams: Bool { self == .clientStreaming || self == .bidiStreaming }
    public var serverStreams: Bool { self == .serverStreaming || self == .bidiStreaming }
}

/// A method of a service, as the schema declares it.
public struct MethodInfo: Sendable, Hashable {
    /// Short name: `SayHello`.
    public var name: String
    /// Full service name: `helloworld.Greeter`.
    public var serviceName: String
    /// Fully qualified input message type, without a leading dot.
    public var inputType: String
    /// Fully qualified output message type, without a leading dot.
    public var outputType: String
    public var kind: MethodKind

    /// `helloworld.Greeter.SayHello`, the name used for symbols.
    public var fullName: String { "\(serviceName).\(name)" }
    /// `/helloworld.Greeter/SayHello`, the HTTP/2 `:path` of the method.
    public var path: String { "/\(serviceName)/\(name)" }
}

/// A service and its methods.
public struct ServiceInfo: Sendable, Hashable {
    public var name: String
    /// The file that defines the service.
    public var file: String
    public var methods: [MethodInfo]
}
