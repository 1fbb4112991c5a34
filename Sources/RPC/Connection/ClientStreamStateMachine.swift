/// The receiving half of a client call: interprets response HEADERS, DATA and trailers and
/// decides when the call is over and with which status. It does no I/O.
///
/// Bad input falls in three kinds: a peer's protocol violation (ends the call with
/// `INTERNAL`/`UNKNOWN` and asks to reset the stream), a non-gRPC answer (mapped from the
/// HTTP status), or late events after the end (ignored).
struct ClientStreamStateMachine {
    private enum State {
        /// No response HEADERS yet. Next: `receivingMessages` or `closed`.
        case awaitingHeaders
        /// Response headers received; messages may arrive. Next: `closed`.
        case receivingMessages
        /// The status is known; everything else is ignored. Terminal.
        case closed
    }

    private var state: State = .awaitingHeaders

    /// What the handler should do after a HEADERS block.
    enum OnHeaders: Equatable {
        /// Deliver response headers; messages follow, using gzip if `gzip`.
        case deliverHeaders(Metadata, gzip: Bool)
        /// The call is over with this status (trailers-only, trailers, or a rejected response).
        case finish(GRPCStatus)
        /// The call is over with this status and the stream must be reset (protocol violation).
        case finishAndReset(GRPCStatus)
        /// Nothing to do.
        case ignore
    }

    /// Whether the call has ended.
    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Whether response headers were received.
    var receivedHeaders: Bool {
        if case .receivingMessages = state { return true }
        return false
    }

    /// A HEADERS block (headers, trailers or trailers-only) arrived.
    mutating func receivedHeaders(_ fields: HeaderFields, endStream: Bool) -> OnHeaders {
        switch state {
        case .closed:
            return .ignore
        case .awaitingHeaders:
            guard let httpStatus = fields.httpStatus else {
                state = .closed
                return .finishAndReset(GRPCStatus(code: .internal, message: "response without :status"))
            }
            if httpStatus != 200 {
                state = .closed
                // A gRPC status, when present, wins over the HTTP mapping.
                if fields.grpcStatus != nil { return .finish(fields.status()) }
                return endStream ? .finish(.fromHTTPStatus(httpStatus)) : .finishAndReset(.fromHTTPStatus(httpStatus))
            }
            if endStream {
                state = .closed
                if fields.grpcStatus == nil && !fields.contentTypeIsGRPC {
                    return .finish(GRPCStatus(code: .unknown, message: "invalid content-type in a response without grpc-status"))
                }
                return .finish(fields.status())
            }
            guard fields.contentTypeIsGRPC else {
                state = .closed
                return .finishAndReset(GRPCStatus(
                    code: .unknown, message: "the response content-type is not application/grpc"))
            }
            if let encoding = fields.encoding, encoding != "identity", encoding != "gzip" {
                state = .closed
                return .finishAndReset(GRPCStatus(
                    code: .internal, message: "the server used unsupported compression '\(encoding)'"))
            }
            state = .receivingMessages
            return .deliverHeaders(fields.metadata, gzip: fields.encoding == "gzip")
        case .receivingMessages:
            state = .closed
            guard endStream else {
                return .finishAndReset(GRPCStatus(code: .internal, message: "trailers without END_STREAM"))
            }
            return .finish(fields.status())
        }
    }

    /// DATA ended the stream (END_STREAM on DATA): a gRPC server must send trailers, so this
    /// is a protocol violation unless the call already ended.
    mutating func receivedEndOfStreamOnData() -> GRPCStatus? {
        switch state {
        case .closed:
            return nil
        case .awaitingHeaders, .receivingMessages:
            state = .closed
            return GRPCStatus(code: .internal, message: "the server ended the stream without trailers")
        }
    }

    /// The call ended locally (deadline, cancellation, a limit). Returns false if it had
    /// already ended.
    mutating func endLocally() -> Bool {
        if case .closed = state { return false }
        state = .closed
        return true
    }

    /// The stream closed (RST_STREAM or connection teardown) with HTTP/2 `errorCode`.
    /// Returns the status to report, or nil if the call already ended.
    mutating func streamClosed(errorCode: UInt32) -> GRPCStatus? {
        if case .closed = state { return nil }
        state = .closed
        return Self.status(forResetCode: errorCode)
    }

    /// Maps an RST_STREAM error code to a status (gRPC's PROTOCOL-HTTP2 document).
    static func status(forResetCode code: UInt32) -> GRPCStatus {
        switch code {
        case 0x7: GRPCStatus(code: .unavailable, message: "the server refused the stream (REFUSED_STREAM)")
        case 0x8: GRPCStatus(code: .cancelled, message: "the server cancelled the stream (CANCEL)")
        case 0xB: GRPCStatus(code: .resourceExhausted, message: "the server reset the stream (ENHANCE_YOUR_CALM)")
        case 0xC: GRPCStatus(code: .permissionDenied, message: "the server reset the stream (INADEQUATE_SECURITY)")
        default: GRPCStatus(code: .internal, message: "the server reset the stream (HTTP/2 error 0x\(String(code, radix: 16)))")
        }
    }
}
