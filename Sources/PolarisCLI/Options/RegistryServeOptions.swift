import ArgumentParser
import Foundation
import NIOPosix
import Registry
import RPC
import SwiftProtobuf
import WireProtos

/// The registry flags of `serve`: run the embedded registry (`--registry`, `--data-dir`,
/// `--token`) and/or register the mock server itself (`--register SERVICE`, ...).
struct RegistryServeOptions: ParsableArguments {
    @Flag(name: .customLong("registry"), help: "Run the embedded Polaris naming registry (v1.PolarisGRPC) in this server; default: off.")
    var registry = false

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Directory of the registry's durable state; default: ~/.local/share/polarisctl/registry.", valueName: "dir"),
            completion: .directory)
    var dataDirectory: String?

    @Option(name: .customLong("token"), help: "Token the embedded registry requires on writes, and sent by --register; default: none (no auth).")
    var token: String?

    @Option(name: .customLong("register"), help: ArgumentHelp("Register this server in a registry under SERVICE, heartbeat, deregister on exit; default: off.", valueName: "service"))
    var registerService: String?

    @Option(name: .customLong("registry-address"), help: ArgumentHelp("Registry that --register uses; default: this server with --registry, else 127.0.0.1:8091.", valueName: "addr"))
    var registryAddress: String?

    @Option(name: .customLong("register-namespace"), help: "Namespace for --register; default: default.")
    var registerNamespace = "default"

    @Option(name: .customLong("register-host"), help: "Host to register; default: the listen host.")
    var registerHost: String?

    @Option(name: .customLong("register-weight"), help: "Weight to register (0-65535); default: 100.")
    var registerWeight: UInt32 = 100

    @Option(name: .customLong("register-metadata"), help: ArgumentHelp("Metadata k=v to register (repeatable).", valueName: "k=v"))
    var registerMetadata: [String] = []

    @Option(name: .customLong("register-ttl"), help: "Heartbeat TTL in seconds for --register (1-60); default: 5.")
    var registerTTL: UInt32 = 5

    func validate() throws {
        if let registerService, !InstanceRules.isValidName(registerService) {
            throw ValidationError("--register '\(registerService)' is not a valid service name (letters, digits and -./:_, at most 128)")
        }
        if !InstanceRules.isValidName(registerNamespace) {
            throw ValidationError("--register-namespace '\(registerNamespace)' is not a valid namespace")
        }
        if registerWeight > 65535 { throw ValidationError("--register-weight must be 0-65535") }
        if !(1...60).contains(registerTTL) { throw ValidationError("--register-ttl must be 1-60 seconds") }
        _ = try InstanceFlags.metadata(registerMetadata, flag: "--register-metadata")
        if let registryAddress { _ = try RegistryOptions.address(registryAddress, flag: "--registry-address") }
        if let registerHost { try InstanceFlags.checkHost(registerHost, flag: "--register-host") }
    }
}

/// Starts and stops what ``RegistryServeOptions`` asks for; `serve` calls it around its
/// own server, which carries the registry service beside any mock services.
final class RegistryServeSupport: Sendable {
    private let judge: HealthJudge?
    private let keeper: Task<Void, any Error>?

    private init(judge: HealthJudge?, keeper: Task<Void, any Error>?) {
        self.judge = judge
        self.keeper = keeper
    }

    /// With `--registry`: opens the durable store and installs `v1.PolarisGRPC` and
    /// `v1.PolarisHeartbeatGRPC` into `router`.
    ///
    /// - Throws: ``RegistryError`` (a data directory that cannot be used).
    static func openRegistry(_ options: RegistryServeOptions, into router: inout RPCRouter) throws -> NamingRegistry? {
        guard options.registry else { return nil }
        let store = try RegistryStore(directory: options.dataDirectory ?? RegistryStore.defaultDirectory)
        let registry = try NamingRegistry(store: store, token: options.token)
        RegistryService(registry: registry).install(into: &router)
        return registry
    }

    /// Once the server listens at `servedAt`: judges the embedded registry's
    /// TTL instances, and with `--register` registers the server (in the embedded
    /// registry unless `--registry-address` names another), heartbeating until ``stop()``.
    static func start(_ options: RegistryServeOptions, registry: NamingRegistry?, servedAt: RPCAddress) throws -> RegistryServeSupport {
        let judge = registry.map { HealthJudge(registry: $0, eventLoop: MultiThreadedEventLoopGroup.singleton.next()) }
        var keeper: Task<Void, any Error>?
        if let service = options.registerService, case .tcp(let host, let port) = servedAt {
            let registryAddress = try options.registryAddress.map { try RegistryOptions.address($0, flag: "--registry-address") }
                ?? (registry != nil ? servedAt : .tcp(host: "127.0.0.1", port: 8091))
            var instance = V1Instances.make(
                namespace: options.registerNamespace, service: service, host: options.registerHost ?? host, port: UInt32(port),
                ttl: options.registerTTL, token: options.token)
            instance.weight = .with { $0.value = options.registerWeight }
            instance.metadata = try InstanceFlags.metadata(options.registerMetadata, flag: "--register-metadata")
            let client = RegistryClient(address: registryAddress, token: options.token)
            let keeperValue = InstanceKeeper(client: client, instance: instance, ttl: Double(options.registerTTL))
            keeper = Task { try await keeperValue.run(onEvent: KeeperMessages.report) }
        }
        return RegistryServeSupport(judge: judge, keeper: keeper)
    }

    /// Deregisters (when registered) and stops judging.
    func stop() async {
        if let keeper {
            keeper.cancel()
            _ = try? await keeper.value
        }
        judge?.cancel()
    }
}
