import ArgumentParser
import Foundation
import NIOCore
import RPC

/// How to reach a server: transport security, names, timeouts, limits, headers.
struct ConnectionOptions: ParsableArguments {
    @Flag(name: .customLong("plaintext"), help: "Use plaintext HTTP/2 (h2c) instead of TLS; default: TLS (an http:// address also means plaintext).")
    var plaintext = false

    @Flag(name: .customLong("insecure"), help: "Accept any server certificate (TLS without verification); default: verify.")
    var insecure = false

    @Option(name: .customLong("cacert"), help: ArgumentHelp("PEM file of CA certificates to trust; default: the system's.", valueName: "file"),
            completion: .file())
    var caCert: String?

    @Option(name: .customLong("cert"), help: ArgumentHelp("Client certificate (PEM) for mutual TLS.", valueName: "file"),
            completion: .file())
    var cert: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("Client private key (PEM) for mutual TLS.", valueName: "file"),
            completion: .file())
    var key: String?

    @Option(name: .customLong("servername"), help: "Name to verify the server certificate against (and send as SNI); default: the host.")
    var serverName: String?

    @Option(name: .customLong("authority"), help: "Value of the :authority header; default: the address.")
    var authority: String?

    @Option(name: [.customShort("H"), .customLong("header")],
            help: ArgumentHelp("Metadata 'name: value' for the RPC and for reflection (repeatable); -bin names take base64.", valueName: "header"))
    var headers: [String] = []

    @Option(name: .customLong("rpc-header"), help: ArgumentHelp("Metadata for the RPC only (repeatable).", valueName: "header"))
    var rpcHeaders: [String] = []

    @Flag(name: .customLong("no-cache"), help: "Fetch the schema by reflection even when the reflection cache holds it; default: use the cache while the server lists the same services.")
    var noCache = false

    @Option(name: .customLong("reflect-header"), help: ArgumentHelp("Metadata for reflection calls only (repeatable).", valueName: "header"))
    var reflectHeaders: [String] = []

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to wait for the connection (TCP, TLS, HTTP/2); default: 10.", valueName: "seconds"))
    var connectTimeout: Double = 10

    @Option(name: .customLong("max-time"), help: ArgumentHelp("Deadline of the whole call in seconds, sent as grpc-timeout; default: none.", valueName: "seconds"))
    var maxTime: Double?

    @Option(name: .customLong("keepalive-time"), help: ArgumentHelp("Seconds between keepalive PINGs; default: none.", valueName: "seconds"))
    var keepaliveTime: Double?

    @Option(name: .customLong("max-msg-sz"), help: ArgumentHelp("Largest message to receive or send, in bytes; default: 4194304.", valueName: "bytes"))
    var maxMessageSize: Int = 4 * 1024 * 1024

    @Flag(name: .customLong("gzip"), help: "Compress requests with gzip; default: off.")
    var gzip = false

    @Option(name: .customLong("registry"), help: ArgumentHelp("Polaris registry that resolves polaris://[namespace/]service addresses; default: 127.0.0.1:8091.", valueName: "addr"))
    var registry = "127.0.0.1:8091"

    @Option(name: .customLong("registry-token"), help: "Token for the registry (x-polaris-token); default: none.")
    var registryToken: String?

    @Option(name: .customLong("lb"), help: "How a polaris:// address picks an instance: weighted-random, round-robin or ring-hash; default: weighted-random.")
    var loadBalancing: BalancerChoice = .weightedRandom

    @Option(name: .customLong("hash-key"), help: "The key ring-hash places on the ring (same key, same instance); default: none.")
    var hashKey: String?

    func validate() throws {
        if plaintext && (insecure || caCert != nil || cert != nil || key != nil) {
            throw ValidationError("--plaintext cannot be combined with --insecure, --cacert, --cert or --key")
        }
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key go together") }
        if connectTimeout <= 0 { throw ValidationError("--connect-timeout must be positive") }
        if let maxTime, maxTime <= 0 { throw ValidationError("--max-time must be positive") }
        if maxMessageSize <= 0 { throw ValidationError("--max-msg-sz must be positive") }
        for header in headers + rpcHeaders + reflectHeaders { _ = try Self.parseHeader(header) }
        if loadBalancing == .ringHash && hashKey == nil { throw ValidationError("--lb ring-hash needs --hash-key") }
        if hashKey != nil && loadBalancing != .ringHash { throw ValidationError("--hash-key goes with --lb ring-hash") }
    }

    /// Splits `http://` / `https://` off an address and parses it.
    func address(_ text: String) throws -> (RPCAddress, tls: Bool) {
        var rest = text
        var tls = !plaintext
        if rest.hasPrefix("http://") {
            rest.removeFirst("http://".count)
            tls = false
        } else if rest.hasPrefix("https://") {
            rest.removeFirst("https://".count)
            tls = true
        }
        if rest.hasSuffix("/") { rest.removeLast() }
        return (try RPCAddress(parsing: rest), tls)
    }

    func clientConfiguration(tls: Bool) -> ClientConfiguration {
        var configuration = ClientConfiguration(
            authority: authority,
            connectTimeout: .nanoseconds(Int64(connectTimeout * 1e9)),
            maxReceiveMessageSize: maxMessageSize,
            maxSendMessageSize: maxMessageSize,
            compressRequests: gzip,
            userAgent: "polarisctl/\(Polarisctl.version)")
        if tls {
            configuration.tls = ClientTLSConfiguration(
                trustRoots: caCert.map { .pemFile($0) } ?? .system,
                insecureSkipVerify: insecure,
                serverName: serverName,
                certificateChainFile: cert,
                privateKeyFile: key)
        }
        if let keepaliveTime {
            configuration.keepalive = .init(interval: .nanoseconds(Int64(keepaliveTime * 1e9)))
        }
        return configuration
    }

    var callOptions: CallOptions {
        CallOptions(timeout: maxTime.map { .nanoseconds(Int64($0 * 1e9)) })
    }

    var rpcMetadata: Metadata { Self.metadata(headers + rpcHeaders) }
    var reflectionMetadata: Metadata { Self.metadata(headers + reflectHeaders) }

    static func metadata(_ lines: [String]) -> Metadata {
        var metadata = Metadata()
        for line in lines {
            guard let (name, value) = try? parseHeader(line) else { continue }
            if name.hasSuffix("-bin"), let bytes = BinaryText.fromBase64(Array(value.utf8)) {
                metadata.addBinary(bytes, forKey: name)
            } else {
                metadata.addString(value, forKey: name)
            }
        }
        return metadata
    }

    /// `name: value` -> (lower-cased name, value), with the name checked.
    static func parseHeader(_ line: String) throws -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else {
            throw ValidationError("header '\(line)' must look like 'name: value'")
        }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard Metadata.isValidCustomKey(name) else {
            throw ValidationError("header name '\(name)' is not valid metadata (lower-case letters, digits, '-', '_', '.'; not reserved)")
        }
        if name.hasSuffix("-bin") && BinaryText.fromBase64(Array(value.utf8)) == nil {
            throw ValidationError("header '\(name)' ends in -bin, so its value must be base64")
        }
        return (name, value)
    }
}

/// The `--lb` choices (the strategies of ``LoadBalancing``).
enum BalancerChoice: String, ExpressibleByArgument, CaseIterable {
    case weightedRandom = "weighted-random"
    case roundRobin = "round-robin"
    case ringHash = "ring-hash"
}

extension ConnectionOptions: QuickReadable {
    /// The same options read by ``QuickReader`` (names and defaults as above).
    init(quick reader: inout QuickReader) throws {
        self = try reader.filled { read, reader in
            read.plaintext = try reader.flag("plaintext")
            read.insecure = try reader.flag("insecure")
            read.caCert = try reader.option("cacert")
            read.cert = try reader.option("cert")
            read.key = try reader.option("key")
            read.serverName = try reader.option("servername")
            read.authority = try reader.option("authority")
            read.headers = try reader.options("header", short: "H")
            read.rpcHeaders = try reader.options("rpc-header")
            read.noCache = try reader.flag("no-cache")
            read.reflectHeaders = try reader.options("reflect-header")
            read.connectTimeout = try reader.option("connect-timeout", default: 10)
            read.maxTime = try reader.option("max-time")
            read.keepaliveTime = try reader.option("keepalive-time")
            read.maxMessageSize = try reader.option("max-msg-sz", default: 4 * 1024 * 1024)
            read.gzip = try reader.flag("gzip")
            read.registry = try reader.option("registry", default: "127.0.0.1:8091")
            read.registryToken = try reader.option("registry-token")
            read.loadBalancing = try reader.option("lb", default: .weightedRandom)
            read.hashKey = try reader.option("hash-key")
        }
    }
}
