public import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Fetches the certificate chain a TLS server presents, without trusting it,
/// so that a failed verification can be explained (expired, unknown issuer,
/// another host name) by whoever knows how to read certificates.
public enum TLSProbe {
    /// The chain the server at `address` sends (leaf first), as DER; empty when
    /// it sent none. The handshake may fail afterwards (a server that wants a
    /// client certificate): the chain is still returned.
    ///
    /// - Parameters:
    ///   - address: A TCP address.
    ///   - serverName: The SNI name to send; nil for none (IP literals are never sent).
    ///   - timeout: Bound on connecting and handshaking.
    /// - Throws: ``RPCError`` when no TLS server answers there.
    public static func peerChain(
        at address: RPCAddress, serverName: String?, timeout: TimeAmount = .seconds(5),
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) async throws -> [[UInt8]] {
        let eventLoopGroup = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        guard case .tcp(let host, let port) = address else {
            throw RPCError(code: .invalidAddress, message: "a TLS probe needs host:port")
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        configuration.applicationProtocols = ["h2"]
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw RPCError(code: .tlsConfiguration, message: "cannot set up TLS", cause: error)
        }
        let captured = Mutex<[[UInt8]]>([])
        let name = serverName.flatMap { TLSSupport.isIPAddress($0) ? nil : $0 }
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: name) { certificates, promise in
                        let der = certificates.compactMap { try? $0.toDERBytes() }
                        captured.withLock { $0 = der }
                        promise.succeed(.certificateVerified)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw RPCError(code: .connectionRefused, message: "cannot reach \(host):\(port)", cause: error)
        }
        // Wait for the certificate (or the end of the handshake), bounded.
        let deadline = NIODeadline.now() + timeout
        while captured.withLock({ $0.isEmpty }), channel.isActive, NIODeadline.now() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await channel.close()
        return captured.withLock { $0 }
    }
}
