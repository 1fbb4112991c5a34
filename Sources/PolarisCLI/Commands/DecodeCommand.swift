import ArgumentParser
import Schema

extension Polarisctl {
    /// `polarisctl decode`: protobuf binary to JSON.
    struct Decode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decode",
            abstract: "Decode a protobuf binary message to JSON.",
            discussion: """
                Examples:
                  polarisctl encode --proto greeter.proto helloworld.HelloRequest -d '{"name":"x"}' | polarisctl decode --proto greeter.proto helloworld.HelloRequest
                  polarisctl decode --proto greeter.proto helloworld.HelloRequest --hex -d 0a0178
                  polarisctl decode --protoset api.protoset acme.v1.Order -d @order.bin --emit-defaults
                """).directlyParsed

        @OptionGroup(title: "Schema") var schema: SchemaOptions
        @OptionGroup(title: "Output") var outputOptions: OutputOptions

        @Argument(help: "Fully qualified message type, e.g. helloworld.HelloRequest.", completion: .protoMessages)
        var type: String

        @Option(name: [.customShort("d"), .customLong("data")],
                help: "The binary message: @file or @- for stdin (with --hex or --base64 also text); default: stdin.")
        var data: String = "@-"

        @Flag(name: .customLong("hex"), help: "The input is hexadecimal text; default: raw binary.")
        var hex = false

        @Flag(name: .customLong("base64"), help: "The input is base64 text; default: raw binary.")
        var base64 = false

        @Option(name: [.customShort("o"), .customLong("output")], help: "Write to this file instead of stdout.",
                completion: .file())
        var output: String?

        func validate() throws {
            if hex && base64 { throw ValidationError("--hex and --base64 cannot be combined") }
            if !hex && !base64 && !data.hasPrefix("@") {
                throw ValidationError("-d takes @file or @- for binary input; text needs --hex or --base64")
            }
        }

        func run() async throws {
            let pool = try schema.load()
            let input = InputSource(argument: data)
            var bytes = try input.readAll()
            if hex {
                guard let decoded = BinaryText.fromHex(bytes) else {
                    throw CLIError.input("\(input.displayName): not hexadecimal text")
                }
                bytes = decoded
            } else if base64 {
                guard let decoded = BinaryText.fromBase64(bytes) else {
                    throw CLIError.input("\(input.displayName): not base64 text")
                }
                bytes = decoded
            }
            let json = try outputOptions.render(bytes, messageType: type, pool: pool, jsonOptions: outputOptions.jsonOptions)
            if let output {
                try FileIO.writeAtomically(Array((json + "\n").utf8), to: output)
            } else {
                let color = outputOptions.effectiveFormat != .text && Terminal.stdoutColor
                print(color ? JSONColor.colorize(json) : json)
            }
        }
    }
}
