/// TLS settings for a client connection (ALPN `h2` is always offered).
public struct ClientTLSConfiguration: Sendable {
    /// Where trusted CA certificates come from.
    public enum TrustRoots: Sendable {
        /// The system's trust store.
        case system
        /// A PEM file of CA certificates.
        case pemFile(String)
    }

    /// Trusted roots for verifying the server.
    public var trustRoots: TrustRoots
    /// Skip verification of the server certificate entirely (for testing only).
    public var insecureSkipVerify: Bool
    /// The name used for SNI and hostname verification; defaults to the address's host.
    public var serverName: String?
    /// PEM certificate chain for mutual TLS.
    public var certificateChainFile: String?
    /// PEM private key for mutual TLS.
    public var privateKeyFile: String?

    /// Creates client TLS settings.
    ///
    /// - Parameters:
    ///   - trustRoots: Trusted roots (system by default).
    ///   - insecureSkipVerify: Accept any server certificate.
    ///   - serverName: SNI / verification name override.
    ///   - certificateChainFile: Client certificate chain (PEM) for mTLS.
    ///   - privateKeyFile: Client private key (PEM) for mTLS.
    public init(
        trustRoots: TrustRoots = .system,
        insecureSkipVerify: Bool = false,
        serverName: String? = nil,
        certificateChainFile: String? = nil,
        privateKeyFile: String? = nil
    ) {
        self.trustRoots = trustRoots
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}

/// TLS settings for a server (ALPN `h2`).
public struct ServerTLSConfiguration: Sendable {
    /// PEM certificate chain.
    public var certificateChainFile: String
    /// PEM private key.
    public var privateKeyFile: String
    /// PEM CA certificates that client certificates must chain to; when set, clients must
    /// present a certificate (mutual TLS).
    public var clientCAFile: String?

    /// Creates server TLS settings.
    ///
    /// - Parameters:
    ///   - certificateChainFile: Server certificate chain (PEM).
    ///   - privateKeyFile: Server private key (PEM).
    ///   - clientCAFile: CA bundle for client certificates; requires them when given.
    public init(certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
    }
}
