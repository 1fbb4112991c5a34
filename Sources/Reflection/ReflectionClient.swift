import Foundation
public import NIOCore
public import RPC
public import Schema
import SwiftProtobuf
import WireProtos

/// Fetches a schema from a server's reflection service.
///
/// Speaks `grpc.reflection.v1.ServerReflection` and falls back to `v1alpha` when
/// the server answers UNIMPLEMENTED (the two are the same on the wire). File
/// descriptors are fetched lazily: the file that defines a symbol, then the
/// imports it names that have not arrived yet. Well-known types the server does
/// not serve come from the built-in copies.
public struct ReflectionClient: Sendable {
    static let paths = [
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
    ]

    let connection: RPCConnection
    let metadata: Metadata
    let timeout: TimeAmount?

    /// - Parameters:
    ///   - connection: The connection to the server.
    ///   - metadata: Metadata sent on reflection calls (`--reflect-header` and `-H`).
    ///   - timeout: Deadline of each reflection call.
    public init(connection: RPCConnection, metadata: Metadata = Metadata(), timeout: TimeAmount? = .seconds(20)) {
        self.connection = connection
        self.metadata = metadata
        self.timeout = timeout
    }

    /// The fully qualified names of the services the server offers.
    ///
    /// - Throws: ``ReflectionError`` or ``RPCError``.
    public func listServices() async throws -> [String] {
        try await withSession { session in try await session.listServices() }
    }

    /// Loads the schema defining `symbols` (services, methods, messages, …).
    ///
    /// - Parameter symbols: Names to resolve; all services when empty.
    /// - Returns: A pool holding the files that define them and everything they import.
    /// - Throws: ``ReflectionError`` (``ReflectionError/Code/notFound`` with close
    ///   names as suggestions), ``SchemaError`` for descriptors that do not build,
    ///   or ``RPCError``.
    public func schema(containing symbols: [String] = []) async throws -> SchemaPool {
        try await withSession { session in
            var wanted = symbols
            if wanted.isEmpty {
                wanted = try await session.listServices().filter { !$0.hasPrefix("grpc.reflection.") }
            }
            for symbol in wanted {
                do {
                    try await session.fetchFile(containing: symbol)
                } catch let error as ReflectionError where error.code == .notFound {
                    let services = (try? await session.listServices()) ?? []
                    let service = symbol.split(separator: "/").first.map(String.init) ?? symbol
                    var hint = ""
                    let close = NameSuggestions.closest(to: service, among: services)
                    if !close.isEmpty { hint = "; did you mean " + close.map { "\"\($0)\"" }.joined(separator: " or ") + "?" }
                    throw ReflectionError(
                        code: .notFound, message: "the server does not know \"\(symbol)\"\(hint)", suggestions: close)
                }
            }
            try await session.fetchMissingDependencies()
            return try SchemaPool.load(protosets: [], fileDescriptorProtos: session.orderedFiles())
        }
    }

    private func withSession<T: Sendable>(_ body: (ReflectionSession) async throws -> T) async throws -> T {
        var lastError: (any Error)?
        for path in Self.paths {
            let call = try await connection.makeCall(path: path, metadata: metadata, options: CallOptions(timeout: timeout))
            let session = ReflectionSession(call: call)
            do {
                let result = try await body(session)
                call.finishSending()
                call.cancel()
                return result
            } catch let error as ReflectionError where error.code == .unsupported {
                lastError = error
                continue
            } catch {
                call.cancel()
                throw error
            }
        }
        throw lastError ?? ReflectionError(code: .unsupported, message: "the server does not support reflection")
    }
}

/// One reflection stream: a request, then its response, in turn.
final class ReflectionSession: @unchecked Sendable {
    private let call: ClientCall
    private var iterator: MessageStream.AsyncIterator
    /// Serialized file descriptors by file name, in arrival order.
    private var files: [(name: String, bytes: [UInt8], dependencies: [String])] = []
    private var known: Set<String> = []
    private var absent: Set<String> = []
    private var services: [String]?

    init(call: ClientCall) {
        self.call = call
        self.iterator = call.responses.makeAsyncIterator()
    }

    func listServices() async throws -> [String] {
        if let services { return services }
        var request = Grpc_Reflection_V1_ServerReflectionRequest()
        request.listServices = "*"
        let response = try await exchange(request)
        guard case .listServicesResponse(let list)? = response.messageResponse else {
            throw ReflectionError(code: .invalidResponse, message: "reflection answered list_services with something else")
        }
        let names = list.service.map(\.name).sorted()
        services = names
        return names
    }

    func fetchFile(containing symbol: String) async throws {
        var name = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
        if name.hasPrefix("/") { name.removeFirst() }
        // Methods are asked for by their service: servers do not all resolve method names.
        if let slash = name.firstIndex(of: "/") { name = String(name[..<slash]) }
        var request = Grpc_Reflection_V1_ServerReflectionRequest()
        request.fileContainingSymbol = name
        do {
            try add(try await exchange(request))
        } catch let error as ReflectionError where error.code == .notFound && name.contains(".") {
            // `pkg.Service.Method` or `pkg.Message.field`: try the enclosing name.
            let parent = String(name[..<name.lastIndex(of: ".")!])  // contains "."
            request.fileContainingSymbol = parent
            try add(try await exchange(request))
        }
    }

    func fetchMissingDependencies() async throws {
        var rounds = 0
        while rounds < 1000 {
            rounds += 1
            let missing = files.flatMap(\.dependencies).filter { !known.contains($0) && !absent.contains($0) }
            guard let next = missing.first else { return }
            var request = Grpc_Reflection_V1_ServerReflectionRequest()
            request.fileByFilename = next
            do {
                try add(try await exchange(request))
            } catch let error as ReflectionError where error.code == .notFound {
                // Not served (often the well-known types): the built-in copy is used
                // when the schema is built, which reports anything still missing.
                absent.insert(next)
            }
            if !known.contains(next) { absent.insert(next) }
        }
    }

    func orderedFiles() -> [[UInt8]] { files.map(\.bytes) }

    private func add(_ response: Grpc_Reflection_V1_ServerReflectionResponse) throws {
        guard case .fileDescriptorResponse(let descriptors)? = response.messageResponse else {
            throw ReflectionError(code: .invalidResponse, message: "reflection answered a file request with something else")
        }
        for data in descriptors.fileDescriptorProto {
            let file: Google_Protobuf_FileDescriptorProto
            do {
                file = try Google_Protobuf_FileDescriptorProto(serializedBytes: data)
            } catch {
                throw ReflectionError(code: .invalidResponse, message: "reflection sent a file descriptor that does not parse")
            }
            if known.insert(file.name).inserted {
                files.append((file.name, Array(data), file.dependency))
            }
        }
    }

    private func exchange(_ request: Grpc_Reflection_V1_ServerReflectionRequest) async throws
        -> Grpc_Reflection_V1_ServerReflectionResponse
    {
        let bytes: [UInt8] = try request.serializedBytes()
        do {
            try await call.send(ByteBuffer(bytes: bytes))
        } catch let error as RPCError where error.code == .callEnded {
            throw try await endedError()
        }
        guard let message = try await iterator.next() else { throw try await endedError() }
        let response: Grpc_Reflection_V1_ServerReflectionResponse
        do {
            response = try Grpc_Reflection_V1_ServerReflectionResponse(serializedBytes: Array(buffer: message))
        } catch {
            throw ReflectionError(code: .invalidResponse, message: "reflection sent a response that does not parse")
        }
        if case .errorResponse(let failure)? = response.messageResponse {
            let code = GRPCStatus.Code(rawValue: Int(failure.errorCode))
            throw ReflectionError(
                code: code == .notFound ? .notFound : .failed,
                message: "reflection error \(code): \(failure.errorMessage)")
        }
        return response
    }

    /// Why the stream ended before answering.
    private func endedError() async throws -> ReflectionError {
        let status = try await call.status
        if status.code == .unimplemented {
            return ReflectionError(
                code: .unsupported,
                message: "the server does not support reflection (UNIMPLEMENTED); use --proto or --protoset")
        }
        return ReflectionError(code: .failed, message: "reflection failed: \(status)")
    }
}

