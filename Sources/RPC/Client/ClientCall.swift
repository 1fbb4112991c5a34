public import NIOCore

/// One client call in its async form, for any call kind: send requests, read the response
/// headers, messages and final status.
///
/// ```swift
/// let call = try await connection.makeCall(path: "/echo.Echo/Chat")
/// try await call.send(request)
/// call.finishSending()
/// for try await message in call.responses { … }
/// let status = try await call.status
/// ```
public final class ClientCall: Sendable {
    /// The response messages. Ends when the call ends; check ``status`` for the outcome.
    public let responses: MessageStream

    private let connection: NIOLoopBound<H2Connection>
    private let handle: CallHandle
    private let headersFuture: EventLoopFuture<Metadata>
    private let statusFuture: EventLoopFuture<GRPCStatus>

    init(
        responses: MessageStream, connection: NIOLoopBound<H2Connection>, handle: CallHandle,
        headers: EventLoopFuture<Metadata>, status: EventLoopFuture<GRPCStatus>
    ) {
        self.responses = responses
        self.connection = connection
        self.handle = handle
        self.headersFuture = headers
        self.statusFuture = status
    }

    deinit {
        // A call nobody can observe any more is cancelled (a no-op if it already ended).
        let connection = self.connection
        let handle = self.handle
        connection.eventLoop.execute {
            connection.value.clientCancel(handle, message: "the call was dropped")
        }
    }

    /// The response headers; empty for a trailers-only response.
    ///
    /// - Throws: ``RPCError`` if the connection failed before the call ended.
    public var headers: Metadata {
        get async throws { try await headersFuture.get() }
    }

    /// The final status: received in trailers, mapped from an HTTP error, or generated
    /// locally (`DEADLINE_EXCEEDED`, `CANCELLED`, `RESOURCE_EXHAUSTED` for limits,
    /// `UNAVAILABLE` when the connection was draining).
    ///
    /// - Throws: ``RPCError`` (for example ``RPCError/Code/connectionClosed``) when the
    ///   connection failed so no status exists.
    public var status: GRPCStatus {
        get async throws { try await statusFuture.get() }
    }

    /// Sends one request message; waits while too much is queued for the stream (HTTP/2
    /// flow control pushes back through this).
    ///
    /// - Parameter message: The serialized message.
    /// - Throws: ``RPCError`` with ``RPCError/Code/callEnded`` when the call is over (read
    ///   ``status`` for why).
    public func send(_ message: ByteBuffer) async throws {
        try await send([message], endStream: false)
    }

    /// Sends the last request message and half-closes.
    ///
    /// - Parameter message: The serialized message.
    /// - Throws: ``RPCError`` with ``RPCError/Code/callEnded`` when the call is over.
    public func sendLast(_ message: ByteBuffer) async throws {
        try await send([message], endStream: true)
    }

    /// Sends several request messages in one hand-over to the connection (one
    /// wake-up of its event loop, one write when they fit), keeping their order.
    ///
    /// - Throws: ``RPCError`` with ``RPCError/Code/callEnded`` when the call is over.
    public func send(contentsOf messages: [ByteBuffer]) async throws {
        try await send(messages, endStream: false)
    }

    /// Hands `messages` to the connection in one event-loop task (`endStream` on the
    /// last) and returns when the connection's send buffer has room again.
    private func send(_ messages: [ByteBuffer], endStream: Bool) async throws {
        let connection = self.connection
        let handle = self.handle
        let eventLoop = connection.eventLoop
        try await eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
            var last = eventLoop.makeSucceededVoidFuture()
            for (i, message) in messages.enumerated() {
                let end = endStream && i == messages.count - 1
                switch connection.value.clientSend(handle, message: message, endStream: end) {
                case .queued: continue
                case .wait(let future): last = future
                case .callEnded:
                    return eventLoop.makeFailedFuture(RPCError(code: .callEnded, message: "the call already ended"))
                }
            }
            return last
        }.get()
    }

    /// Half-closes the request stream (no more messages).
    public func finishSending() {
        let connection = self.connection
        let handle = self.handle
        connection.eventLoop.execute {
            connection.value.clientFinishSending(handle)
        }
    }

    /// Cancels the call (RST_STREAM CANCEL); its status becomes `CANCELLED` unless it had
    /// already ended.
    public func cancel() {
        let connection = self.connection
        let handle = self.handle
        connection.eventLoop.execute {
            connection.value.clientCancel(handle)
        }
    }
}

/// Feeds a ``ClientCall`` from the event loop.
final class ClientCallBridge: ClientCallObserver {
    /// The response stream's source; attached just after the call starts. A call that
    /// ended before (it could not start) finishes the source as soon as it is attached.
    var source: MessageStream.Producer.Source? {
        didSet { finishSourceIfEnded() }
    }
    private var ended: Result<GRPCStatus, RPCError>?
    let headersPromise: EventLoopPromise<Metadata>
    let statusPromise: EventLoopPromise<GRPCStatus>
    private var headersDone = false

    init(eventLoop: any EventLoop) {
        headersPromise = eventLoop.makePromise()
        statusPromise = eventLoop.makePromise()
    }

    func receivedHeaders(_ metadata: Metadata) {
        guard !headersDone else { return }
        headersDone = true
        headersPromise.succeed(metadata)
    }

    func receivedMessage(_ message: ByteBuffer) -> Bool {
        source?.yieldMessage(message) ?? true
    }

    func finished(_ result: Result<GRPCStatus, RPCError>) {
        guard ended == nil else { return }
        ended = result
        switch result {
        case .success(let status):
            if !headersDone {
                headersDone = true
                headersPromise.succeed(Metadata())
            }
            finishSourceIfEnded()
            statusPromise.succeed(status)
        case .failure(let error):
            if !headersDone {
                headersDone = true
                headersPromise.fail(error)
            }
            finishSourceIfEnded()
            statusPromise.fail(error)
        }
    }

    /// Ends the response stream the way the call ended, once both are known.
    private func finishSourceIfEnded() {
        guard let ended, let source else { return }
        switch ended {
        case .success: source.finish()
        case .failure(let error): source.finish(error)
        }
        self.source = nil
    }
}

@available(*, unavailable)
extension ClientCallBridge: Sendable {}
