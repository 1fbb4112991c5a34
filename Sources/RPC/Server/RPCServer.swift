public import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A gRPC server: listens on TCP or a Unix socket (optionally with TLS), dispatches calls by
/// `:path` through an ``RPCRouter``.
///
/// ```swift
/// let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
/// let server = try await RPCServer.bind(to: try RPCAddress(parsing: "127.0.0.1:0"), router: router, eventLoopGroup: group)
/// print(server.localAddress)
/// await server.shutdown(grace: .seconds(5))
/// ```
public final class RPCServer: Sendable {
    fileprivate struct Tracked: Sendable {
        var connection: NIOLoopBound<H2Connection>
        var channel: any Channel
    }

    private final class ConnectionTable: Sendable {
        let table = Mutex<[ObjectIdentifier: Tracked]>([:])

        func withLock<R: Sendable>(_ body: (inout [ObjectIdentifier: Tracked]) -> R) -> R {
            table.withLock { body(&$0) }
        }
    }

    private let listener: any Channel
    private let connections: ConnectionTable

    /// The address actually bound (with the real port when port 0 was requested).
    public let localAddress: RPCAddress

    private init(listener: any Channel, connections: ConnectionTable, localAddress: RPCAddress) {
        self.listener = listener
        self.connections = connections
        self.localAddress = localAddress
    }

    /// The bound TCP port, or nil for a Unix socket.
    public var port: Int? {
        if case .tcp(_, let port) = localAddress { return port }
        return nil
    }

    /// Starts listening.
    ///
    /// - Parameters:
    ///   - address: Where to listen (`127.0.0.1:0` picks a free port).
    ///   - router: The handlers.
    ///   - configuration: Limits, TLS, compression.
    ///   - eventLoopGroup: The loops serving connections (one connection stays on one loop).
    /// - Returns: The running server.
    /// - Throws: ``RPCError`` with ``RPCError/Code/tlsConfiguration`` (unreadable certificate
    ///   or key) or ``RPCError/Code/bindFailed``.
    public static func bind(
        to address: RPCAddress,
        router: RPCRouter,
        configuration: ServerConfiguration = ServerConfiguration(),
        eventLoopGroup: any EventLoopGroup
    ) async throws -> RPCServer {
        let sslContext = try configuration.tls.map { try TLSSupport.makeServerContext($0) }
        let connections = ConnectionTable()
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = H2Connection(role: .server(configuration, router), eventLoop: channel.eventLoop)
                    let key = ObjectIdentifier(channel)
                    connection.onClose = {
                        _ = connections.withLock { $0.removeValue(forKey: key) }
                    }
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.addHandler(connection)
                    let bound = NIOLoopBound(connection, eventLoop: channel.eventLoop)
                    connections.withLock { $0[key] = Tracked(connection: bound, channel: channel) }
                }
            }
        let listener: any Channel
        do {
            switch address {
            case .tcp(let host, let port):
                listener = try await bootstrap.bind(host: host, port: port).get()
            case .unix(let path):
                listener = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            }
        } catch {
            throw RPCError(code: .bindFailed, message: "cannot listen on \(address)", cause: error)
        }
        let local: RPCAddress
        switch address {
        case .tcp(let host, let port):
            local = .tcp(host: host, port: listener.localAddress?.port ?? port)
        case .unix:
            local = address
        }
        return RPCServer(listener: listener, connections: connections, localAddress: local)
    }

    /// The number of open client connections.
    public var connectionCount: Int { connections.withLock { $0.count } }

    /// Stops accepting connections, sends GOAWAY on every connection, lets in-flight calls
    /// finish for up to `grace`, then closes what remains.
    ///
    /// - Parameter grace: The longest time in-flight calls get.
    public func shutdown(grace: TimeAmount = .seconds(10)) async {
        try? await listener.close()
        let tracked = connections.withLock { Array($0.values) }
        for entry in tracked {
            let connection = entry.connection
            connection.eventLoop.execute {
                connection.value.beginGracefulShutdown(grace: grace)
            }
        }
        for entry in tracked {
            try? await entry.channel.closeFuture.get()
        }
    }

    /// Closes the listener and every connection immediately.
    public func closeNow() async {
        try? await listener.close()
        let tracked = connections.withLock { Array($0.values) }
        for entry in tracked {
            try? await entry.channel.close()
        }
    }
}
