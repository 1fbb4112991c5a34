public import NIOCore

/// Settings for a client connection.
public struct ClientConfiguration: Sendable {
    /// TLS settings; nil for plaintext HTTP/2 with prior knowledge (h2c).
    public var tls: ClientTLSConfiguration?
    /// The `:authority` to send; defaults to the address's `host:port` (`localhost` for Unix sockets).
    public var authority: String?
    /// Bound on TCP connect + TLS handshake + the server's HTTP/2 SETTINGS.
    public var connectTimeout: TimeAmount
    /// Keepalive PINGs; nil to disable.
    public var keepalive: Keepalive?
    /// The largest response message accepted (after decompression). Default 4 MiB.
    public var maxReceiveMessageSize: Int
    /// The largest request message sent. Default 4 MiB.
    public var maxSendMessageSize: Int
    /// Whether request messages are gzip-compressed (`grpc-encoding: gzip`).
    public var compressRequests: Bool
    /// The `user-agent` header.
    public var userAgent: String
    /// The HTTP/2 stream receive window announced to the server.
    public var initialStreamWindowSize: Int
    /// The HTTP/2 connection receive window.
    public var connectionWindowSize: Int

    /// Keepalive PING policy.
    public struct Keepalive: Sendable {
        /// Time between PINGs.
        public var interval: TimeAmount
        /// How long to wait for the PING ACK before the connection is closed.
        public var timeout: TimeAmount

        /// Creates a policy.
        ///
        /// - Parameters:
        ///   - interval: Time between PINGs.
        ///   - timeout: How long to wait for each ACK.
        public init(interval: TimeAmount, timeout: TimeAmount = .seconds(20)) {
            self.interval = interval
            self.timeout = timeout
        }
    }

    /// Creates a configuration with defaults: plaintext, 20 s connect timeout, no keepalive,
    /// 4 MiB message limits, no compression.
    public init(
        tls: ClientTLSConfiguration? = nil,
        authority: String? = nil,
        connectTimeout: TimeAmount = .seconds(20),
        keepalive: Keepalive? = nil,
        maxReceiveMessageSize: Int = 4 * 1024 * 1024,
        maxSendMessageSize: Int = 4 * 1024 * 1024,
        compressRequests: Bool = false,
        userAgent: String = "polarisctl-rpc/1.0",
        initialStreamWindowSize: Int = 1 << 20,
        connectionWindowSize: Int = 16 << 20
    ) {
        self.tls = tls
        self.authority = authority
        self.connectTimeout = connectTimeout
        self.keepalive = keepalive
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.maxSendMessageSize = maxSendMessageSize
        self.compressRequests = compressRequests
        self.userAgent = userAgent
        self.initialStreamWindowSize = initialStreamWindowSize
        self.connectionWindowSize = connectionWindowSize
    }
}

/// Per-call options.
public struct CallOptions: Sendable {
    /// The call's timeout; sent as `grpc-timeout`, and the call is cancelled locally with
    /// `DEADLINE_EXCEEDED` when it expires. nil for no deadline.
    public var timeout: TimeAmount?

    /// Creates options.
    ///
    /// - Parameter timeout: The call's timeout, or nil.
    public init(timeout: TimeAmount? = nil) {
        self.timeout = timeout
    }
}

/// Settings for a server.
public struct ServerConfiguration: Sendable {
    /// TLS settings; nil for plaintext h2c.
    public var tls: ServerTLSConfiguration?
    /// SETTINGS_MAX_CONCURRENT_STREAMS announced to each client.
    public var maxConcurrentStreams: Int
    /// The largest request message accepted. Default 4 MiB.
    public var maxReceiveMessageSize: Int
    /// The largest response message sent. Default 4 MiB.
    public var maxSendMessageSize: Int
    /// Whether responses are gzip-compressed when the client accepts gzip.
    public var compressResponses: Bool
    /// The HTTP/2 stream receive window announced to clients.
    public var initialStreamWindowSize: Int
    /// The HTTP/2 connection receive window.
    public var connectionWindowSize: Int
    /// Keepalive policing, as gRPC servers do it: a client PING sooner than this after the
    /// previous one is a strike, and so is one every 2 hours or sooner while no call is
    /// open (unless ``permitPingsWithoutCalls``); the third strike ends the connection with
    /// GOAWAY ENHANCE_YOUR_CALM "too_many_pings". Sending a response clears the strikes.
    /// nil accepts every PING. Default: 5 minutes, gRPC's default.
    public var minimumPingInterval: TimeAmount?
    /// Whether PINGs while no call is open are held only to ``minimumPingInterval``.
    public var permitPingsWithoutCalls: Bool

    /// Creates a configuration with defaults: plaintext, 1000 concurrent streams,
    /// 4 MiB message limits, no response compression, gRPC's keepalive policy.
    public init(
        tls: ServerTLSConfiguration? = nil,
        maxConcurrentStreams: Int = 1000,
        maxReceiveMessageSize: Int = 4 * 1024 * 1024,
        maxSendMessageSize: Int = 4 * 1024 * 1024,
        compressResponses: Bool = false,
        initialStreamWindowSize: Int = 1 << 20,
        connectionWindowSize: Int = 16 << 20,
        minimumPingInterval: TimeAmount? = .minutes(5),
        permitPingsWithoutCalls: Bool = false
    ) {
        self.minimumPingInterval = minimumPingInterval
        self.permitPingsWithoutCalls = permitPingsWithoutCalls
        self.tls = tls
        self.maxConcurrentStreams = maxConcurrentStreams
        self.maxReceiveMessageSize = maxReceiveMessageSize
        self.maxSendMessageSize = maxSendMessageSize
        self.compressResponses = compressResponses
        self.initialStreamWindowSize = initialStreamWindowSize
        self.connectionWindowSize = connectionWindowSize
    }
}
