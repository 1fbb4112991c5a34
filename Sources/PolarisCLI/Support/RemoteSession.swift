import Foundation
import NIOCore
import NIOPosix
import Reflection
import RPC
import Schema

/// A connection to a server plus the schema to talk to it with: from
/// `--proto`/`--protoset` when given, else from the server's reflection.
struct RemoteSession {
    let connection: RPCConnection
    let pool: SchemaPool

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
            let pool = try await client.schema(containing: symbols)
            pool.codec = schema.codec
            return RemoteSession(connection: connection, pool: pool)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The names of the services a server offers, by reflection.
    static func listServices(address text: String, connection options: ConnectionOptions) async throws -> [String] {
        let connection = try await connect(address: text, options: options)
        defer { Task { await connection.close() } }
        return try await ReflectionClient(connection: connection, metadata: options.reflectionMetadata).listServices()
    }

    /// Connects to an address as typed (`http://` and `https://` choose the transport).
    private static func connect(address text: String, options: ConnectionOptions) async throws -> RPCConnection {
        let (address, tls) = try options.address(text)
        return try await RPCConnection.connect(
            to: address, configuration: options.clientConfiguration(tls: tls),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
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
