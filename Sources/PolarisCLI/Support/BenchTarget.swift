import Registry
import SwiftProtobuf
import WireProtos
import RPC

/// Where `bench` sends its load: the one place an address text becomes server addresses.
enum BenchTarget {
    /// Resolves an address as typed into the servers to load and whether to use TLS.
    ///
    /// `host:port`, `unix:/path`, and `http://` / `https://` forms give one server; a
    /// `polaris://[namespace/]service` address gives every instance the registry offers
    /// for calls (load is spread over them).
    ///
    /// - Throws: ``RPCError`` for an address that does not parse, ``RegistryError`` when
    ///   the registry cannot be asked, ``CLIError`` when it offers no instance.
    static func resolve(_ text: String, connection: ConnectionOptions) async throws -> (addresses: [RPCAddress], tls: Bool) {
        if PolarisTarget.matches(text) {
            let (target, usable) = try await RemoteSession.instances(of: text, options: connection)
            guard !usable.isEmpty else { throw CLIError(status: .registry, message: "\(target): the registry has no instance to call") }
            return (usable.map { RPCAddress.tcp(host: $0.host.value, port: Int($0.port.value)) }, !connection.plaintext)
        }
        let (address, tls) = try connection.address(text)
        return ([address], tls)
    }
}
