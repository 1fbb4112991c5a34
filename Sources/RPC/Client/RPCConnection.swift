public import NIOCore
import NIOPosix
import NIOSSL

/// A client connection to one gRPC server: one HTTP/2 connection on one event loop,
/// carrying any number of concurrent calls (queued beyond the server's
/// `SETTINGS_MAX_CONCURRENT_STREAMS`).
///
/// Async use:
/// ```swift
/// let connection = try await RPCConnection.connect(to: try RPCAddress(parsing: "127.0.0.1:50051"), eventLoopGroup: group)
/// let response = try await connection.unary(path: "/echo.Echo/Get", request: request, options: CallOptions(timeout: .seconds(5)))
/// if response.status.code == .ok, let message = response.message { … }
/// ```
///
/// Callback use (no task per call; on ``eventLoop`` only):
/// ```swift
/// connection.eventLoop.execute {
///     connection.startUnary(path: "/echo.Echo/Get", message: request) { result in … }
/// }
/// ```
public final class RPCConnection: Sendable {
    /// The event loop the connection lives on; callback APIs must be used there.
    public let eventLoop: any EventLoop
    /// The address connected to.
    public let address: RPCAddress

    private let channel: any Channel
    private let connection: NIOLoopBound<H2Connection>

    private init(channel: any Channel, connection: NIOLoopBound<H2Connection>, address: RPCAddress) {
        self.eventLoop = channel.eventLoop
        self.channel = channel
        self.connection = connection
        self.address = address
    }

    /// Connects and completes the HTTP/2 handshake (the server's SETTINGS arrive).
    ///
    /// - Parameters:
    ///   - address: The server address.
    ///   - configuration: TLS, timeouts, limits.
    ///   - eventLoopGroup: The group to take a loop from.
    /// - Returns: A ready connection.
    /// - Throws: ``RPCError`` with ``RPCError/Code/dnsFailure``,
    ///   ``RPCError/Code/connectionRefused``, ``RPCError/Code/unreachable``,
    ///   ``RPCError/Code/connectTimeout``, ``RPCError/Code/tlsConfiguration``,
    ///   ``RPCError/Code/tlsHandshakeFailed``, ``RPCError/Code/tlsRequiredByServer``,
    ///   ``RPCError/Code/protocolError`` or ``RPCError/Code/connectionClosed``.
    public static func connect(
        to address: RPCAddress,
        configuration: ClientConfiguration = ClientConfiguration(),
        eventLoopGroup: any EventLoopGroup
    ) async throws -> RPCConnection {
        let sslContext = try configuration.tls.map { try TLSSupport.makeClientContext($0) }
        let eventLoop = eventLoopGroup.next()
        let scheme = configuration.tls == nil ? "http" : "https"
        let authority = configuration.authority ?? address.defaultAuthority
        var serverName: String?
        if let tls = configuration.tls {
            if let name = tls.serverName {
                serverName = name
            } else if case .tcp(let host, _) = address, !TLSSupport.isIPAddress(host) {
                serverName = host
            }
        }
        let ready = eventLoop.makePromise(of: Void.self)
        let boundPromise = eventLoop.makePromise(of: NIOLoopBound<H2Connection>.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [serverName] channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = H2Connection(
                        role: .client(configuration, scheme: scheme, authority: authority), eventLoop: channel.eventLoop)
                    connection.readyPromise = ready
                    if let sslContext {
                        let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(connection)
                    boundPromise.succeed(NIOLoopBound(connection, eventLoop: channel.eventLoop))
                }
            }

        let channel: any Channel
        do {
            switch address {
            case .tcp(let host, let port):
                // An IP literal needs no resolver (and no Happy Eyeballs race).
                if let literal = try? SocketAddress(ipAddress: host, port: port) {
                    channel = try await bootstrap.connect(to: literal).get()
                } else {
                    channel = try await bootstrap.connect(host: host, port: port).get()
                }
            case .unix(let path):
                channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            boundPromise.fail(error)
            ready.fail(error)
            throw Self.classifyConnectError(error, address: address)
        }
        // The rest of the handshake (TLS, SETTINGS) is bounded by the same timeout.
        let timeout = eventLoop.scheduleTask(in: configuration.connectTimeout) {
            ready.fail(RPCError(
                code: .connectTimeout,
                message: "no HTTP/2 handshake from \(address) within \(configuration.connectTimeout)"))
            channel.close(promise: nil)
        }
        do {
            try await ready.futureResult.get()
            timeout.cancel()
        } catch {
            timeout.cancel()
            channel.close(promise: nil)
            if let error = error as? RPCError { throw error }
            throw RPCError(code: .connectionClosed, message: "the connection failed during setup", cause: error)
        }
        let bound = try await boundPromise.futureResult.get()
        return RPCConnection(channel: channel, connection: bound, address: address)
    }

    static func classifyConnectError(_ error: any Error, address: RPCAddress) -> RPCError {
        if let error = error as? RPCError { return error }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return RPCError(code: .connectTimeout, message: "connecting to \(address) timed out", cause: error)
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return RPCError(code: .dnsFailure, message: "cannot resolve '\(error.host)'", cause: error)
            }
            for failure in error.connectionErrors {
                if let classified = classifyErrno(failure.error, address: address) { return classified }
            }
            if error.connectionErrors.isEmpty {
                return RPCError(code: .dnsFailure, message: "'\(error.host)' resolved to no addresses", cause: error)
            }
        }
        if let classified = classifyErrno(error, address: address) { return classified }
        return RPCError(code: .connectionClosed, message: "cannot connect to \(address)", cause: error)
    }

    private static func classifyErrno(_ error: any Error, address: RPCAddress) -> RPCError? {
        if let error = error as? ChannelError, case .connectTimeout = error {
            return RPCError(code: .connectTimeout, message: "connecting to \(address) timed out", cause: error)
        }
        guard let ioError = error as? IOError else { return nil }
        switch ioError.errnoCode {
        case ECONNREFUSED:
            return RPCError(code: .connectionRefused, message: "connection refused by \(address)", cause: ioError)
        case ENOENT:
            return RPCError(code: .connectionRefused, message: "no socket at \(address)", cause: ioError)
        case EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL:
            return RPCError(code: .unreachable, message: "\(address) is unreachable", cause: ioError)
        case ETIMEDOUT:
            return RPCError(code: .connectTimeout, message: "connecting to \(address) timed out", cause: ioError)
        default:
            return nil
        }
    }

    // MARK: - Callback API (hot path)

    /// Starts a unary call without a task; `onComplete` runs once on ``eventLoop``.
    ///
    /// Must be called on ``eventLoop``. Calls beyond the server's concurrent-stream limit
    /// wait in the connection's queue. Metadata is not validated here (validate it once with
    /// ``Metadata/validateForSending()``).
    ///
    /// - Parameters:
    ///   - path: The method path, e.g. `/pkg.Service/Method`.
    ///   - metadata: Request metadata.
    ///   - message: The serialized request.
    ///   - options: Deadline.
    ///   - onComplete: Receives the response (any status) or an ``RPCError`` when the
    ///     connection failed.
    public func startUnary(
        path: String,
        metadata: Metadata = Metadata(),
        message: ByteBuffer,
        options: CallOptions = CallOptions(),
        onComplete: @escaping (Result<UnaryResponse, RPCError>) -> Void
    ) {
        startUnary(path: path, metadata: metadata, message: message, options: options,
                   call: ClosureUnaryCall(onComplete: onComplete))
    }

    /// Starts a unary call whose outcome goes to `call` (``UnaryCall/completed(_:)``); the
    /// same object may start another call once that one completed. Call on ``eventLoop``.
    ///
    /// - Parameters:
    ///   - path: The method path.
    ///   - metadata: Request metadata (not validated here: see ``Metadata/validateForSending()``).
    ///   - message: The serialized request.
    ///   - options: Deadline.
    ///   - call: Collects the response; told the outcome once, on this connection's loop.
    public func startUnary(
        path: String, metadata: Metadata = Metadata(), message: ByteBuffer, options: CallOptions = CallOptions(),
        call: UnaryCall
    ) {
        precondition(!call.running, "a UnaryCall starts again only after it completed")
        call.begin()
        let h2 = connection.value
        guard let handle = h2.startCall(path: path, metadata: metadata, options: options, observer: call) else { return }
        _ = h2.clientSend(handle, message: message, endStream: true)
    }

    // MARK: - Async API

    /// Makes a call of any kind; send with ``ClientCall/send(_:)`` and read
    /// ``ClientCall/responses``.
    ///
    /// - Parameters:
    ///   - path: The method path.
    ///   - metadata: Request metadata.
    ///   - options: Deadline.
    /// - Returns: The call.
    /// - Throws: ``RPCError`` with ``RPCError/Code/invalidArgument`` for unsendable metadata.
    public func makeCall(path: String, metadata: Metadata = Metadata(), options: CallOptions = CallOptions()) async throws -> ClientCall {
        try metadata.validateForSending()
        let connection = self.connection
        let eventLoop = self.eventLoop
        return try await eventLoop.submit { () -> ClientCall in
            let h2 = connection.value
            let bridge = ClientCallBridge(eventLoop: eventLoop)
            // The handle is needed for the stream's flow-control delegate: start first, then
            // attach the stream before any event can be delivered (events come later on this loop).
            let handle = h2.startCall(path: path, metadata: metadata, options: options, observer: bridge)
                ?? CallHandle(slot: -1, generation: 0)
            let (responses, source) = MessageStream.make(connection: connection, handle: handle)
            bridge.source = source
            return ClientCall(
                responses: responses, connection: connection, handle: handle,
                headers: bridge.headersPromise.futureResult, status: bridge.statusPromise.futureResult)
        }.get()
    }

    /// A unary call.
    ///
    /// - Parameters:
    ///   - path: The method path.
    ///   - request: The serialized request.
    ///   - metadata: Request metadata.
    ///   - options: Deadline.
    /// - Returns: Headers, message and status (any status is a normal result).
    /// - Throws: ``RPCError`` when the connection failed, or with
    ///   ``RPCError/Code/invalidArgument`` for unsendable metadata.
    public func unary(
        path: String, request: ByteBuffer, metadata: Metadata = Metadata(), options: CallOptions = CallOptions()
    ) async throws -> UnaryResponse {
        try metadata.validateForSending()
        let promise = eventLoop.makePromise(of: UnaryResponse.self)
        eventLoop.execute {
            self.startUnary(path: path, metadata: metadata, message: request, options: options) { result in
                promise.completeWith(result.mapError { $0 as any Error })
            }
        }
        return try await promise.futureResult.get()
    }

    /// A server-streaming call: one request, then the responses.
    ///
    /// - Returns: The call; read ``ClientCall/responses`` then ``ClientCall/status``.
    public func serverStreaming(
        path: String, request: ByteBuffer, metadata: Metadata = Metadata(), options: CallOptions = CallOptions()
    ) async throws -> ClientCall {
        let call = try await makeCall(path: path, metadata: metadata, options: options)
        do {
            try await call.sendLast(request)
        } catch let error as RPCError where error.code == .callEnded {
            // The status explains it.
        }
        return call
    }

    /// A client-streaming call: sends every request, half-closes, returns the single response.
    ///
    /// - Returns: Headers, message and status.
    /// - Throws: ``RPCError`` when the connection failed, or what `requests` throws.
    public func clientStreaming<Requests: AsyncSequence>(
        path: String, requests: Requests, metadata: Metadata = Metadata(), options: CallOptions = CallOptions()
    ) async throws -> UnaryResponse where Requests.Element == ByteBuffer {
        let call = try await makeCall(path: path, metadata: metadata, options: options)
        do {
            for try await request in requests { try await call.send(request) }
        } catch let error as RPCError where error.code == .callEnded {
            // The call ended early; the status explains it.
        }
        call.finishSending()
        var message: ByteBuffer?
        var extra = false
        do {
            for try await response in call.responses {
                if message == nil { message = response } else { extra = true }
            }
        } catch let error as RPCError where error.code == .callEnded {
        }
        let headers = (try? await call.headers) ?? Metadata()
        var status = try await call.status
        if status.code == .ok && (message == nil || extra) {
            status = GRPCStatus(
                code: .internal, message: "a client-streaming call must get exactly one response message",
                trailers: status.trailers)
        }
        return UnaryResponse(headers: headers, message: status.code == .ok ? message : nil, status: status)
    }

    // MARK: - Lifecycle

    /// Whether new calls can start (false after GOAWAY or close).
    public var isAcceptingCalls: Bool {
        get async {
            let connection = self.connection
            return (try? await eventLoop.submit { connection.value.lifecycle.acceptsNewStreams }.get()) ?? false
        }
    }

    /// Completes when the connection has closed.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Sends GOAWAY, lets in-flight calls finish (up to `grace`), then closes.
    ///
    /// - Parameter grace: The longest time in-flight calls get.
    public func shutdown(grace: TimeAmount = .seconds(10)) async {
        let connection = self.connection
        eventLoop.execute {
            connection.value.beginGracefulShutdown(grace: grace)
        }
        try? await channel.closeFuture.get()
    }

    /// Closes immediately; in-flight calls fail with ``RPCError/Code/connectionClosed``.
    public func close() async {
        try? await channel.close()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
