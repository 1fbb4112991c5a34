import ArgumentParser
import Schema

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Pretty JSON (the default on a terminal).
    case json
    /// One compact JSON document per line (the default when piped).
    case ndjson
    /// Protobuf text format, one message after another separated by a blank line.
    case text
}

struct OutputOptions: ParsableArguments {
    @Option(
        name: .customLong("format"),
        help: "Output format: json (pretty), ndjson (compact, one per line) or text (protobuf text format); default: json on a terminal, ndjson when piped.")
    var format: OutputFormat?

    @Flag(name: .customLong("emit-defaults"), help: "Print fields that hold their default value; default: off.")
    var emitDefaults = false

    @Flag(name: .customLong("use-proto-names"), help: "Print field names as in the .proto file, not lowerCamelCase; default: off.")
    var useProtoNames = false

    @Flag(name: .customLong("enums-as-numbers"), help: "Print enum values as numbers; default: off (names).")
    var enumsAsNumbers = false

    /// The format in effect: the flag, else by whether stdout is a terminal.
    var effectiveFormat: OutputFormat { format ?? (Terminal.stdoutIsTerminal ? .json : .ndjson) }

    var jsonOptions: JSONOptions {
        JSONOptions(
            emitDefaults: emitDefaults,
            useProtoNames: useProtoNames,
            enumsAsNumbers: enumsAsNumbers,
            indent: effectiveFormat == .json)
    }

    /// One message as printed in the format in effect.
    func render(_ bytes: [UInt8], messageType: String, pool: SchemaPool, jsonOptions: JSONOptions) throws -> String {
        if effectiveFormat == .text { return try pool.binaryToText(bytes, messageType: messageType) }
        return try pool.binaryToJSON(bytes, messageType: messageType, options: jsonOptions)
    }
}

extension OutputOptions: QuickReadable {
    /// The same options read by ``QuickReader`` (names and defaults as above).
    init(quick reader: inout QuickReader) throws {
        self = try reader.filled { read, reader in
            read.format = try reader.option("format")
            read.emitDefaults = try reader.flag("emit-defaults")
            read.useProtoNames = try reader.flag("use-proto-names")
            read.enumsAsNumbers = try reader.flag("enums-as-numbers")
        }
    }
}
