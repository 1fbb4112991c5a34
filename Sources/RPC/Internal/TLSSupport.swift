import NIOSSL

/// Builds swift-nio-ssl contexts from the engine's TLS settings (ALPN `h2`).
enum TLSSupport {
    static func makeServerContext(_ settings: ServerTLSConfiguration) throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(settings.certificateChainFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: settings.privateKeyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.applicationProtocols = ["h2"]
            if let clientCA = settings.clientCAFile {
                let roots = try NIOSSLCertificate.fromPEMFile(clientCA)
                configuration.trustRoots = .certificates(roots)
                configuration.certificateVerification = .noHostnameVerification
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RPCError(code: .tlsConfiguration, message: "cannot load the server certificate or key", cause: error)
        }
    }

    static func makeClientContext(_ settings: ClientTLSConfiguration) throws -> NIOSSLContext {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.applicationProtocols = ["h2"]
            switch settings.trustRoots {
            case .system:
                configuration.trustRoots = .default
            case .pemFile(let path):
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
            }
            if settings.insecureSkipVerify {
                configuration.certificateVerification = .none
            }
            if let chainFile = settings.certificateChainFile {
                guard let keyFile = settings.privateKeyFile else {
                    throw RPCError(code: .tlsConfiguration, message: "a client certificate needs a private key")
                }
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(chainFile).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            }
            return try NIOSSLContext(configuration: configuration)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .tlsConfiguration, message: "cannot load TLS certificates or keys", cause: error)
        }
    }

    /// Whether `host` is an IP literal (which must not be sent as SNI).
    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
