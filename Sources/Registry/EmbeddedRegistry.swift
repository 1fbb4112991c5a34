public import NIOCore
import NIOPosix
public import RPC
import Synchronization

/// A running embedded registry: a durable ``NamingRegistry`` on its own ``RPCServer``
/// with the health judge ticking. `polarisctl serve --registry` runs one.
///
/// ```swift
/// let running = try await EmbeddedRegistry.start(listen: try RPCAddress(parsing: "127.0.0.1:8091"),
///                                                dataDirectory: RegistryStore.defaultDirectory, token: nil)
/// print(running.localAddress)
/// await running.stop()
/// ```
public final class EmbeddedRegistry: Sendable {
    /// The registry semantics (for tests and for sharing a server).
    public let registry: NamingRegistry
    /// Where it listens (with the real port when 0 was asked for).
    public let localAddress: RPCAddress
    private let server: RPCServer
    private let judge: HealthJudge

    private init(registry: NamingRegistry, server: RPCServer, judge: HealthJudge) {
        self.registry = registry
        self.server = server
        self.localAddress = server.localAddress
        self.judge = judge
    }

    /// Opens the store, starts the judge and listens.
    ///
    /// - Parameters:
    ///   - listen: Where to listen.
    ///   - dataDirectory: The store's directory (created when missing).
    ///   - token: When set, writes need this token.
    ///   - eventLoopGroup: The loops serving connections.
    /// - Returns: The running registry.
    /// - Throws: ``RegistryError`` (store) or ``RPCError`` (``RPCError/Code/bindFailed``).
    public static func start(
        listen: RPCAddress, dataDirectory: String, token: String?,
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) async throws -> EmbeddedRegistry {
        let eventLoopGroup = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        let registry = try NamingRegistry(store: try RegistryStore(directory: dataDirectory), token: token)
        var router = RPCRouter()
        RegistryService(registry: registry).install(into: &router)
        let server = try await RPCServer.bind(to: listen, router: router, eventLoopGroup: eventLoopGroup)
        let judge = HealthJudge(registry: registry, eventLoop: eventLoopGroup.next())
        return EmbeddedRegistry(registry: registry, server: server, judge: judge)
    }

    /// Stops judging and closes the server (in-flight calls get a short grace).
    public func stop() async {
        judge.cancel()
        await server.shutdown(grace: .seconds(1))
    }
}

/// Runs ``NamingRegistry/judgeHealth()`` on a fixed tick.
public final class HealthJudge: Sendable {
    private let task: RepeatedTask

    /// Starts judging `registry` every `interval` on `eventLoop`.
    public init(registry: NamingRegistry, eventLoop: any EventLoop, interval: TimeAmount = .milliseconds(500)) {
        task = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            registry.judgeHealth()
        }
    }

    /// Stops judging.
    public func cancel() { task.cancel() }
}
