import ArgumentParser
import Foundation
import Registry
import SwiftProtobuf
import WireProtos

extension Polarisctl {
    /// `polarisctl register`: register an instance, keep it alive, deregister on exit.
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register",
            abstract: "Register a service instance in a Polaris registry and keep it alive.",
            discussion: """
                Prints the instance id, then heartbeats every TTL seconds (the first one TTL \
                after registering), registers again after 3 failed heartbeats, and deregisters \
                on Ctrl-C or SIGTERM before exiting 0. While the registry is unreachable it \
                retries with backoff and says so.

                Examples:
                  polarisctl register echo --host 127.0.0.1 --port 50051
                  polarisctl register echo --host 127.0.0.1 --port 50051 --weight 50 --metadata zone=a --ttl 2
                  polarisctl register echo --host 127.0.0.1 --port 50051 --once
                  polarisctl register echo --host 127.0.0.1 --port 50051 --deregister
                """).directlyParsed

        @OptionGroup(title: "Registry") var registry: RegistryOptions

        @Argument(help: "The service name (letters, digits and -./:_, at most 128).")
        var service: String

        @Option(name: .customLong("host"), help: "The instance's host or IP address.")
        var host: String

        @Option(name: .customLong("port"), help: "The instance's port (1-65535).")
        var port: Int

        @Option(name: .customLong("weight"), help: "Load-balancing weight (0-65535; 0 takes no traffic); default: 100.")
        var weight: Int?

        @Option(name: .customLong("priority"), help: "Priority (0-9); default: 0.")
        var priority: Int?

        @Option(name: .customLong("version"), help: "The instance's version; default: none.")
        var version: String?

        @Option(name: .customLong("protocol"), help: "The instance's protocol; default: grpc.")
        var protocolName = "grpc"

        @Option(name: .customLong("metadata"), help: ArgumentHelp("Metadata key=value (repeatable; at most 64, key 128 and value 4096 characters).", valueName: "k=v"))
        var metadata: [String] = []

        @Option(name: .customLong("ttl"), help: "Heartbeat TTL in seconds (1-60); unhealthy after 3 missed; default: 5.")
        var ttl = 5

        @Flag(name: .customLong("isolate"), help: "Register the instance isolated (it takes no traffic); default: off.")
        var isolate = false

        @Flag(name: .customLong("once"), help: "Register and exit, without heartbeats; default: off.")
        var once = false

        @Flag(name: .customLong("deregister"), help: "Remove the instance instead of registering it.")
        var deregister = false

        func validate() throws {
            if !InstanceRules.isValidName(service) {
                throw ValidationError("service name '\(service)' is not valid (letters, digits and -./:_, at most 128)")
            }
            try InstanceFlags.checkHost(host, flag: "--host")
            if !(1...65535).contains(port) { throw ValidationError("--port \(port) is out of range (1-65535)") }
            if let weight, !(0...65535).contains(weight) { throw ValidationError("--weight \(weight) is out of range (0-65535)") }
            if let priority, !(0...9).contains(priority) { throw ValidationError("--priority \(priority) is out of range (0-9)") }
            if !(1...60).contains(ttl) { throw ValidationError("--ttl \(ttl) is out of range (1-60 seconds)") }
            _ = try InstanceFlags.metadata(metadata, flag: "--metadata")
            if once && deregister { throw ValidationError("--once and --deregister cannot be combined") }
        }

        func run() async throws {
            let client = try registry.client()
            var instance = V1Instances.make(
                namespace: registry.namespace, service: service, host: host, port: UInt32(port),
                ttl: deregister || once ? nil : UInt32(ttl), token: registry.token)
            if deregister {
                let response = try await client.deregister(instance)
                guard PolarisCode.isGone(response.code.value) else {
                    throw RegistryError.rejected("the deregistration", code: response.code.value, info: response.info.value)
                }
                print(InstanceRules.instanceID(namespace: registry.namespace, service: service, host: host, port: UInt32(port)))
                Terminal.standardError("polarisctl: deregistered")
                return
            }
            if let weight { instance.weight = .with { $0.value = UInt32(weight) } }
            if let priority { instance.priority = .with { $0.value = UInt32(priority) } }
            if let version { instance.version = .with { $0.value = version } }
            instance.protocol = .with { $0.value = protocolName }
            instance.metadata = try InstanceFlags.metadata(metadata, flag: "--metadata")
            if isolate { instance.isolate = .with { $0.value = true } }

            if once {
                let response = try await client.register(instance)
                guard PolarisCode.isRegistered(response.code.value) else {
                    throw RegistryError.rejected("the registration", code: response.code.value, info: response.info.value)
                }
                print(response.instance.id.value)
                return
            }
            let keeper = InstanceKeeper(client: client, instance: instance, ttl: Double(ttl))
            let task = Task {
                try await keeper.run { event in
                    if case .registered(let id) = event {
                        print(id)
                        fflush(nil)
                    }
                    KeeperMessages.report(event)
                }
            }
            let signals = SignalCancellation { task.cancel() }
            defer { signals.restore() }
            try await task.value
        }
    }
}
