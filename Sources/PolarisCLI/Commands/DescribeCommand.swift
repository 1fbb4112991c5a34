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
                """)

        @OptionGroup(title: "Schema") var schema: SchemaOptions

        @Argument(help: "Fully qualified names to describe (services, methods, messages, enums, fields).")
        var symbols: [String] = []

        @Option(name: .customLong("protoset-out"), help: "Also write the files defining the symbols, with their imports, as a protoset.",
                completion: .file())
        var protosetOut: String?

        func run() async throws {
            let pool = try schema.load()
            let names = symbols.isEmpty ? pool.services.map(\.name).sorted() : symbols
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
