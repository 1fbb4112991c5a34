import ArgumentParser
import Foundation
import Schema

extension Polarisctl {
    /// `polarisctl list`: services, or the methods of one service.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List services, or the methods of a service.",
            discussion: """
                Examples:
                  polarisctl list --proto examples/protos/greeter.proto
                  polarisctl list --proto examples/protos/route_guide.proto routeguide.RouteGuide --long
                  polarisctl list --protoset api.protoset --format json
                  polarisctl list --plaintext 127.0.0.1:50051
                  polarisctl list --plaintext 127.0.0.1:50051 helloworld.Greeter
                """).directlyParsed

        @OptionGroup(title: "Schema") var schema: SchemaOptions
        @OptionGroup(title: "Connection") var connection: ConnectionOptions

        @Argument(help: "[ADDR] [SERVICE]: a server to ask by reflection (host:port, unix:/path), then a service whose methods to list; default: list the services.",
                  completion: .protoServices)
        var targets: [String] = []

        @Flag(name: [.customShort("l"), .customLong("long")], help: "Show each method's kind and message types; default: off.")
        var long = false

        @Option(name: .customLong("format"), help: "Output format: text or json; default: text.")
        var format: ListFormat = .text

        @Option(name: .customLong("protoset-out"), help: "Also write the loaded schema as a protoset to this file.",
                completion: .file())
        var protosetOut: String?

        func validate() throws {
            let extra = targets.count - (targets.first.map(looksLikeAddress) == true ? 1 : 0)
            if extra > 1 { throw ValidationError("list takes at most an address and one service") }
        }

        func run() async throws {
            var remaining = targets
            var address: String?
            if let first = remaining.first, looksLikeAddress(first) {
                address = first
                remaining.removeFirst()
            }
            if let address, remaining.isEmpty, !schema.isGiven, !long, format == .text, protosetOut == nil {
                // Names only: one list_services request, no descriptors needed.
                for name in try await RemoteSession.listServices(address: address, connection: connection) { print(name) }
                return
            }
            let session = try await address.asyncMap {
                try await RemoteSession.open(
                    address: $0, connection: connection, schema: schema, symbols: remaining, useReflection: true)
            }
            let pool = try session?.pool ?? schema.load()
            let service = remaining.first
            if let protosetOut {
                let names = try service.map { [try pool.fileName(containing: $0)] }
                try FileIO.writeAtomically(try pool.exportDescriptorSet(fileNames: names ?? [String]()), to: protosetOut)
            }
            let services: [ServiceInfo]
            if let service {
                guard let found = pool.service(named: service) else {
                    _ = try pool.render(symbol: service)  // throws with suggestions when unknown
                    throw CLIError(status: .schema, message: "\"\(service)\" is not a service")
                }
                services = [found]
            } else {
                services = pool.services.sorted { $0.name < $1.name }
            }
            switch format {
            case .json:
                print(try JSONText.encode(services.map(ServiceSummary.init), pretty: Terminal.stdoutIsTerminal))
            case .text where service != nil || long:
                for service in services {
                    if service != services.first && long { print() }
                    if long && remaining.isEmpty { print(service.name) }
                    for method in service.methods {
                        if long {
                            let indent = remaining.isEmpty ? "  " : ""
                            print("\(indent)\(method.serviceName)/\(method.name)  \(method.kind.rawValue)  \(method.inputType) -> \(method.outputType)")
                        } else {
                            print(method.fullName)
                        }
                    }
                }
            case .text:
                for service in services { print(service.name) }
            }
        }
    }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The JSON shape of `list --format json`.
struct ServiceSummary: Encodable {
    struct Method: Encodable {
        var name: String
        var path: String
        var kind: String
        var inputType: String
        var outputType: String
    }
    var name: String
    var file: String
    var methods: [Method]

    init(_ service: ServiceInfo) {
        name = service.name
        file = service.file
        methods = service.methods.map {
            Method(name: $0.name, path: $0.path, kind: $0.kind.rawValue, inputType: $0.inputType, outputType: $0.outputType)
        }
    }
}
