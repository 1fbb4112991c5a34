/// A failure of the RPC engine itself: the connection could not be made, broke, or the
/// peer violated the protocol.
///
/// A gRPC status received from a peer is not an error: it is a ``GRPCStatus`` value.
/// `RPCError` is thrown only when no status could be obtained, so a caller can tell a
/// refused connection from a TLS failure from a call that the server rejected.
///
/// It prints as `code: "message" (cause: …)`.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable category.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The underlying error, if any (for example a NIO or TLS error).
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The category.
    ///   - message: A human-readable explanation.
    ///   - cause: The underlying error, if any.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause {
            return "\(code): \"\(message)\" (cause: \(cause))"
        }
        return "\(code): \"\(message)\""
    }
}

extension RPCError {
    /// A category of ``RPCError``. A struct over a private enum, so adding a code breaks no
    /// caller's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidAddress
            case invalidArgument
            case dnsFailure
            case connectionRefused
            case unreachable
            case connectTimeout
            case tlsConfiguration
            case tlsHandshakeFailed
            case tlsRequiredByServer
            case connectionClosed
            case protocolError
            case keepaliveTimeout
            case bindFailed
            case shutDown
            case callEnded
            case internalError
        }

        private var wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The address could not be parsed (for example a missing port).
        public static let invalidAddress = Code(.invalidAddress)
        /// An argument was not acceptable (for example a metadata key with invalid characters).
        public static let invalidArgument = Code(.invalidArgument)
        /// The host name could not be resolved.
        public static let dnsFailure = Code(.dnsFailure)
        /// The peer actively refused the connection.
        public static let connectionRefused = Code(.connectionRefused)
        /// The host or network could not be reached.
        public static let unreachable = Code(.unreachable)
        /// Connecting (TCP, TLS and the HTTP/2 preface) took longer than the configured timeout.
        public static let connectTimeout = Code(.connectTimeout)
        /// Certificates, keys or trust roots could not be loaded or were rejected locally.
        public static let tlsConfiguration = Code(.tlsConfiguration)
        /// The TLS handshake failed: bad certificate, unknown CA, no ALPN `h2`, or the server
        /// does not speak TLS at all.
        public static let tlsHandshakeFailed = Code(.tlsHandshakeFailed)
        /// A plaintext connection was answered with TLS: the server expects TLS.
        public static let tlsRequiredByServer = Code(.tlsRequiredByServer)
        /// The connection closed before the call completed.
        public static let connectionClosed = Code(.connectionClosed)
        /// The peer violated HTTP/2 or gRPC framing.
        public static let protocolError = Code(.protocolError)
        /// The peer did not answer a keepalive PING in time.
        public static let keepaliveTimeout = Code(.keepaliveTimeout)
        /// A server could not listen on the requested address.
        public static let bindFailed = Code(.bindFailed)
        /// The connection or server is shut down and takes no new work.
        public static let shutDown = Code(.shutDown)
        /// The call already ended (status sent or received, deadline, cancellation), so the
        /// operation (for example sending a message) could not be done.
        public static let callEnded = Code(.callEnded)
        /// A failure inside the engine or its libraries.
        public static let internalError = Code(.internalError)

        public var description: String {
            switch wrapped {
            case .invalidAddress: "invalid address"
            case .invalidArgument: "invalid argument"
            case .dnsFailure: "DNS failure"
            case .connectionRefused: "connection refused"
            case .unreachable: "unreachable"
            case .connectTimeout: "connect timeout"
            case .tlsConfiguration: "TLS configuration"
            case .tlsHandshakeFailed: "TLS handshake failed"
            case .tlsRequiredByServer: "TLS required by server"
            case .connectionClosed: "connection closed"
            case .protocolError: "protocol error"
            case .keepaliveTimeout: "keepalive timeout"
            case .bindFailed: "bind failed"
            case .shutDown: "shut down"
            case .callEnded: "call ended"
            case .internalError: "internal error"
            }
        }
    }
}

/// The messages of TLS failures that a caller may explain further (by fetching
/// the server's certificate with ``TLSProbe`` and reading it).
public enum TLSFailureText {
    /// The server's certificate chain did not verify against the trusted roots.
    public static let untrusted = "TLS failed: the server's certificate did not verify against the trusted CA certificates"
    /// The server's certificate does not name the host that was asked for.
    public static let hostMismatch = "TLS failed: the server's certificate does not name the host asked for"
}
