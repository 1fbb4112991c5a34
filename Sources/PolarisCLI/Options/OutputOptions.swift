import ArgumentParser
import Schema

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Pretty JSON (the default on a terminal).
    case json
    /// One compact JSON document per line (the default when piped).
    case ndjson
}

struct OutputOptions: ParsableArguments {
    @Option(
        name: .customLong("format"),
        help: "Output format: json (pretty) or ndjson (compact, one per line); default: json on a terminal, ndjson when piped.")
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
}
