internal import CNGHTTP2
import NIOCore
import NIOSSL
import NIOTLS

/// One HTTP/2 connection (client or server side) driven by an nghttp2 session.
///
/// `channelRead` only feeds `nghttp2_session_mem_recv`; output is drained with
/// `nghttp2_session_mem_send` once per read batch (or once per event-loop tick when calls
/// are started from outside a read), with a single flush. While the channel is not
/// writable nothing is drained; deferred DATA resumes when it is.
///
/// The session is only touched on the channel's event loop. nghttp2 calls back into this
/// object synchronously, so no nghttp2 function is ever called while an `inout` access to
/// one of its stored properties is active.
final class H2Connection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Above this many bytes queued on a stream, async senders wait.
    static let outboundHighWatermark = 256 * 1024
    /// Below this many bytes queued on a stream, waiting senders resume.
    static let outboundLowWatermark = 64 * 1024

    enum Role {
        case client(ClientConfiguration, scheme: String, authority: String)
        case server(ServerConfiguration, RPCRouter)
    }

    let role: Role
    let isServer: Bool
    private(set) var session: OpaquePointer?
    private(set) var context: ChannelHandlerContext?
    let allocator = ByteBufferAllocator()
    private var out: ByteBuffer

    private(set) var slots: [StreamSlot] = []
    private var freeSlots: [Int] = []
    /// Slot indexes by stream: stream IDs here are odd and increasing, so a ring indexed by
    /// `streamID >> 1` finds a live stream's slot without nghttp2's stream map. An entry is
    /// trusted only if that slot holds that stream now; otherwise the map is asked.
    private var streamRing = [Int32](repeating: -1, count: H2Connection.streamRingSize)
    private static let streamRingSize = 1024
    private(set) var activeStreams = 0

    private var inRead = false
    private var flushScheduled = false
    private var started = false
    private var sawFirstBytes = false

    var lifecycle = ConnectionStateMachine()
    /// Why the connection closed, when known (reported to calls and connect waiters).
    var closeError: RPCError?

    // Client.
    var readyPromise: EventLoopPromise<Void>?
    /// The request headers of the last call (client side).
    var lastRequestHeaders: PreparedHeaders?
    /// Received header text, reused when repeated (see ``HeaderStrings``).
    var headerStrings = HeaderStrings()
    /// The slot whose header block is being received (see `headerBlockSlot(for:)`).
    var headerBlockSlot: StreamSlot?
    /// The route of the last request's path (a server connection's calls mostly repeat it).
    var lastRoute: (path: String, route: RPCRouter.Route)?
    var keepaliveTaskStore: Scheduled<Void>?
    var keepaliveTimeoutStore: Scheduled<Void>?

    // Server.
    var peerDescription: String?
    var shutdownTimerStore: Scheduled<Void>?
    var finalGoAwaySent = false
    /// Server keepalive policing: strikes against the client's PINGs, the last PING's
    /// time, and whether a response went out since (which clears the strikes).
    var pingStrikes = 0
    var lastPingAt: NIODeadline?
    var respondedSincePing = false
    /// Called once when the channel closes (the server uses it to track connections).
    var onClose: (() -> Void)?

    /// The channel's event loop; the connection is used only there.
    let eventLoop: any EventLoop

    init(role: Role, eventLoop: any EventLoop) {
        self.role = role
        self.eventLoop = eventLoop
        if case .server = role { isServer = true } else { isServer = false }
        out = allocator.buffer(capacity: 16 * 1024)
    }

    deinit {
        if let session { nghttp2_session_del(session) }
    }

    var clientConfiguration: ClientConfiguration? {
        if case .client(let configuration, _, _) = role { return configuration }
        return nil
    }

    var serverConfiguration: ServerConfiguration? {
        if case .server(let configuration, _) = role { return configuration }
        return nil
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        var newSession: OpaquePointer?
        let rv = cnghttp2_session_new(
            &newSession, sharedCallbacks, Unmanaged.passUnretained(self).toOpaque(), isServer ? 1 : 0)
        guard rv == 0, let newSession else {
            closeError = RPCError(code: .internalError, message: "nghttp2 session creation failed (\(rv))")
            context.close(promise: nil)
            return
        }
        session = newSession
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        teardown()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started, let session else { return }
        started = true
        if isServer {
            peerDescription = context.channel.remoteAddress.map { "\($0)" }
        }
        let maxStreams: UInt32
        let streamWindow: Int
        let connectionWindow: Int
        switch role {
        case .client(let configuration, _, _):
            maxStreams = 0
            streamWindow = configuration.initialStreamWindowSize
            connectionWindow = configuration.connectionWindowSize
        case .server(let configuration, _):
            maxStreams = UInt32(clamping: configuration.maxConcurrentStreams)
            streamWindow = configuration.initialStreamWindowSize
            connectionWindow = configuration.connectionWindowSize
        }
        _ = cnghttp2_submit_settings(
            session, maxStreams, UInt32(clamping: min(streamWindow, Int(Int32.max))),
            Int32(clamping: connectionWindow))
        flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let session else { return }
        if !sawFirstBytes, !isServer, buffer.readableBytes > 0 {
            sawFirstBytes = true
            if Self.looksLikeTLS(buffer) {
                closeError = RPCError(
                    code: .tlsRequiredByServer,
                    message: "\(Self.peerText(context)) answered with TLS: it expects a TLS connection (use TLS options)")
                context.close(promise: nil)
                return
            }
            if buffer.readableBytesView.starts(with: "HTTP/1.".utf8) {
                closeError = RPCError(
                    code: .protocolError,
                    message: "\(Self.peerText(context)) answered with HTTP/1.x: it is not a gRPC server speaking HTTP/2 with prior knowledge (h2c)")
                context.close(promise: nil)
                return
            }
        }
        inRead = true
        let rv = buffer.withUnsafeReadableBytes { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            return nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        if rv < 0 {
            inRead = false
            let reason = String(cString: nghttp2_strerror(Int32(truncatingIfNeeded: rv)))
            if closeError == nil {
                closeError = RPCError(
                    code: .protocolError,
                    message: isServer
                        ? "the client violated HTTP/2: \(reason)"
                        : "the server violated HTTP/2 (or does not speak HTTP/2): \(reason)")
            }
            flush()  // may carry a GOAWAY
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inRead = false
        flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flush() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        teardown()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = event {
            if let negotiated, negotiated != "h2" {
                closeError = RPCError(
                    code: .tlsHandshakeFailed,
                    message: "the peer negotiated ALPN '\(negotiated)' instead of 'h2'")
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if closeError == nil {
            closeError = Self.classify(error, connected: lifecycle.acceptsNewStreams || lifecycle.isDrainingOrClosed)
        }
        context.close(promise: nil)
    }

    /// Closes the channel, failing active calls with `error`.
    func close(error: RPCError) {
        if closeError == nil { closeError = error }
        context?.close(promise: nil)
    }

    /// The peer as `host:port`, `[v6]:port` or `unix:/path`, for messages.
    private static func peerText(_ context: ChannelHandlerContext) -> String {
        guard let address = context.channel.remoteAddress else { return "the server" }
        if let path = address.pathname { return "unix:" + path }
        guard let ip = address.ipAddress, let port = address.port else { return "the server" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    private static func looksLikeTLS(_ buffer: ByteBuffer) -> Bool {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return false }
        // A TLS record: alert (21) or handshake (22), major version 3.
        return (first == 0x15 || first == 0x16) && second == 0x03
    }

    private var setupClosedMessage: String {
        if !isServer, !sawFirstBytes, clientConfiguration?.tls == nil {
            return "the server closed the connection before the HTTP/2 handshake without a word "
                + "(a TLS server does this to plaintext clients: try TLS)"
        }
        return "the peer closed the connection during setup"
    }

    /// What a TLS library error means, from BoringSSL's reason codes in its text.
    static func tlsReason(_ text: String) -> String {
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return TLSFailureText.untrusted }
        if text.contains("CERTIFICATE_REQUIRED") {
            return "TLS failed: the server requires a client certificate (--cert and --key)"
        }
        if text.contains("CERTIFICATE_EXPIRED") { return "TLS failed: the server rejected the client certificate as expired" }
        if text.contains("UNKNOWN_CA") || text.contains("BAD_CERTIFICATE") || text.contains("CERTIFICATE_UNKNOWN")
            || text.contains("UNSUPPORTED_CERTIFICATE") || text.contains("DECRYPT_ERROR") {
            return "TLS failed: the server rejected the client certificate"
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") || text.contains("UNKNOWN_PROTOCOL") {
            return "TLS failed: the peer does not speak TLS"
        }
        if text.contains("HANDSHAKE_FAILURE") {
            return "TLS failed: the server ended the handshake (it may require a client certificate, "
                + "or share no protocol version or cipher)"
        }
        return "TLS failed (certificate not trusted, hostname mismatch, client certificate rejected, "
            + "or the peer does not speak TLS)"
    }

    static func classify(_ error: any Error, connected: Bool) -> RPCError {
        if let error = error as? RPCError { return error }
        if let error = error as? NIOSSLError {
            return RPCError(code: .tlsHandshakeFailed, message: tlsReason(String(describing: error)), cause: error)
        }
        if let error = error as? BoringSSLError {
            return RPCError(code: .tlsHandshakeFailed, message: tlsReason(String(describing: error)), cause: error)
        }
        if let error = error as? NIOSSLExtraError {
            let text = String(describing: error)
            if text.contains("hostname") || text.contains("Hostname") {
                return RPCError(code: .tlsHandshakeFailed, message: TLSFailureText.hostMismatch, cause: error)
            }
            return RPCError(code: .tlsHandshakeFailed, message: "TLS verification failed", cause: error)
        }
        return RPCError(
            code: .connectionClosed,
            message: connected ? "the connection failed" : "the connection failed during setup",
            cause: error)
    }

    // MARK: - Output

    /// Drains nghttp2's output now if outside a read batch (coalesced per loop tick).
    func scheduleFlush() {
        guard !inRead, !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            self.flushScheduled = false
            self.flush()
        }
    }

    /// Moves nghttp2's pending output into the channel with one flush.
    func flush() {
        guard let session, let context else { return }
        var wrote = false
        // Writability changes only when something is written to the channel: asked again then.
        var writable = context.channel.isWritable
        while writable {
            var pointer: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &pointer)
            if count < 0 {
                if closeError == nil {
                    closeError = RPCError(code: .protocolError, message: "HTTP/2 session failure (\(count))")
                }
                context.close(promise: nil)
                return
            }
            if count == 0 { break }
            if let pointer {
                out.writeBytes(UnsafeRawBufferPointer(start: pointer, count: count))
            }
            if out.readableBytes >= 256 * 1024 {
                context.write(wrapOutboundOut(out), promise: nil)
                out.clear()
                wrote = true
                writable = context.channel.isWritable
            }
        }
        if out.readableBytes > 0 {
            context.write(wrapOutboundOut(out), promise: nil)
            // The bytes are the channel's now (a flush re-entered from the channel appends
            // after them, into a copy while the channel holds this storage).
            out.moveReaderIndex(to: out.writerIndex)
            wrote = true
        }
        if wrote { context.flush() }
        // After the flush the socket has usually taken the bytes and the channel has let go
        // of the storage, so clearing reuses it instead of allocating another.
        if out.readableBytes == 0 { out.clear() }
        if nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 {
            if closeError == nil, !lifecycle.acceptsNewStreams, !lifecycle.isDrainingOrClosed {
                closeError = RPCError(
                    code: .protocolError,
                    message: "the peer does not speak HTTP/2 (unexpected data instead of SETTINGS)")
            }
            context.close(promise: nil)
        }
    }

    // MARK: - Slots

    func allocateSlot() -> StreamSlot {
        if let index = freeSlots.popLast() { return slots[index] }
        let slot = StreamSlot(index: slots.count, allocator: allocator)
        slots.append(slot)
        return slot
    }

    /// Records that `slot` now carries its `streamID` (see ``slot(forStream:)``).
    func noteStream(of slot: StreamSlot) {
        streamRing[Int(slot.streamID >> 1) & (Self.streamRingSize - 1)] = Int32(truncatingIfNeeded: slot.index)
    }

    /// The slot of an active stream, or nil.
    func slot(forStream streamID: Int32) -> StreamSlot? {
        if let slot = slot(index: Int(streamRing[Int(streamID >> 1) & (Self.streamRingSize - 1)]), holding: streamID) {
            return slot
        }
        guard let session else { return nil }
        return slot(index: Int(bitPattern: nghttp2_session_get_stream_user_data(session, streamID)) - 1, holding: streamID)
    }

    /// Slot `index` if it carries `streamID` now.
    @inline(__always)
    private func slot(index: Int, holding streamID: Int32) -> StreamSlot? {
        guard index >= 0, index < slots.count else { return nil }
        let slot = slots[index]
        return slot.inUse && slot.streamID == streamID ? slot : nil
    }

    /// The slot for a handle held by a call, if that call is still the slot's occupant.
    func slot(index: Int, generation: UInt64) -> StreamSlot? {
        guard index >= 0, index < slots.count else { return nil }
        let slot = slots[index]
        guard slot.inUse, slot.generation == generation else { return nil }
        return slot
    }

    func streamOpened(_ slot: StreamSlot) {
        activeStreams += 1
        _ = slot
    }

    func freeSlot(_ slot: StreamSlot) {
        if slot.withheldBytes > 0, let session {
            _ = nghttp2_session_consume_connection(session, slot.withheldBytes)
        }
        slot.release()
        freeSlotIndex(slot.index)
    }

    func freeSlotIndex(_ index: Int) {
        freeSlots.append(index)
        activeStreams -= 1
    }

    /// Resumes a deferred DATA provider.
    func resumeData(_ slot: StreamSlot) {
        guard slot.dataDeferred, let session else { return }
        slot.dataDeferred = false
        _ = nghttp2_session_resume_data(session, slot.streamID)
    }

    /// Resets a stream with `errorCode` (RST_STREAM).
    func resetStream(_ slot: StreamSlot, errorCode: UInt32) {
        guard let session, slot.streamID > 0 else { return }
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), slot.streamID, errorCode)
    }

    /// Opens flow-control again after a consumer caught up.
    func resumeReading(slot index: Int, generation: UInt64) {
        guard let slot = slot(index: index, generation: generation), let session else { return }
        slot.readingPaused = false
        if slot.withheldBytes > 0 {
            let bytes = slot.withheldBytes
            slot.withheldBytes = 0
            _ = nghttp2_session_consume(session, slot.streamID, bytes)
            scheduleFlush()
        }
    }

    // MARK: - Teardown

    private func teardown() {
        keepaliveTaskStore?.cancel()
        keepaliveTaskStore = nil
        keepaliveTimeoutStore?.cancel()
        keepaliveTimeoutStore = nil
        shutdownTimerStore?.cancel()
        shutdownTimerStore = nil
        let action = lifecycle.channelClosed()
        let error = closeError ?? RPCError(
            code: .connectionClosed,
            message: action == .failReady
                ? setupClosedMessage
                : "the connection closed before the call completed")
        if let promise = readyPromise {
            readyPromise = nil
            promise.fail(error)
        }
        var clientObservers: [any ClientCallObserver] = []
        var serverObservers: [any ServerCallObserver] = []
        var waiters: [EventLoopPromise<Void>] = []
        for slot in slots where slot.inUse {
            if let waiter = slot.writableWaiter { waiters.append(waiter) }
            slot.writableWaiter = nil
            if let observer = slot.clientObserver, slot.client.endLocally() {
                clientObservers.append(observer)
            }
            if case .streaming(let observer) = slot.binding { serverObservers.append(observer) }
            slot.release()
        }
        slots.removeAll()
        freeSlots.removeAll()
        activeStreams = 0
        if let session {
            self.session = nil
            nghttp2_session_del(session)
        }
        for waiter in waiters { waiter.fail(error) }
        for observer in clientObservers { observer.finished(.failure(error)) }
        for observer in serverObservers { observer.streamClosed() }
        if let onClose {
            self.onClose = nil
            onClose()
        }
    }
}

@available(*, unavailable)
extension H2Connection: Sendable {}
