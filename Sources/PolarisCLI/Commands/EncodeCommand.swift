import ArgumentParser
import Schema

extension Polarisctl {
    /// `polarisctl encode`: JSON to protobuf binary.
    struct Encode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encode",
            abstract: "Encode a JSON message as protobuf binary.",
            discussion: """
                Binary is not written to a terminal: pipe it, or use --hex, --base64 or -o.

                Examples:
                  polarisctl encode --proto examples/protos/greeter.proto helloworld.HelloRequest -d '{"name":"x"}' | xxd
                  polarisctl encode --proto examples/protos/greeter.proto helloworld.HelloRequest -d @req.json --hex
                  echo '{"name":"x"}' | polarisctl encode --proto greeter.proto helloworld.HelloRequest -d @- -o req.bin
                """).directlyParsed

        @OptionGroup(title: "Schema") var schema: SchemaOptions

        @Argument(help: "Fully qualified message type, e.g. helloworld.HelloRequest.", completion: .protoMessages)
        var type: String

        @Option(name: [.customShort("d"), .customLong("data")],
                help: "The JSON message: text, @file, or @- for stdin; default: stdin.")
        var data: String = "@-"

        @Flag(name: .customLong("hex"), help: "Write hexadecimal text instead of binary; default: off.")
        var hex = false

        @Flag(name: .customLong("base64"), help: "Write base64 text instead of binary; default: off.")
        var base64 = false

        @Flag(name: .customLong("allow-unknown-fields"), help: "Skip JSON fields the type does not have; default: reject them.")
        var allowUnknownFields = false

        @Option(name: [.customShort("o"), .customLong("output")], help: "Write to this file instead of stdout.",
                completion: .file())
        var output: String?

        func validate() throws {
            if hex && base64 { throw ValidationError("--hex and --base64 cannot be combined") }
        }

        func run() async throws {
            let pool = try schema.load()
            let input = InputSource(argument: data)
            if input == .standardInput && Terminal.stdinIsTerminal {
                Terminal.standardError("polarisctl: reading the JSON message from stdin (end with Ctrl-D)")
            }
            let json = try input.readAll()
            var encoded = try pool.jsonToBinary(
                json, messageType: type, options: JSONOptions(ignoreUnknownFields: allowUnknownFields))
            if hex { encoded = Array((BinaryText.hex(encoded) + "\n").utf8) }
            if base64 { encoded = Array((BinaryText.base64(encoded) + "\n").utf8) }
            if let output {
                try FileIO.writeAtomically(encoded, to: output)
            } else {
                if !hex && !base64 && Terminal.stdoutIsTerminal {
                    throw CLIError.usage("refusing to write binary to a terminal: pipe it, or use --hex, --base64 or -o FILE")
                }
                Terminal.writeStandardOutput(encoded)
            }
        }
    }
}
