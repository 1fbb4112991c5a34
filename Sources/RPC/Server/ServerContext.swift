public import NIOCore

/// What a server handler knows about its call.
public struct ServerContext: Sendable {
    /// The method path, e.g. `/pkg.Service/Method`.
    public var path: String
    /// The request metadata (custom headers; `-bin` values decoded).
    public var metadata: Metadata
    /// The call's deadline from `grpc-timeout`, if the client set one. The engine ends the
    /// call with `DEADLINE_EXCEEDED` when it passes.
    public var deadline: NIODeadline?
    /// The client's address, e.g. `[IPv4]127.0.0.1/127.0.0.1:53512`.
    public var peer: String?
    /// The `:authority` the client sent.
    public var authority: String?

    /// Creates a context (mainly for tests of handlers).
    public init(path: String, metadata: Metadata = [:], deadline: NIODeadline? = nil, peer: String? = nil, authority: String? = nil) {
        self.path = path
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
        self.authority = authority
    }
}

/// The callback form of a unary handler, run on the connection's event loop: it must not
/// block. Answer through the ``UnaryResponder`` exactly once, now or later (on the same
/// event loop, see ``UnaryResponder/eventLoop``).
public typealias UnaryHandler = @Sendable (ServerContext, ByteBuffer, UnaryResponder) -> Void

/// The async form of a handler for any call kind. It reads requests from
/// ``ServerCall/requests``, writes with ``ServerCall/send(_:)`` and returns the final status.
/// A thrown error ends the call with `UNKNOWN` (or the status carried by an
/// ``RPCError``'s message).
public typealias StreamingHandler = @Sendable (ServerCall) async throws -> GRPCStatus

/// The four gRPC call kinds.
public enum RPCMethodKind: Sendable, Hashable {
    case unary
    case clientStreaming
    case serverStreaming
    case bidirectionalStreaming
}

/// Answers one unary call. Use it on ``eventLoop`` only; later calls after the first answer
/// (or after the call ended) are ignored.
public struct UnaryResponder {
    private let connection: H2Connection
    private let handle: CallHandle

    init(connection: H2Connection, handle: CallHandle) {
        self.connection = connection
        self.handle = handle
    }

    /// The event loop on which the responder must be used.
    public var eventLoop: any EventLoop {
        connection.eventLoop
    }

    /// Whether the call is still waiting for an answer (false after a deadline, a client
    /// cancellation or a previous answer).
    public var isActive: Bool {
        guard let slot = connection.slot(index: handle.slot, generation: handle.generation) else { return false }
        return !slot.serverFinished
    }

    /// Sends one response message and `OK`.
    ///
    /// - Parameters:
    ///   - message: The serialized response.
    ///   - metadata: Response headers.
    ///   - trailers: Trailing metadata sent with the status.
    public func respond(_ message: ByteBuffer, metadata: Metadata = Metadata(), trailers: Metadata = Metadata()) {
        guard let slot = connection.slot(index: handle.slot, generation: handle.generation), !slot.serverFinished else { return }
        if !metadata.isEmpty { connection.serverSendHeaders(slot, metadata: metadata) }
        switch connection.serverSend(slot, message: message) {
        case .callEnded:
            return
        case .queued, .wait:
            connection.serverFinish(slot, status: GRPCStatus(code: .ok, trailers: trailers))
        }
    }

    /// Ends the call with `status` and no message (a trailers-only response unless headers
    /// were sent).
    ///
    /// - Parameter status: The status to send.
    public func fail(_ status: GRPCStatus) {
        guard let slot = connection.slot(index: handle.slot, generation: handle.generation) else { return }
        connection.serverFinish(slot, status: status)
    }
}

@available(*, unavailable)
extension UnaryResponder: Sendable {}
