/// The outcome of an RPC as reported by the server (or generated locally, for example on
/// deadline expiry): a code, a message, optional `grpc-status-details-bin` bytes and the
/// trailing metadata.
///
/// A status is a value, not an error: a call that ends with `NOT_FOUND` completed normally
/// from the engine's point of view.
public struct GRPCStatus: Sendable, Hashable, CustomStringConvertible {
    /// The status code.
    public var code: Code
    /// The status message (percent-decoded from `grpc-message`).
    public var message: String
    /// The raw bytes of `grpc-status-details-bin` (usually a `google.rpc.Status`), if sent.
    public var details: [UInt8]?
    /// Trailing metadata other than the reserved gRPC keys.
    public var trailers: Metadata

    /// Creates a status.
    ///
    /// - Parameters:
    ///   - code: The status code.
    ///   - message: A message; any Unicode text (it is percent-encoded on the wire).
    ///   - details: Raw `grpc-status-details-bin` bytes.
    ///   - trailers: Extra trailing metadata.
    public init(code: Code, message: String = "", details: [UInt8]? = nil, trailers: Metadata = [:]) {
        self.code = code
        self.message = message
        self.details = details
        self.trailers = trailers
    }

    /// `OK` with no message.
    public static let ok = GRPCStatus(code: .ok)

    public var description: String {
        message.isEmpty ? "\(code)" : "\(code): \(message)"
    }
}

extension GRPCStatus {
    /// A gRPC status code. Codes outside 0...16 received on the wire are kept as received.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The numeric value sent in `grpc-status`.
        public let rawValue: Int

        /// Creates a code from its numeric value.
        ///
        /// - Parameter rawValue: The value of `grpc-status`.
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let ok = Code(rawValue: 0)
        public static let cancelled = Code(rawValue: 1)
        public static let unknown = Code(rawValue: 2)
        public static let invalidArgument = Code(rawValue: 3)
        public static let deadlineExceeded = Code(rawValue: 4)
        public static let notFound = Code(rawValue: 5)
        public static let alreadyExists = Code(rawValue: 6)
        public static let permissionDenied = Code(rawValue: 7)
        public static let resourceExhausted = Code(rawValue: 8)
        public static let failedPrecondition = Code(rawValue: 9)
        public static let aborted = Code(rawValue: 10)
        public static let outOfRange = Code(rawValue: 11)
        public static let unimplemented = Code(rawValue: 12)
        public static let `internal` = Code(rawValue: 13)
        public static let unavailable = Code(rawValue: 14)
        public static let dataLoss = Code(rawValue: 15)
        public static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
            "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED",
        ]

        /// The canonical upper-case name, e.g. `DEADLINE_EXCEEDED`, or `CODE(n)` for others.
        public var description: String {
            Self.names.indices.contains(rawValue) ? Self.names[rawValue] : "CODE(\(rawValue))"
        }
    }
}

extension GRPCStatus {
    /// The status a client reports when a server answers with a non-200 HTTP status and no
    /// `grpc-status`, following gRPC's "HTTP to gRPC status code mapping".
    ///
    /// - Parameter httpStatus: The `:status` received.
    /// - Returns: The mapped status, with a message naming the HTTP status.
    public static func fromHTTPStatus(_ httpStatus: Int) -> GRPCStatus {
        let code: Code
        switch httpStatus {
        case 400: code = .internal
        case 401: code = .unauthenticated
        case 403: code = .permissionDenied
        case 404: code = .unimplemented
        case 429, 502, 503, 504: code = .unavailable
        default: code = .unknown
        }
        return GRPCStatus(code: code, message: "received HTTP status \(httpStatus) from a non-gRPC response")
    }
}
