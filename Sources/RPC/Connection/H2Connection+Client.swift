internal import CNGHTTP2
import NIOCore

/// A client call's handle inside its connection: the slot and the generation it was given.
struct CallHandle: Hashable, Sendable {
    var slot: Int
    var generation: UInt64
}

extension H2Connection {
    // MARK: - Lifecycle

    func becameReady() {
        if let promise = readyPromise {
            readyPromise = nil
            promise.succeed()
        }
        startKeepalive()
    }

    private func startKeepalive() {
        guard let keepalive = clientConfiguration?.keepalive, let context else { return }
        keepaliveTaskStore = context.eventLoop.assumeIsolated().scheduleTask(in: keepalive.interval) { [self] in
            self.sendKeepalivePing(timeout: keepalive.timeout)
            self.startKeepalive()
        }
    }

    private func sendKeepalivePing(timeout: TimeAmount) {
        guard let session, let context, keepaliveTimeoutStore == nil else { return }
        _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
        keepaliveTimeoutStore = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            self.keepaliveTimeoutStore = nil
            self.close(error: RPCError(
                code: .keepaliveTimeout, message: "the server did not answer a keepalive PING within \(timeout)"))
        }
        scheduleFlush()
    }

    func receivedPingAck() {
        keepaliveTimeoutStore?.cancel()
        keepaliveTimeoutStore = nil
        if isServer { sendFinalGoAway() }
    }

    // MARK: - Starting calls

    /// Starts a call. `observer` is told the outcome on this event loop; when the call
    /// cannot start, it is told asynchronously (never re-entrantly).
    ///
    /// - Returns: The call's handle, or nil if it could not start.
    @discardableResult
    func startCall(
        path: String, metadata: Metadata, options: CallOptions, observer: any ClientCallObserver
    ) -> CallHandle? {
        guard case .client(let configuration, let scheme, let authority) = role else { return nil }
        guard lifecycle.acceptsNewStreams, let session, let context else {
            let status = GRPCStatus(
                code: .unavailable,
                message: lifecycle.goAwayReceived
                    ? "the connection is draining (the server sent GOAWAY); the call was not started"
                    : "the connection is closed; the call was not started")
            if let context {
                context.eventLoop.assumeIsolated().execute { observer.finished(.success(status)) }
            } else {
                observer.finished(.success(status))
            }
            return nil
        }
        // A call to the same path with the same timeout and metadata as the previous one
        // (a load test's every call) sends the same headers: reused.
        let headers: PreparedHeaders
        if let cached = lastRequestHeaders, cached.path == path, cached.timeout == options.timeout,
           cached.metadata == metadata {
            headers = cached
        } else {
            var block = HeaderBlock()
            block.add(":method", "POST")
            block.add(":scheme", scheme)
            block.add(":path", path)
            block.add(":authority", authority)
            block.add("content-type", "application/grpc")
            block.add("te", "trailers")
            block.add("user-agent", configuration.userAgent)
            block.add("grpc-accept-encoding", "gzip")
            if configuration.compressRequests { block.add("grpc-encoding", "gzip") }
            if let timeout = options.timeout { block.add("grpc-timeout", GRPCTimeout.encode(timeout)) }
            block.add(metadata: metadata)
            headers = PreparedHeaders(path: path, timeout: options.timeout, metadata: metadata, block: block)
            lastRequestHeaders = headers
        }

        let slot = allocateSlot()
        slot.open(
            streamID: -1, maxReceive: configuration.maxReceiveMessageSize,
            maxSend: configuration.maxSendMessageSize)
        slot.framer.compress = configuration.compressRequests
        slot.clientObserver = observer
        slot.requestHeaders = headers
        let sourceID = UInt(slot.index + 1)
        let streamID = cnghttp2_submit_request(
            session, headers.nameValuePairs, headers.count, dataSourceRead, sourceID,
            UnsafeMutableRawPointer(bitPattern: sourceID))
        streamOpened(slot)
        guard streamID > 0 else {
            slot.streamID = -1
            slot.clientObserver = nil
            releaseUnstartedSlot(slot)
            let status = GRPCStatus(
                code: .unavailable, message: "the call could not be started (nghttp2 error \(streamID))")
            context.eventLoop.assumeIsolated().execute { observer.finished(.success(status)) }
            return nil
        }
        slot.streamID = streamID
        noteStream(of: slot)
        let handle = CallHandle(slot: slot.index, generation: slot.generation)
        if let timeout = options.timeout {
            slot.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
                self.clientDeadlineExpired(handle)
            }
        }
        scheduleFlush()
        return handle
    }

    private func clientDeadlineExpired(_ handle: CallHandle) {
        guard let slot = slot(index: handle.slot, generation: handle.generation) else { return }
        slot.deadlineTimer = nil
        clientEndLocally(
            slot, status: GRPCStatus(code: .deadlineExceeded, message: "the call's deadline expired"),
            resetCode: NGHTTP2_CANCEL.rawValue)
    }

    // MARK: - Sending

    enum SendResult {
        /// Queued; the caller may send more right away.
        case queued
        /// Queued; the caller should wait for the returned promise before sending more.
        case wait(EventLoopFuture<Void>)
        /// The call is over (or the message was rejected, which ended it).
        case callEnded
    }

    func clientSend(_ handle: CallHandle, message: ByteBuffer, endStream: Bool) -> SendResult {
        guard let slot = slot(index: handle.slot, generation: handle.generation),
              !slot.client.isClosed, !slot.outboundEnded else { return .callEnded }
        let framer = slot.framer
        do {
            try framer.frame(message, into: &slot.outbound, allocator: allocator)
        } catch {
            let status: GRPCStatus
            if case .tooLarge(let size) = error {
                status = GRPCStatus(
                    code: .resourceExhausted,
                    message: "request message larger than max (\(size) vs. \(framer.maxMessageSize))")
            } else {
                status = GRPCStatus(code: .internal, message: "request compression failed")
            }
            clientEndLocally(slot, status: status, resetCode: NGHTTP2_CANCEL.rawValue)
            return .callEnded
        }
        if endStream { slot.outboundEnded = true }
        resumeData(slot)
        scheduleFlush()
        return waitIfNeeded(slot)
    }

    func waitIfNeeded(_ slot: StreamSlot) -> SendResult {
        guard slot.outbound.readableBytes > Self.outboundHighWatermark else { return .queued }
        let promise = slot.writableWaiter ?? eventLoop.makePromise(of: Void.self)
        slot.writableWaiter = promise
        return .wait(promise.futureResult)
    }

    func clientFinishSending(_ handle: CallHandle) {
        guard let slot = slot(index: handle.slot, generation: handle.generation),
              !slot.outboundEnded else { return }
        slot.outboundEnded = true
        resumeData(slot)
        scheduleFlush()
    }

    /// Cancels a call: RST_STREAM(CANCEL) and a local `CANCELLED` status.
    func clientCancel(_ handle: CallHandle, message: String = "the call was cancelled") {
        guard let slot = slot(index: handle.slot, generation: handle.generation) else { return }
        clientEndLocally(slot, status: GRPCStatus(code: .cancelled, message: message), resetCode: NGHTTP2_CANCEL.rawValue)
    }

    /// Ends a call locally with `status` and resets its stream.
    func clientEndLocally(_ slot: StreamSlot, status: GRPCStatus, resetCode: UInt32) {
        guard slot.client.endLocally() else { return }
        slot.deadlineTimer?.cancel()
        slot.deadlineTimer = nil
        resetStream(slot, errorCode: resetCode)
        let observer = slot.clientObserver
        slot.clientObserver = nil
        if let waiter = slot.writableWaiter {
            slot.writableWaiter = nil
            waiter.fail(RPCError(code: .connectionClosed, message: "the call ended: \(status)"))
        }
        scheduleFlush()
        observer?.finished(.success(status))
    }

    private func releaseUnstartedSlot(_ slot: StreamSlot) {
        slot.release()
        freeSlotIndex(slot.index)
    }

    // MARK: - Receiving

    func clientReceivedHeaders(_ slot: StreamSlot, endStream: Bool) {
        let fields = slot.fields.take()
        switch slot.client.receivedHeaders(fields, endStream: endStream) {
        case .ignore:
            break
        case .deliverHeaders(let metadata, let gzip):
            slot.deframer.gzipEnabled = gzip
            slot.clientObserver?.receivedHeaders(metadata)
        case .finish(let status):
            finishClientCall(slot, status)
        case .finishAndReset(let status):
            resetStream(slot, errorCode: NGHTTP2_PROTOCOL_ERROR.rawValue)
            finishClientCall(slot, status)
        }
    }

    private func finishClientCall(_ slot: StreamSlot, _ status: GRPCStatus) {
        slot.deadlineTimer?.cancel()
        slot.deadlineTimer = nil
        let observer = slot.clientObserver
        slot.clientObserver = nil
        if !slot.outboundEnded {
            // The server is done; stop sending (the stream would otherwise stay half-open).
            slot.outboundEnded = true
            resetStream(slot, errorCode: NGHTTP2_CANCEL.rawValue)
            scheduleFlush()
        }
        var status = status
        if status.code == .ok, slot.deframer.hasPartialMessage {
            status = GRPCStatus(code: .internal, message: "the response ended inside a message", trailers: status.trailers)
        }
        observer?.finished(.success(status))
    }

    func clientReceivedEndOfStreamOnData(_ slot: StreamSlot) {
        if let status = slot.client.receivedEndOfStreamOnData() {
            finishClientCall(slot, status)
        }
    }

    func clientReceivedMessage(_ slot: StreamSlot, _ message: ByteBuffer) -> Bool {
        guard !slot.client.isClosed, let observer = slot.clientObserver else { return true }
        return observer.receivedMessage(message)
    }
}
