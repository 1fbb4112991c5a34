import ArgumentParser
import Foundation
import NIOCore
import RPC
import Schema

/// `call` and `stream`: two names, one set of arguments.
protocol CallCommand: AsyncParsableCommand {
    var arguments: CallArguments { get set }
}

extension Polarisctl {
    /// `polarisctl call`: one RPC with JSON in and out.
    struct Call: CallCommand {
        static let configuration = CommandConfiguration(
            commandName: "call",
            abstract: "Call a gRPC method with JSON in and out.",
            discussion: """
                The schema comes from --proto/--protoset, else from the server's reflection. \
                Exit status: 0 for OK, 64+N for gRPC status N, other codes for failures before \
                the RPC (see 'polarisctl exit-codes'). Streaming methods send every input \
                message, then half-close, and print each response on its own line.

                Examples:
                  polarisctl call --plaintext 127.0.0.1:50051 helloworld.Greeter/SayHello -d '{"name":"x"}'
                  polarisctl call localhost:8443 --cacert ca.pem acme.v1.Shop.GetOrder -d @order.json -v
                  echo '{"name":"x"}' | polarisctl call http://127.0.0.1:50051 helloworld.Greeter/SayHello -d @-
                  polarisctl call --plaintext 127.0.0.1:50051 routeguide.RouteGuide/ListFeatures -d '{"lo":{},"hi":{}}'
                """).directlyParsed

        @OptionGroup var arguments: CallArguments

        func run() async throws {
            try await arguments.run()
        }
    }

    /// `polarisctl stream`: the same as `call`, documented for streaming.
    struct Stream: CallCommand {
        static let configuration = CommandConfiguration(
            commandName: "stream",
            abstract: "Client, server and bidirectional streaming with NDJSON in and out.",
            discussion: """
                Input is a sequence of JSON values (NDJSON, concatenated or pretty-printed objects) \
                from -d, -d @file or -d @- (stdin: each message is sent as soon as it is complete). \
                Each response is printed as it arrives: one line each when piped, pretty on a terminal. \
                Ctrl-C cancels the call (RST_STREAM CANCEL) and exits with the status's code.

                Examples:
                  polarisctl stream --plaintext 127.0.0.1:50051 routeguide.RouteGuide/RouteChat -d @-
                  polarisctl stream --plaintext 127.0.0.1:50051 routeguide.RouteGuide/RecordRoute -d @points.ndjson --send-interval 100ms
                  polarisctl stream --plaintext 127.0.0.1:50051 routeguide.RouteGuide/ListFeatures -d '{"hi":{"latitude":100}}' --max-messages 5 --timestamps
                  polarisctl stream --plaintext 127.0.0.1:50051 chat.Room/Join -d '{"room":"a"}' --half-close never
                """).directlyParsed

        @OptionGroup var arguments: CallArguments

        func run() async throws {
            try await arguments.run()
        }
    }
}

/// The arguments of `call` and `stream`, and what they do.
struct CallArguments: ParsableArguments {
    @Argument(help: "The server: host:port, [v6]:port, unix:/path or polaris://[namespace/]service; http:// or https:// may precede a host:port.",
              completion: .serverAddresses)
    var address: String

    @Argument(help: "The method: pkg.Service/Method, pkg.Service.Method or /pkg.Service/Method.", completion: .rpcMethods)
    var method: String

    @Option(name: [.customShort("d"), .customLong("data")],
            help: "Request JSON: text, @file, or @- for stdin; several values for client and bidi streams; default: {}.")
    var data: String?

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Schema") var schema: SchemaOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Streaming") var stream: StreamOptions

    @Option(name: .customLong("use-reflection"), help: "Fetch the schema by server reflection when no --proto/--protoset is given; default: true.")
    var useReflection: Bool = true

    @Flag(name: .customLong("allow-unknown-fields"), help: "Skip request JSON fields the type does not have; default: reject them.")
    var allowUnknownFields = false

    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Print where the schema came from, response headers and trailers to stderr; default: off.")
    var verbose = false

    @Flag(name: .customLong("format-error"), help: "Print a non-OK status as JSON on stdout; default: one line on stderr.")
    var formatError = false

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write responses to this file instead of stdout.",
            completion: .file())
    var outputFile: String?

    func validate() throws {
        if output.format == .text && stream.envelope {
            throw ValidationError("--envelope prints one JSON document; it cannot be combined with --format text")
        }
    }

    func run() async throws {
        let session = try await RemoteSession.open(
            address: address, connection: connection, schema: schema, symbols: [method],
            useReflection: useReflection)
        let info = try session.pool.method(named: method)
        if verbose {
            switch session.schemaSource {
            case .local: Terminal.standardError("schema: from --proto/--protoset")
            case .reflection: Terminal.standardError("schema: by server reflection")
            case .cache: Terminal.standardError("schema: from the reflection cache (\(DescriptorCache.directory))")
            }
        }
        let runner = CallRunner(
            session: session, method: info, input: InputSource(argument: data ?? "{}"), connection: connection,
            output: output, stream: stream, allowUnknownFields: allowUnknownFields, verbose: verbose,
            formatError: formatError, outputFile: outputFile)
        do {
            try await runner.run()
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }
}

/// A call that ended with a non-OK status: reported by ``ErrorReport`` and
/// mapped to exit code 64 + status.
struct RPCStatusFailure: Error {
    var status: GRPCStatus
}

/// Writes responses to stdout or a file, one document per message (text-format
/// messages separated by a blank line).
struct ResponsePrinter {
    private let path: String?
    private let separated: Bool
    private let color: Bool
    private var collected: [UInt8] = []
    private var written = 0

    /// - Parameter colorJSON: colour JSON documents written to a terminal (the
    ///   caller knows whether the text is JSON).
    init(file: String?, blankLineBetween: Bool = false, colorJSON: Bool = false) throws {
        path = file
        separated = blankLineBetween
        color = colorJSON && file == nil && Terminal.stdoutColor
    }

    mutating func write(_ json: String) throws {
        written += 1
        let json = separated && written > 1 ? "\n" + json : json
        if path == nil {
            print(color ? JSONColor.colorize(json) : json)
            fflush(nil)  // one message at a time, as it arrives
        } else {
            collected.append(contentsOf: Array((json + "\n").utf8))
        }
    }

    func finish() throws {
        if let path { try FileIO.writeAtomically(collected, to: path) }
    }
}

/// Metadata printed for `-v`.
enum MetadataText {
    static func block(_ title: String, _ metadata: Metadata) -> String {
        var lines = ["\(title):"]
        if metadata.isEmpty { lines.append("  (none)") }
        for element in metadata { lines.append("  \(element.key): \(text(element.value))") }
        return lines.joined(separator: "\n")
    }

    /// A value as printed: text as is, binary (`-bin` keys) as base64.
    static func text(_ value: MetadataValue) -> String {
        switch value {
        case .string(let text): return text
        case .binary(let bytes): return BinaryText.base64(bytes)
        }
    }
}

extension CallArguments: QuickReadable {
    /// The same arguments read by ``QuickReader`` (names and defaults as above; positionals last).
    init(quick reader: inout QuickReader) throws {
        self = try reader.filled { read, reader in
            read.data = try reader.option("data", short: "d")
            read.connection = try ConnectionOptions(quick: &reader)
            read.schema = try SchemaOptions(quick: &reader)
            read.output = try OutputOptions(quick: &reader)
            read.stream = try StreamOptions(quick: &reader)
            read.useReflection = try reader.option("use-reflection", default: true)
            read.allowUnknownFields = try reader.flag("allow-unknown-fields")
            read.verbose = try reader.flag("verbose", short: "v")
            read.formatError = try reader.flag("format-error")
            read.outputFile = try reader.option("output", short: "o")
            read.address = try reader.positional()
            read.method = try reader.positional()
        }
    }
}
