/// Maps method paths (`/pkg.Service/Method`) to handlers. Unknown paths are answered with
/// `UNIMPLEMENTED`.
///
/// ```swift
/// var router = RPCRouter()
/// router.registerUnary("/echo.Echo/Get") { context, request, responder in
///     responder.respond(request)
/// }
/// router.register("/echo.Echo/Chat", kind: .bidirectionalStreaming) { call in
///     for try await message in call.requests { try await call.send(message) }
///     return .ok
/// }
/// ```
public struct RPCRouter: Sendable {
    enum Route: Sendable {
        case unary(UnaryHandler)
        case streaming(RPCMethodKind, StreamingHandler)
    }

    private var routes: [String: Route] = [:]

    /// An empty router.
    public init() {}

    /// Registers the fast callback form of a unary method, run on the event loop with no
    /// task per call.
    ///
    /// - Parameters:
    ///   - path: The method path, e.g. `/pkg.Service/Method`.
    ///   - handler: The handler; it answers through the responder.
    public mutating func registerUnary(_ path: String, handler: @escaping UnaryHandler) {
        routes[path] = .unary(handler)
    }

    /// Registers an async handler for a method of any kind (one task per call).
    ///
    /// - Parameters:
    ///   - path: The method path.
    ///   - kind: The call kind (informational; the engine does not limit message counts).
    ///   - handler: The handler.
    public mutating func register(_ path: String, kind: RPCMethodKind, handler: @escaping StreamingHandler) {
        routes[path] = .streaming(kind, handler)
    }

    /// The registered paths, sorted.
    public var paths: [String] { routes.keys.sorted() }

    func lookup(_ path: String) -> Route? { routes[path] }
}
