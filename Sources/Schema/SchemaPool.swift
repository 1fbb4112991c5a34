internal import CProtoBridge
public import SwiftProtobuf
import Synchronization

/// A loaded schema: the descriptors of a set of `.proto` files, protosets or
/// reflected file descriptors, and conversions between JSON and binary for
/// every message type in it.
///
/// A pool is immutable once loaded and may be used from any thread.
public final class SchemaPool: @unchecked Sendable {
    let handle: OpaquePointer

    /// Every file of the pool and the files it imports, dependencies first.
    public let files: [Google_Protobuf_FileDescriptorProto]
    /// Names of the files the pool was loaded from (not their imports).
    public let rootFileNames: [String]
    /// Every service in ``files``, in declaration order.
    public let services: [ServiceInfo]
    /// Fully qualified names of every message type, nested ones included (map
    /// entries left out).
    public let messageNames: [String]
    /// Fully qualified names of every enum type.
    public let enumNames: [String]
    /// Compiled message plans for the native codec, built on first use.
    let plans: PlanCache
    private let codecChoice = Atomic<UInt8>(0)

    /// Which converter ``jsonToBinary(_:messageType:options:)`` and
    /// ``binaryToJSON(_:messageType:options:)`` use; set it before sharing the pool.
    public var codec: SchemaCodec {
        get { codecChoice.load(ordering: .relaxed) == 0 ? .native : .libprotobuf }
        set { codecChoice.store(newValue == .native ? 0 : 1, ordering: .relaxed) }
    }

    /// Takes ownership of `handle`, freeing it if the pool cannot be built.
    private init(handle: OpaquePointer) throws {
        self.handle = handle
        do {
            let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: Self.exportSet(handle, files: []))
            files = set.file
            rootFileNames = try Self.roots(handle)
        } catch {
            cpb_pool_free(handle)
            throw error as? SchemaError
                ?? SchemaError(code: .internalError, message: "descriptors could not be read back: \(error)")
        }
        var index = SymbolIndex()
        for file in files { index.add(file) }
        services = index.services
        messageNames = index.messages
        enumNames = index.enums
        plans = PlanCache(files: files)
    }

    deinit { cpb_pool_free(handle) }

    // MARK: Loading

    /// Parses `.proto` files in process, as `protoc` would.
    ///
    /// The well-known types (`google/protobuf/*.proto`) are built in: no import
    /// path needs to provide them.
    ///
    /// - Parameters:
    ///   - protoFiles: Paths relative to an import path, or on-disk paths under one.
    ///   - importPaths: The `-I` roots, searched in order. When empty, the current
    ///     directory is used.
    /// - Returns: The loaded pool.
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/protoSyntax`` (with a
    ///   location), ``SchemaError/Code/fileNotFound`` (naming the import paths
    ///   searched), ``SchemaError/Code/outsideImportPath`` or
    ///   ``SchemaError/Code/unsupportedEditions``.
    public static func load(protoFiles: [String], importPaths: [String]) throws -> SchemaPool {
        let roots = importPaths.isEmpty ? ["."] : importPaths
        var error = cpb_error()
        let handle = withCStringArray(roots) { rootPointers in
            withCStringArray(protoFiles) { filePointers in
                cpb_pool_from_protos(rootPointers, roots.count, filePointers, protoFiles.count, &error)
            }
        }
        guard let handle else {
            var failure = SchemaError(taking: &error)
            if failure.code == .fileNotFound || failure.code == .outsideImportPath {
                let searched = roots.map { "-I \($0)" }.joined(separator: ", ")
                failure.message += " (import paths: \(searched))"
            }
            throw failure
        }
        return try SchemaPool(handle: handle)
    }

    /// Loads one or more protosets (serialized `FileDescriptorSet`s, as written
    /// by `protoc --descriptor_set_out`) and single serialized
    /// `FileDescriptorProto`s (as server reflection returns them), merged.
    ///
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/invalidDescriptors``
    ///   for corrupt input, conflicting files or missing imports.
    public static func load(protosets: [[UInt8]], fileDescriptorProtos: [[UInt8]] = []) throws -> SchemaPool {
        var error = cpb_error()
        let handle = withBufferArray(protosets) { setPointers, setLengths in
            withBufferArray(fileDescriptorProtos) { filePointers, fileLengths in
                cpb_pool_from_descriptors(
                    setPointers, setLengths, protosets.count,
                    filePointers, fileLengths, fileDescriptorProtos.count, &error)
            }
        }
        guard let handle else { throw SchemaError(taking: &error) }
        return try SchemaPool(handle: handle)
    }

    // MARK: Export

    /// The `FileDescriptorSet` of the given files and everything they import,
    /// dependencies first (what `--protoset-out` writes and reflection serves).
    ///
    /// - Parameter fileNames: Files to export; all loaded files when empty.
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/unknownSymbol`` for a
    ///   file the pool does not hold.
    public func exportDescriptorSet(fileNames: [String] = []) throws -> [UInt8] {
        try Self.exportSet(handle, files: fileNames)
    }

    /// Serialized `FileDescriptorProto`s of a file and, optionally, its imports,
    /// dependencies first.
    public func fileDescriptorProtos(fileName: String, withDependencies: Bool) throws -> [[UInt8]] {
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: exportDescriptorSet(fileNames: [fileName]))
        let chosen = withDependencies ? set.file : set.file.filter { $0.name == fileName }
        return try chosen.map { try $0.serializedBytes() }
    }

    private static func roots(_ handle: OpaquePointer) throws -> [String] {
        var error = cpb_error()
        var out: UnsafeMutablePointer<CChar>?
        guard cpb_pool_roots(handle, &out, &error) == 0, let out else { throw SchemaError(taking: &error) }
        defer { cpb_free(out) }
        return String(cString: out).split(separator: "\n").map(String.init)
    }

    private static func exportSet(_ handle: OpaquePointer, files: [String]) throws -> [UInt8] {
        var error = cpb_error()
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let rc = withCStringArray(files) { cpb_pool_export(handle, $0, files.count, &out, &length, &error) }
        guard rc == 0, let out else { throw SchemaError(taking: &error) }
        defer { cpb_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}

extension SchemaError {
    /// Moves a C error into a Swift one and clears the C side.
    init(taking error: inout cpb_error) {
        defer { cpb_error_clear(&error) }
        let message = error.message.map { String(cString: $0) } ?? "unknown schema error"
        let code: Code
        switch cpb_error_kind(rawValue: UInt32(error.kind)) {
        case CPB_ERR_PROTO: code = .protoSyntax
        case CPB_ERR_FILE_NOT_FOUND: code = .fileNotFound
        case CPB_ERR_OUTSIDE_IMPORT_PATH: code = .outsideImportPath
        case CPB_ERR_EDITIONS: code = .unsupportedEditions
        case CPB_ERR_DESCRIPTORS: code = .invalidDescriptors
        case CPB_ERR_UNKNOWN_SYMBOL: code = .unknownSymbol
        case CPB_ERR_JSON: code = .invalidJSON
        case CPB_ERR_BINARY: code = .invalidBinary
        default: code = .internalError
        }
        var location: Location?
        if let file = error.file {
            location = Location(
                file: String(cString: file),
                line: error.line > 0 ? Int(error.line) : nil,
                column: error.column > 0 ? Int(error.column) : nil)
        }
        self.init(code: code, message: message, location: location)
    }
}
