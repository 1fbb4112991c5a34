/// Every exit code polarisctl uses, in one place. The README's table is this.
public struct ExitStatus: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Everything worked (for an RPC: status OK).
    public static let success = ExitStatus(rawValue: 0)
    /// A failure with no more specific code.
    public static let failure = ExitStatus(rawValue: 1)
    /// Bad command line: unknown flag, missing argument, contradictory flags.
    public static let usage = ExitStatus(rawValue: 2)
    /// The schema could not be loaded or lacks the named symbol: .proto syntax
    /// error, missing import, corrupt protoset, unknown service/method/type.
    public static let schema = ExitStatus(rawValue: 3)
    /// Bad input data: malformed JSON, JSON that does not fit the message type,
    /// invalid binary, an unreadable input file.
    public static let input = ExitStatus(rawValue: 4)
    /// The server could not be reached: connection refused, host unreachable,
    /// connection closed before the RPC started, a peer that does not speak HTTP/2.
    public static let connect = ExitStatus(rawValue: 5)
    /// The host name could not be resolved.
    public static let dns = ExitStatus(rawValue: 6)
    /// TLS failed: handshake error, untrusted or wrong-host certificate, TLS
    /// spoken to a plaintext server or the reverse.
    public static let tls = ExitStatus(rawValue: 7)
    /// A timeout expired before the RPC started (connecting, TLS, reflection).
    public static let timeout = ExitStatus(rawValue: 8)
    /// An output or state file could not be written, or exists and --force was
    /// not given.
    public static let file = ExitStatus(rawValue: 9)
    /// A benchmark's --slo check failed.
    public static let sloFailed = ExitStatus(rawValue: 10)
    /// The registry answered with an error (bad token, invalid instance, …).
    public static let registry = ExitStatus(rawValue: 11)
    /// Server could not listen: address in use, permission, bad TLS key/cert pair.
    public static let listen = ExitStatus(rawValue: 12)
    /// A benchmark in which every call failed, without --allow-errors.
    public static let benchErrors = ExitStatus(rawValue: 13)

    /// The RPC ended with gRPC status `code` (1...16): exit 64 + code, as grpcurl does.
    public static func grpcStatus(_ code: Int) -> ExitStatus {
        ExitStatus(rawValue: Int32(64 + code))
    }

    /// The table printed by `polarisctl exit-codes` and copied into the README.
    public static let table: [(ExitStatus, String)] = [
        (.success, "success (for an RPC: status OK)"),
        (.failure, "failure with no more specific code"),
        (.usage, "usage error: unknown flag, missing argument, contradictory flags"),
        (.schema, "schema error: .proto syntax, missing import, corrupt protoset, unknown symbol"),
        (.input, "input error: malformed JSON, JSON that does not fit the type, invalid binary, unreadable input"),
        (.connect, "connection refused, unreachable, closed before the RPC started, or not an HTTP/2 server"),
        (.dns, "host name could not be resolved"),
        (.tls, "TLS failure: handshake, certificate trust or host name, TLS/plaintext mismatch"),
        (.timeout, "timeout before the RPC started (connect, TLS, reflection)"),
        (.file, "output file could not be written, or exists without --force"),
        (.sloFailed, "bench --slo check failed"),
        (.registry, "registry rejected the request (token, invalid instance, ...)"),
        (.listen, "server could not listen: address in use, permission, bad TLS key/cert pair"),
        (.benchErrors, "bench: calls failed and --allow-errors was not given"),
    ]
}
