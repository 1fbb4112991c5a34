import ArgumentParser
import Foundation
import RPC

extension Polarisctl {
    /// `polarisctl serve` (registry part): the embedded Polaris naming registry.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Run a server: the embedded Polaris naming registry.",
            discussion: """
                Examples:
                  polarisctl serve --registry
                  polarisctl serve --registry --listen 127.0.0.1:0 --data-dir ./registry --token s3cret
                  polarisctl serve --registry --register registry --register-ttl 5
                """)

        @OptionGroup(title: "Registry") var registry: RegistryServeOptions

        @Option(name: .customLong("listen"), help: ArgumentHelp("Address to listen on (host:port; port 0 picks one); default: 127.0.0.1:8091.", valueName: "addr"))
        var listen = "127.0.0.1:8091"

        func validate() throws {
            if !registry.registry { throw ValidationError("serve needs --registry") }
            _ = try RegistryOptions.address(listen, flag: "--listen")
        }

        func run() async throws {
            let address = try RegistryOptions.address(listen, flag: "--listen")
            let running = try await RegistryServeSupport.start(registry, listen: address, servedAt: nil)
            print("registry listening on \(running.registryAddress.map { "\($0)" } ?? listen)")
            fflush(nil)
            let stop = AsyncStream<Void> { continuation in
                let signals = SignalCancellation { continuation.finish() }
                continuation.onTermination = { _ in signals.restore() }
            }
            for await _ in stop {}
            await running.stop()
        }
    }
}
