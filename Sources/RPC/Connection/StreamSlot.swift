import NIOCore

/// Receives one client call's events on the connection's event loop.
protocol ClientCallObserver: AnyObject {
    /// Response headers arrived.
    func receivedHeaders(_ metadata: Metadata)
    /// A response message arrived. Returns false to stop opening the flow-control window
    /// until ``H2Connection/resumeReading(slot:generation:)`` is called.
    func receivedMessage(_ message: ByteBuffer) -> Bool
    /// The call ended: with a status (received or generated locally) or a transport failure.
    func finished(_ result: Result<GRPCStatus, RPCError>)
}

/// Receives one server call's request events on the connection's event loop.
protocol ServerCallObserver: AnyObject {
    /// A request message arrived. Returns false to stop opening the flow-control window.
    func receivedMessage(_ message: ByteBuffer) -> Bool
    /// The client half-closed (no more messages).
    func requestEnded()
    /// The request failed (limits, corrupt data) and the call was ended with `status`.
    func requestFailed(_ status: GRPCStatus)
    /// The stream is gone (finished, reset by the client, deadline or connection loss).
    func streamClosed()
}

/// What a server stream is bound to.
enum ServerStreamBinding {
    /// Not dispatched yet (or rejected).
    case none
    /// The fast unary path: the request message is collected, then the handler runs.
    case unary(UnaryHandler, request: ByteBuffer?)
    /// A streaming (async) handler.
    case streaming(any ServerCallObserver)
}

/// Per-stream state, kept in reusable slots so a busy connection allocates none per call.
/// The slot index + 1 is the nghttp2 stream user data and the data source id.
final class StreamSlot {
    let index: Int
    var inUse = false
    /// Incremented on each reuse, so stale handles to a previous call are detected.
    var generation: UInt64 = 0
    var streamID: Int32 = -1

    // Inbound.
    var fields = HeaderFields()
    var deframer: GRPCMessageDeframer
    /// Received DATA bytes not yet returned to the peer's flow-control window.
    var withheldBytes = 0
    var readingPaused = false

    // Outbound.
    var outbound: ByteBuffer
    var outboundEnded = false
    var dataDeferred = false
    var framer: GRPCMessageFramer
    var writableWaiter: EventLoopPromise<Void>?

    // Client side.
    var client = ClientStreamStateMachine()
    var clientObserver: (any ClientCallObserver)?
    /// The request headers, kept until the stream is done: nghttp2 reads them in place.
    var requestHeaders: PreparedHeaders?

    // Server side.
    var binding: ServerStreamBinding = .none
    var context: ServerContext?
    var headersSent = false
    var responseGzip = false
    var pendingStatus: GRPCStatus?
    var serverFinished = false

    var deadlineTimer: Scheduled<Void>?

    init(index: Int, allocator: ByteBufferAllocator) {
        self.index = index
        self.deframer = GRPCMessageDeframer(maxMessageSize: 4 << 20)
        self.outbound = allocator.buffer(capacity: 0)
        self.framer = GRPCMessageFramer(compress: false, maxMessageSize: 4 << 20)
    }

    /// Prepares the slot for a new stream.
    func open(streamID: Int32, maxReceive: Int, maxSend: Int) {
        inUse = true
        generation &+= 1
        self.streamID = streamID
        fields.reset()
        deframer = GRPCMessageDeframer(maxMessageSize: maxReceive)
        withheldBytes = 0
        readingPaused = false
        outbound.clear()
        outboundEnded = false
        dataDeferred = false
        framer = GRPCMessageFramer(compress: false, maxMessageSize: maxSend)
        writableWaiter = nil
        client = ClientStreamStateMachine()
        clientObserver = nil
        requestHeaders = nil
        binding = .none
        context = nil
        headersSent = false
        responseGzip = false
        pendingStatus = nil
        serverFinished = false
        deadlineTimer = nil
    }

    /// Releases references held by the slot.
    func release() {
        inUse = false
        streamID = -1
        clientObserver = nil
        requestHeaders = nil
        binding = .none
        context = nil
        fields.reset()
        deadlineTimer?.cancel()
        deadlineTimer = nil
        // Keep the outbound storage for reuse unless it grew large.
        if outbound.capacity > 64 * 1024 {
            outbound = ByteBuffer()
        } else {
            outbound.clear()
        }
        deframer = GRPCMessageDeframer(maxMessageSize: deframer.maxMessageSize)
    }
}

@available(*, unavailable)
extension StreamSlot: Sendable {}
