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

/// Collects a unary call's response for the callback API; one allocation per call.
final class UnaryCallObserver: ClientCallObserver {
    private var headers = Metadata()
    private var message: ByteBuffer?
    private var extraMessage = false
    private var onComplete: ((Result<UnaryResponse, RPCError>) -> Void)?

    init(onComplete: @escaping (Result<UnaryResponse, RPCError>) -> Void) {
        self.onComplete = onComplete
    }

    func receivedHeaders(_ metadata: Metadata) {
        headers = metadata
    }

    func receivedMessage(_ message: ByteBuffer) -> Bool {
        if self.message == nil {
            self.message = message
        } else {
            extraMessage = true
        }
        return true
    }

    func finished(_ result: Result<GRPCStatus, RPCError>) {
        guard let onComplete else { return }
        self.onComplete = nil
        switch result {
        case .failure(let error):
            onComplete(.failure(error))
        case .success(var status):
            if status.code == .ok {
                if extraMessage {
                    status = GRPCStatus(code: .internal, message: "the server sent more than one response message to a unary call", trailers: status.trailers)
                } else if message == nil {
                    status = GRPCStatus(code: .internal, message: "the server sent no response message to a unary call", trailers: status.trailers)
                }
            }
            onComplete(.success(UnaryResponse(headers: headers, message: status.code == .ok ? message : nil, status: status)))
        }
    }
}

@available(*, unavailable)
extension UnaryCallObserver: Sendable {}
