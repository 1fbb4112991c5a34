/// Where a connection goes or a server listens: `host:port`, `[v6]:port` or `unix:/path`.
public enum RPCAddress: Sendable, Hashable, CustomStringConvertible {
    /// A TCP host (name, IPv4 or IPv6 literal without brackets) and port.
    case tcp(host: String, port: Int)
    /// A Unix domain socket path.
    case unix(path: String)

    /// Parses `host:port`, `[v6]:port`, `unix:/path` (also `unix:///path`).
    ///
    /// - Parameter string: The address text.
    /// - Throws: ``RPCError`` with code ``RPCError/Code/invalidAddress``.
    public init(parsing string: String) throws {
        if string.hasPrefix("unix:") {
            var path = String(string.dropFirst("unix:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw RPCError(code: .invalidAddress, message: "'\(string)' has an empty socket path")
            }
            self = .unix(path: path)
            return
        }
        let host: Substring
        let portText: Substring
        if string.hasPrefix("[") {
            guard let close = string.firstIndex(of: "]") else {
                throw RPCError(code: .invalidAddress, message: "'\(string)' has an unclosed '['")
            }
            host = string[string.index(after: string.startIndex)..<close]
            let rest = string[string.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw RPCError(code: .invalidAddress, message: "'\(string)' needs a port: [host]:port")
            }
            portText = rest.dropFirst()
        } else {
            guard let colon = string.lastIndex(of: ":") else {
                throw RPCError(code: .invalidAddress, message: "'\(string)' needs a port: host:port")
            }
            host = string[..<colon]
            portText = string[string.index(after: colon)...]
            if host.contains(":") {
                throw RPCError(code: .invalidAddress, message: "'\(string)': write IPv6 addresses as [addr]:port")
            }
        }
        guard !host.isEmpty else {
            throw RPCError(code: .invalidAddress, message: "'\(string)' has an empty host")
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw RPCError(code: .invalidAddress, message: "'\(string)' has an invalid port '\(portText)'")
        }
        self = .tcp(host: String(host), port: port)
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port):
            host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            "unix:\(path)"
        }
    }

    /// The `:authority` a client sends by default.
    var defaultAuthority: String {
        switch self {
        case .tcp: description
        case .unix: "localhost"
        }
    }
}
