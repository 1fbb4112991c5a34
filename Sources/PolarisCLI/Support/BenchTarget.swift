import RPC

/// Where `bench` sends its load: the one place an address text becomes server addresses.
enum BenchTarget {
    /// Resolves an address as typed into the servers to load and whether to use TLS.
    ///
    /// `host:port`, `unix:/path`, and `http://` / `https://` forms give one server. A
    /// registry-backed `polaris://` address will resolve here to every healthy instance.
    ///
    /// - Throws: ``RPCError`` for an address that does not parse, ``CLIError`` for a
    ///   scheme not available yet.
    static func resolve(_ text: String, connection: ConnectionOptions) async throws -> (addresses: [RPCAddress], tls: Bool) {
        if text.hasPrefix("polaris://") {
            throw CLIError.usage("\(text): polaris:// addresses are not supported by bench yet; give host:port")
        }
        let (address, tls) = try connection.address(text)
        return ([address], tls)
    }
}
