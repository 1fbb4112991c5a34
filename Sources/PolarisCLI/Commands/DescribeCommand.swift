import ArgumentParser
import Schema

extension Polarisctl {
    /// `polarisctl describe`: a symbol as proto source.
    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "describe",
            abstract: "Show a service, method, message or enum as proto source.",
            discussion: """
                With no symbol, every service is described.

                Examples:
                  polarisctl describe --proto examples/protos/greeter.proto helloworld.Greeter
                  polarisctl describe --proto examples/protos/greeter.proto helloworld.HelloRequest
                  polarisctl describe --proto api.proto --protoset-out api.protoset acme.v1.Shop
                  polarisctl describe --plaintext 127.0.0.1:50051 helloworld.Greeter
                """).directlyParsed

        @OptionGroup(title: "Schema") var schema: SchemaOptions
        @OptionGroup(title: "Connection") var connection: ConnectionOptions

        @Argument(help: "[ADDR] SYMBOL...: a server to ask by reflection (host:port, unix:/path), then fully qualified names to describe (services, methods, messages, enums, fields).",
                  completion: .protoSymbols)
        var symbols: [String] = []

        @Option(name: .customLong("protoset-out"), help: "Also write the files defining the symbols, with their imports, as a protoset.",
                completion: .file())
        var protosetOut: String?

        func run() async throws {
            var wanted = symbols
            var address: String?
            if let first = wanted.first, looksLikeAddress(first) {
                address = first
                wanted.removeFirst()
            }
            let session = try await address.asyncMap {
                try await RemoteSession.open(
                    address: $0, connection: connection, schema: schema, symbols: wanted, useReflection: true)
            }
            let pool = try session?.pool ?? schema.load()
            let names = wanted.isEmpty ? pool.services.map(\.name).sorted() : wanted
            var rendered: [RenderedSymbol] = []
            for name in names { rendered.append(try pool.render(symbol: name)) }
            if let protosetOut {
                var files: [String] = []
                for name in names {
                    let file = try pool.fileName(containing: name)
                    if !files.contains(file) { files.append(file) }
                }
                try FileIO.writeAtomically(try pool.exportDescriptorSet(fileNames: files), to: protosetOut)
            }
            for (i, symbol) in rendered.enumerated() {
                if i > 0 { print() }
                let article = symbol.kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
                print("\(symbol.name) is \(article) \(symbol.kind):")
                print(symbol.source, terminator: symbol.source.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
