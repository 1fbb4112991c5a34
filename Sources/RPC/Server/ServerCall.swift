public import NIOCore

/// One server call in its async form: the context, the request messages, and methods to
/// answer. Returned status is sent by the engine when the handler returns.
public final class ServerCall: Sendable {
    /// Metadata, deadline, peer and path of the call.
    public let context: ServerContext
    /// The request messages.
    public let requests: MessageStream

    private let connection: NIOLoopBound<H2Connection>
    private let handle: CallHandle

    init(context: ServerContext, requests: MessageStream, connection: NIOLoopBound<H2Connection>, handle: CallHandle) {
        self.context = context
        self.requests = requests
        self.connection = connection
        self.handle = handle
    }

    /// Sends the response headers now (otherwise they go with the first message).
    ///
    /// - Parameter metadata: Response headers.
    /// - Throws: ``RPCError`` with code ``RPCError/Code/callEnded`` if the call is over.
    public func sendHeaders(_ metadata: Metadata) async throws {
        let connection = self.connection
        let handle = self.handle
        try await connection.eventLoop.submit {
            guard let slot = connection.value.slot(index: handle.slot, generation: handle.generation),
                  !slot.serverFinished else {
                throw RPCError(code: .callEnded, message: "the call already ended")
            }
            connection.value.serverSendHeaders(slot, metadata: metadata)
        }.get()
    }

    /// Sends one response message, waiting while too much is queued (HTTP/2 flow control).
    ///
    /// - Parameter message: The serialized message.
    /// - Throws: ``RPCError`` with code ``RPCError/Code/callEnded`` if the call is over
    ///   (cancelled, deadline passed, or the message exceeded the send limit, which ends the
    ///   call with `RESOURCE_EXHAUSTED`).
    public func send(_ message: ByteBuffer) async throws {
        let connection = self.connection
        let handle = self.handle
        let eventLoop = connection.eventLoop
        try await eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
            guard let slot = connection.value.slot(index: handle.slot, generation: handle.generation) else {
                return eventLoop.makeFailedFuture(RPCError(code: .callEnded, message: "the call already ended"))
            }
            switch connection.value.serverSend(slot, message: message) {
            case .queued:
                return eventLoop.makeSucceededVoidFuture()
            case .wait(let future):
                return future
            case .callEnded:
                return eventLoop.makeFailedFuture(RPCError(code: .callEnded, message: "the call already ended"))
            }
        }.get()
    }

    func finish(_ status: GRPCStatus) {
        let connection = self.connection
        let handle = self.handle
        connection.eventLoop.execute {
            guard let slot = connection.value.slot(index: handle.slot, generation: handle.generation) else { return }
            connection.value.serverFinish(slot, status: status)
        }
    }
}

/// Connects a ``ServerCall`` and its handler task to the stream on the event loop.
final class ServerCallBridge: ServerCallObserver {
    private let source: MessageStream.Producer.Source
    private let call: ServerCall
    private let handler: StreamingHandler
    private var task: Task<Void, Never>?

    init(source: MessageStream.Producer.Source, call: ServerCall, handler: @escaping StreamingHandler) {
        self.source = source
        self.call = call
        self.handler = handler
    }

    func start() {
        let call = self.call
        let handler = self.handler
        task = Task {
            let status: GRPCStatus
            do {
                status = try await handler(call)
            } catch let error as RPCError {
                status = GRPCStatus(code: .unknown, message: error.message)
            } catch {
                status = GRPCStatus(code: .unknown, message: "\(error)")
            }
            call.finish(status)
        }
    }

    func receivedMessage(_ message: ByteBuffer) -> Bool {
        source.yieldMessage(message)
    }

    func requestEnded() {
        source.finish()
    }

    func requestFailed(_ status: GRPCStatus) {
        source.finish(RPCError(code: .callEnded, message: "the call ended: \(status)"))
    }

    func streamClosed() {
        source.finish(RPCError(code: .callEnded, message: "the stream closed (cancelled by the client, deadline, or connection loss)"))
        task?.cancel()
        task = nil
    }
}

@available(*, unavailable)
extension ServerCallBridge: Sendable {}

extension H2Connection {
    func makeServerCallBridge(_ slot: StreamSlot, context: ServerContext, handler: @escaping StreamingHandler) -> ServerCallBridge? {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let handle = CallHandle(slot: slot.index, generation: slot.generation)
        let (requests, source) = MessageStream.make(connection: bound, handle: handle)
        let call = ServerCall(context: context, requests: requests, connection: bound, handle: handle)
        return ServerCallBridge(source: source, call: call, handler: handler)
    }
}
