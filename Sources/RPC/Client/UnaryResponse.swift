public import NIOCore

/// The result of a unary call that reached the server (or was ended locally with a status).
public struct UnaryResponse: Sendable {
    /// The response headers (empty for a trailers-only response).
    public var headers: Metadata
    /// The response message; nil when the status is not `OK`.
    public var message: ByteBuffer?
    /// The final status with trailers.
    public var status: GRPCStatus

    /// Creates a response.
    public init(headers: Metadata, message: ByteBuffer?, status: GRPCStatus) {
        self.headers = headers
        self.message = message
        self.status = status
    }
}

/// One unary call's response collector, reusable: once a call has completed, the same
/// object may start the next (``RPCConnection/startUnary(path:metadata:message:options:call:)``).
/// Subclass it and override ``completed(_:)`` to be told each outcome without a closure
/// or an object allocated per call (a load generator's hot path); its events arrive on
/// the connection's event loop.
open class UnaryCall {
    private var headers = Metadata()
    private var message: ByteBuffer?
    private var extraMessage = false
    /// Between the start of a call and its completion.
    private(set) var running = false

    public init() {}

    /// The call ended: any status the server sent is a `.success`; `.failure` is a
    /// connection failure. Called once per call, on the connection's event loop.
    open func completed(_ result: Result<UnaryResponse, RPCError>) {}

    /// Resets the collected response for a new call.
    final func begin() {
        headers = Metadata()
        message = nil
        extraMessage = false
        running = true
    }
}

extension UnaryCall: ClientCallObserver {
    final func receivedHeaders(_ metadata: Metadata) {
        headers = metadata
    }

    final func receivedMessage(_ message: ByteBuffer) -> Bool {
        if self.message == nil {
            self.message = message
        } else {
            extraMessage = true
        }
        return true
    }

    final func finished(_ result: Result<GRPCStatus, RPCError>) {
        guard running else { return }
        running = false
        switch result {
        case .failure(let error):
            completed(.failure(error))
        case .success(var status):
            let message = self.message
            self.message = nil
            if status.code == .ok {
                if extraMessage {
                    status = GRPCStatus(code: .internal, message: "the server sent more than one response message to a unary call", trailers: status.trailers)
                } else if message == nil {
                    status = GRPCStatus(code: .internal, message: "the server sent no response message to a unary call", trailers: status.trailers)
                }
            }
            completed(.success(UnaryResponse(headers: headers, message: status.code == .ok ? message : nil, status: status)))
        }
    }
}

/// A unary call that hands its outcome to a closure (the callback and async faces).
final class ClosureUnaryCall: UnaryCall {
    private let onComplete: (Result<UnaryResponse, RPCError>) -> Void

    init(onComplete: @escaping (Result<UnaryResponse, RPCError>) -> Void) {
        self.onComplete = onComplete
    }

    override func completed(_ result: Result<UnaryResponse, RPCError>) {
        onComplete(result)
    }
}

@available(*, unavailable)
extension UnaryCall: Sendable {}
