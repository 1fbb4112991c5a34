/// One gRPC method of the fixed protocols whose messages this module holds.
///
/// The generated message types say nothing about services, so this type
/// carries what a caller or a server needs to route a call: the
/// fully-qualified service name, the method name and the streaming kind.
/// The known methods are listed in the nested namespaces, e.g.
/// ``WireMethod/Health/check`` or ``WireMethod/PolarisNaming/discover``.
public struct WireMethod: Sendable, Hashable, CustomStringConvertible {
    /// How many messages each side of a call sends.
    public enum Kind: Sendable, Hashable {
        /// One request, one response.
        case unary
        /// A stream of requests, one response.
        case clientStreaming
        /// One request, a stream of responses.
        case serverStreaming
        /// A stream each way.
        case bidirectionalStreaming
    }

    /// The fully-qualified service name, e.g. `grpc.health.v1.Health`.
    public let service: String

    /// The method name within the service, e.g. `Check`.
    public let name: String

    /// The streaming kind.
    public let kind: Kind

    /// Creates a method description.
    ///
    /// - Parameters:
    ///   - service: The fully-qualified service name.
    ///   - name: The method name.
    ///   - kind: The streaming kind.
    public init(service: String, name: String, kind: Kind) {
        self.service = service
        self.name = name
        self.kind = kind
    }

    /// The HTTP/2 `:path` of the method, e.g. `/grpc.health.v1.Health/Check`.
    public var path: String {
        "/\(service)/\(name)"
    }

    /// The method as `package.Service/Method`, the form users type.
    public var description: String {
        "\(service)/\(name)"
    }
}
