import ArgumentParser
import NIOCore
import Registry
import RPC

/// Which registry to talk to, with what token, in which namespace (`register`, `discover`).
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("registry"), help: ArgumentHelp("Polaris naming server (host:port); default: 127.0.0.1:8091.", valueName: "addr"))
    var registry = "127.0.0.1:8091"

    @Option(name: .customLong("token"), help: "Token for a registry with auth on, sent as x-polaris-token and service token; default: none.")
    var token: String?

    @Option(name: .customLong("namespace"), help: "Polaris namespace; default: default.")
    var namespace = "default"

    func validate() throws {
        _ = try Self.address(registry, flag: "--registry")
        if !InstanceRules.isValidName(namespace) {
            throw ValidationError("--namespace '\(namespace)' is not a valid namespace (letters, digits and -./:_, at most 128)")
        }
    }

    /// A `host:port` registry address (no scheme).
    static func address(_ text: String, flag: String) throws -> RPCAddress {
        var rest = text
        if rest.hasPrefix("http://") { rest.removeFirst("http://".count) }
        guard let address = try? RPCAddress(parsing: rest), case .tcp = address else {
            throw ValidationError("\(flag) '\(text)' must be host:port")
        }
        return address
    }

    func client() throws -> RegistryClient {
        RegistryClient(address: try Self.address(registry, flag: "--registry"), token: token)
    }
}

