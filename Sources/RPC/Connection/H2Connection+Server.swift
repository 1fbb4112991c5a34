internal import CNGHTTP2
import NIOCore

extension H2Connection {
    // MARK: - Request side

    func serverReceivedHeaders(_ slot: StreamSlot, endStream: Bool) {
        guard case .server(let configuration, let router) = role else { return }
        if case .none = slot.binding, slot.context == nil, !slot.serverFinished {
            // First HEADERS: the request.
        } else {
            // Request trailers (unusual but legal): only END_STREAM matters.
            slot.fields.reset()
            if endStream { serverRequestEnded(slot) }
            return
        }
        let fields = slot.fields.take()
        guard fields.contentTypeIsGRPC else {
            submitPlainHTTPResponse(slot, status: 415)
            return
        }
        guard fields.method == "POST", let path = fields.path else {
            serverFail(slot, GRPCStatus(code: .unimplemented, message: "gRPC requires POST with a :path"))
            return
        }
        if let problem = fields.problem {
            serverFail(slot, GRPCStatus(code: .internal, message: problem))
            return
        }
        if let encoding = fields.encoding, encoding != "identity", encoding != "gzip" {
            serverFail(slot, GRPCStatus(code: .unimplemented, message: "unsupported grpc-encoding '\(encoding)'"))
            return
        }
        slot.deframer.gzipEnabled = fields.encoding == "gzip"
        slot.responseGzip = configuration.compressResponses && fields.acceptsGzip
        slot.framer.compress = slot.responseGzip

        var deadline: NIODeadline?
        if let timeout = fields.timeout, let context {
            deadline = .now() + timeout
            let handle = CallHandle(slot: slot.index, generation: slot.generation)
            slot.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
                self.serverDeadlineExpired(handle)
            }
        }
        let callContext = ServerContext(
            path: path, metadata: fields.metadata, deadline: deadline, peer: peerDescription,
            authority: fields.authority)
        slot.context = callContext

        let route: RPCRouter.Route?
        if let last = lastRoute, last.path == path {
            route = last.route
        } else {
            route = router.lookup(path)
            if let route { lastRoute = (path, route) }
        }
        switch route {
        case nil:
            serverFail(slot, GRPCStatus(code: .unimplemented, message: "unknown method \(path)"))
            return
        case .unary(let handler):
            slot.binding = .unary(handler, request: nil)
        case .streaming(_, let handler):
            guard let bridge = makeServerCallBridge(slot, context: callContext, handler: handler) else { return }
            slot.binding = .streaming(bridge)
            bridge.start()
        }
        if endStream { serverRequestEnded(slot) }
    }

    func serverReceivedMessage(_ slot: StreamSlot, _ message: ByteBuffer) -> Bool {
        switch slot.binding {
        case .none:
            return true
        case .unary(let handler, let request):
            if request != nil {
                serverFail(slot, GRPCStatus(code: .internal, message: "a unary call received more than one request message"))
            } else {
                slot.binding = .unary(handler, request: message)
            }
            return true
        case .streaming(let observer):
            return observer.receivedMessage(message)
        }
    }

    func serverRequestEnded(_ slot: StreamSlot) {
        if slot.deframer.hasPartialMessage {
            serverFail(slot, GRPCStatus(code: .internal, message: "the request ended inside a message"))
            return
        }
        switch slot.binding {
        case .none:
            break
        case .unary(let handler, let request):
            slot.binding = .none
            guard !slot.serverFinished, let context = slot.context else { return }
            guard let request else {
                serverFail(slot, GRPCStatus(code: .internal, message: "a unary call received no request message"))
                return
            }
            let responder = UnaryResponder(connection: self, handle: CallHandle(slot: slot.index, generation: slot.generation))
            handler(context, request, responder)
        case .streaming(let observer):
            observer.requestEnded()
        }
    }

    private func serverDeadlineExpired(_ handle: CallHandle) {
        guard let slot = slot(index: handle.slot, generation: handle.generation) else { return }
        slot.deadlineTimer = nil
        serverFail(slot, GRPCStatus(code: .deadlineExceeded, message: "the call's deadline expired"))
    }

    /// Ends a call with a (non-OK) status because of a request problem.
    func serverFail(_ slot: StreamSlot, _ status: GRPCStatus) {
        let observer: (any ServerCallObserver)?
        if case .streaming(let bound) = slot.binding { observer = bound } else { observer = nil }
        if case .unary = slot.binding { slot.binding = .none }
        serverFinish(slot, status: status)
        observer?.requestFailed(status)
    }

    private func submitPlainHTTPResponse(_ slot: StreamSlot, status: Int) {
        guard let session else { return }
        slot.serverFinished = true
        slot.headersSent = true
        var block = HeaderBlock()
        block.add(":status", String(status))
        _ = block.withNameValuePairs { nva, count in
            nghttp2_submit_response(session, slot.streamID, nva, count, nil)
        }
        scheduleFlush()
    }

    // MARK: - Response side

    /// Sends response headers if not sent yet.
    func serverSendHeaders(_ slot: StreamSlot, metadata: Metadata) {
        guard !slot.headersSent, !slot.serverFinished, let session else { return }
        slot.headersSent = true
        respondedSincePing = true
        let sourceID = UInt(slot.index + 1)
        if metadata.isEmpty && !slot.responseGzip {
            _ = cnghttp2_submit_grpc_response(session, slot.streamID, dataSourceRead, sourceID)
        } else {
            var block = HeaderBlock()
            block.add(":status", "200")
            block.add("content-type", "application/grpc")
            if slot.responseGzip { block.add("grpc-encoding", "gzip") }
            block.add("grpc-accept-encoding", "gzip")
            block.add(metadata: metadata)
            _ = block.withNameValuePairs { nva, count in
                cnghttp2_submit_response_with_data(session, slot.streamID, nva, count, dataSourceRead, sourceID)
            }
        }
        scheduleFlush()
    }

    /// Queues one response message (sending headers first if needed).
    func serverSend(_ slot: StreamSlot, message: ByteBuffer) -> SendResult {
        guard !slot.serverFinished else { return .callEnded }
        if !slot.headersSent { serverSendHeaders(slot, metadata: Metadata()) }
        let framer = slot.framer
        do {
            try framer.frame(message, into: &slot.outbound, allocator: allocator)
        } catch {
            if case .tooLarge(let size) = error {
                serverFail(slot, GRPCStatus(
                    code: .resourceExhausted,
                    message: "response message larger than max (\(size) vs. \(framer.maxMessageSize))"))
            } else {
                serverFail(slot, GRPCStatus(code: .internal, message: "response compression failed"))
            }
            return .callEnded
        }
        resumeData(slot)
        scheduleFlush()
        return waitIfNeeded(slot)
    }

    /// Ends the call with `status`: trailers after any messages, or a trailers-only response.
    func serverFinish(_ slot: StreamSlot, status: GRPCStatus) {
        guard !slot.serverFinished, let session else { return }
        slot.serverFinished = true
        slot.deadlineTimer?.cancel()
        slot.deadlineTimer = nil
        if slot.headersSent {
            slot.pendingStatus = status
            slot.outboundEnded = true
            resumeData(slot)
        } else {
            slot.headersSent = true
            respondedSincePing = true
            var block = HeaderBlock()
            block.add(":status", "200")
            block.add("content-type", "application/grpc")
            block.add("grpc-accept-encoding", "gzip")
            block.add(status: status)
            _ = block.withNameValuePairs { nva, count in
                nghttp2_submit_response(session, slot.streamID, nva, count, nil)
            }
        }
        scheduleFlush()
    }

    /// Submits the trailers of a finished call (from the DATA provider at end of data).
    func submitTrailers(_ slot: StreamSlot) {
        guard let session else { return }
        let status = slot.pendingStatus ?? .ok
        if status.code == .ok, status.message.isEmpty, status.details == nil, status.trailers.isEmpty {
            _ = cnghttp2_submit_trailers_ok(session, slot.streamID)
        } else {
            var block = HeaderBlock()
            block.add(status: status)
            _ = block.withNameValuePairs { nva, count in
                nghttp2_submit_trailer(session, slot.streamID, nva, count)
            }
        }
    }

    // MARK: - Keepalive policing

    /// Counts a client PING against the policy (see ``ServerConfiguration/minimumPingInterval``);
    /// the third strike ends the connection with GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
    func policePing() {
        guard case .server(let configuration, _) = role, let minimum = configuration.minimumPingInterval,
              let session, let context else { return }
        let now = context.eventLoop.now
        defer { lastPingAt = now }
        if respondedSincePing {
            respondedSincePing = false
            pingStrikes = 0
            return
        }
        guard let last = lastPingAt else { return }
        let allowed = activeStreams == 0 && !configuration.permitPingsWithoutCalls ? TimeAmount.hours(2) : minimum
        if now < last + allowed { pingStrikes += 1 }
        guard pingStrikes > 2, !finalGoAwaySent else { return }
        submitFinalGoAway(session, code: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, debug: "too_many_pings")
        // Closed once the GOAWAY is out.
        context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [self] in
            self.close(error: RPCError(code: .connectionClosed, message: "the client sent too many PINGs"))
        }
    }

    // MARK: - Graceful shutdown

    /// Starts a graceful shutdown: GOAWAY (shutdown notice), a PING round trip, the final
    /// GOAWAY with the last processed stream, then close when no calls remain or after
    /// `grace`.
    func beginGracefulShutdown(grace: TimeAmount) {
        guard let session, let context else { return }
        guard lifecycle.beginShutdown() else { return }
        if isServer {
            _ = nghttp2_submit_shutdown_notice(session)
            _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [self] in
                self.sendFinalGoAway()
            }
        } else {
            _ = nghttp2_submit_goaway(
                session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, NGHTTP2_NO_ERROR.rawValue, nil, 0)
        }
        shutdownTimerStore = context.eventLoop.assumeIsolated().scheduleTask(in: grace) { [self] in
            self.close(error: RPCError(code: .shutDown, message: "the connection was shut down"))
        }
        scheduleFlush()
    }

    func sendFinalGoAway() {
        guard isServer, !finalGoAwaySent, lifecycle.isDrainingOrClosed, let session else { return }
        submitFinalGoAway(session, code: NGHTTP2_NO_ERROR.rawValue)
    }

    /// The server's last GOAWAY: the last stream it processed, an error code and debug text.
    private func submitFinalGoAway(_ session: OpaquePointer, code: UInt32, debug: String = "") {
        finalGoAwaySent = true
        let text = Array(debug.utf8)
        _ = text.withUnsafeBufferPointer { bytes in
            nghttp2_submit_goaway(
                session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
                code, bytes.baseAddress, bytes.count)
        }
        scheduleFlush()
    }
}
