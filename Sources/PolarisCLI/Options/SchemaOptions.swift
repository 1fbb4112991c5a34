import ArgumentParser
import Foundation
import Schema

/// Where the schema comes from: `.proto` files or protosets. (Server reflection
/// is used when neither is given and an address is.)
struct SchemaOptions: ParsableArguments {
    @Option(
        name: .customLong("proto"),
        help: ArgumentHelp("A .proto file to load (repeatable); default: none.", valueName: "file"),
        completion: .file(extensions: ["proto"]))
    var protoFiles: [String] = []

    @Option(
        name: [.customShort("I"), .customLong("import-path")],
        help: ArgumentHelp("A directory to search for .proto imports (repeatable); default: the current directory.",
                           valueName: "dir"),
        completion: .directory)
    var importPaths: [String] = []

    @Option(
        name: .customLong("protoset"),
        help: ArgumentHelp("A FileDescriptorSet file to load (repeatable); default: none.", valueName: "file"),
        completion: .file())
    var protosets: [String] = []

    @Option(
        name: .customLong("codec"),
        help: ArgumentHelp(
            "The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.",
            valueName: "codec"))
    var codecChoice: CodecChoice = .native

    /// The converter the loaded pool uses.
    var codec: SchemaCodec { codecChoice == .native ? .native : .libprotobuf }

    var isGiven: Bool { !protoFiles.isEmpty || !protosets.isEmpty }

    func validate() throws {
        if !protoFiles.isEmpty && !protosets.isEmpty {
            throw ValidationError("--proto and --protoset cannot be combined; use one kind of schema source")
        }
        if !importPaths.isEmpty && protoFiles.isEmpty {
            throw ValidationError("--import-path needs --proto")
        }
    }

    /// Loads the schema named by the flags.
    ///
    /// - Throws: ``SchemaError`` or ``CLIError``; a usage error when no source is given.
    func load() throws -> SchemaPool {
        if !protoFiles.isEmpty {
            var roots = importPaths
            if roots.isEmpty {
                // Like protoc: the current directory; and, as a convenience, the
                // directory of each file given, so `--proto dir/x.proto` just works.
                roots = ["."]
                for file in protoFiles where file.contains("/") {
                    let directory = String(file[..<file.lastIndex(of: "/")!])  // contains "/"
                    if !roots.contains(directory) { roots.append(directory.isEmpty ? "/" : directory) }
                }
            }
            let pool = try SchemaPool.load(protoFiles: protoFiles, importPaths: roots)
            pool.codec = codec
            return pool
        }
        if !protosets.isEmpty {
            let sets = try protosets.map { try FileIO.read($0, purpose: "protoset") }
            do {
                let pool = try SchemaPool.load(protosets: sets)
                pool.codec = codec
                return pool
            } catch var error as SchemaError {
                if protosets.count == 1 {
                    error.message = error.message.replacingOccurrences(of: "protoset #1", with: protosets[0])
                    if !error.message.hasPrefix(protosets[0]) { error.message = "\(protosets[0]): \(error.message)" }
                } else {
                    for (i, name) in protosets.enumerated() {
                        error.message = error.message.replacingOccurrences(of: "protoset #\(i + 1)", with: name)
                    }
                }
                throw error
            }
        }
        throw CLIError.usage("no schema: give --proto FILE or --protoset FILE")
    }
}

/// The values of `--codec`.
enum CodecChoice: String, ExpressibleByArgument, CaseIterable {
    case native
    case libprotobuf
}

extension SchemaOptions: QuickReadable {
    /// The same options read by ``QuickReader`` (names and defaults as above).
    init(quick reader: inout QuickReader) throws {
        self = try reader.filled { read, reader in
            read.protoFiles = try reader.options("proto")
            read.importPaths = try reader.options("import-path", short: "I")
            read.protosets = try reader.options("protoset")
            read.codecChoice = try reader.option("codec", default: .native)
        }
    }
}
