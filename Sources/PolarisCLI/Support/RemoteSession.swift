import Foundation
import NIOCore
import NIOPosix
import Reflection
import Registry
import SwiftProtobuf
import WireProtos
import RPC
import Schema

/// A connection to a server plus the schema to talk to it with: from
/// `--proto`/`--protoset` when given, else from the server's reflection.
struct RemoteSession {
    /// Where the schema came from.
    enum SchemaSource {
        case local, reflection, cache
    }

    let connection: RPCConnection
    let pool: SchemaPool
    var schemaSource: SchemaSource = .local

    /// The event loop of the command's connections: one thread (a connection
    /// lives on one loop), started only when a command connects; NIO's shared
    /// group would start one per core.
    static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Connects to `address` and loads the schema that defines `symbols`.
    ///
    /// - Throws: ``RPCError`` (connect), ``ReflectionError``, ``SchemaError``, ``CLIError``.
    static func open(
        address text: String, connection options: ConnectionOptions, schema: SchemaOptions,
        symbols: [String], useReflection: Bool
    ) async throws -> RemoteSession {
        // A local schema is loaded first: a bad .proto should fail before any network wait.
        let local = schema.isGiven ? try schema.load() : nil
        if local == nil && !useReflection {
            throw CLIError.usage("--use-reflection=false needs --proto or --protoset")
        }
        let connection = try await connect(address: text, options: options)
        if let local { return RemoteSession(connection: connection, pool: local) }
        do {
            let client = ReflectionClient(connection: connection, metadata: options.reflectionMetadata)
            let (pool, source) = options.noCache
                ? (try await client.schema(containing: symbols), SchemaSource.reflection)
                : try await cachedSchema(client: client, key: DescriptorCache.key(address: text, connection: options), symbols: symbols)
            pool.codec = schema.codec
            return RemoteSession(connection: connection, pool: pool, schemaSource: source)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The schema from the reflection cache when the server lists the same
    /// services as when it was stored; else fetched (for every service, so the
    /// entry serves later calls of other methods) and stored.
    private static func cachedSchema(client: ReflectionClient, key: String, symbols: [String]) async throws
        -> (SchemaPool, SchemaSource) {
        let services = try await client.listServices()
        if let cached = DescriptorCache.load(key: key, services: services), symbols.allSatisfy(cached.defines) {
            return (cached, .cache)
        }
        let everything = symbols + services.filter { !$0.hasPrefix("grpc.reflection.") }
        guard let pool = try? await client.schema(containing: everything) else {
            // Some service cannot be resolved: fetch what was asked for (its errors name the symbol).
            return (try await client.schema(containing: symbols), .reflection)
        }
        DescriptorCache.store(key: key, services: services, pool: pool)
        return (pool, .reflection)
    }

    /// The names of the services a server offers, by reflection.
    static func listServices(address text: String, connection options: ConnectionOptions) async throws -> [String] {
        let connection = try await connect(address: text, options: options)
        defer { Task { await connection.close() } }
        return try await ReflectionClient(connection: connection, metadata: options.reflectionMetadata).listServices()
    }

    /// Connects to an address as typed (`http://` and `https://` choose the transport);
    /// a `polaris://` address is resolved through the registry and load-balanced.
    private static func connect(address text: String, options: ConnectionOptions) async throws -> RPCConnection {
        if PolarisTarget.matches(text) { return try await connectThroughRegistry(text, options: options) }
        let (address, tls) = try options.address(text)
        do {
            return try await RPCConnection.connect(
                to: address, configuration: options.clientConfiguration(tls: tls),
                eventLoopGroup: Self.eventLoopGroup)
        } catch let error as RPCError where error.code == .tlsHandshakeFailed {
            throw await TLSDiagnosis.explain(error, address: address, options: options)
        }
    }

    /// Resolves `polaris://[namespace/]service`, orders the usable instances with `--lb`,
    /// and connects to the first that accepts; a connect failure moves on to the next.
    private static func connectThroughRegistry(_ text: String, options: ConnectionOptions) async throws -> RPCConnection {
        let (target, usable) = try await instances(of: text, options: options)
        let strategy = LoadBalancing(rawValue: options.loadBalancing.rawValue) ?? .weightedRandom
        var balancer = LoadBalancer(strategy: strategy, hashKey: options.hashKey ?? "")
        var lastError: RPCError?
        let ordered = balancer.order(usable)
        for instance in ordered {
            let address = RPCAddress.tcp(host: instance.host.value, port: Int(instance.port.value))
            do {
                return try await RPCConnection.connect(
                    to: address, configuration: options.clientConfiguration(tls: !options.plaintext),
                    eventLoopGroup: Self.eventLoopGroup)
            } catch let error as RPCError where Self.movesOn(error.code) {
                lastError = error
            }
        }
        throw RPCError(
            code: lastError?.code ?? .connectionRefused,
            message: "no instance of \(target) accepted a connection (tried \(ordered.count)); last: \(lastError?.message ?? "none")")
    }

    /// The instances of `polaris://[namespace/]service` that may take calls (healthy, not
    /// isolated, weight above 0; every non-isolated one when none is healthy), from `--registry`.
    static func instances(of text: String, options: ConnectionOptions) async throws -> (PolarisTarget, [V1_Instance]) {
        let target = try PolarisTarget(parsing: text)
        let client = RegistryClient(address: try RegistryOptions.address(options.registry, flag: "--registry"), token: options.registryToken)
        do {
            let usable = try await ServiceResolver(client: client).selectable(target)
            await client.close()
            return (target, usable)
        } catch {
            await client.close()
            throw error
        }
    }

    private static func movesOn(_ code: RPCError.Code) -> Bool {
        [.connectionRefused, .unreachable, .connectTimeout, .connectionClosed].contains(code)
    }

    func close() async {
        await connection.shutdown(grace: .seconds(1))
    }
}

/// Whether a positional argument names a server rather than a symbol.
func looksLikeAddress(_ text: String) -> Bool {
    text.contains(":") || text.hasPrefix("unix:")
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
