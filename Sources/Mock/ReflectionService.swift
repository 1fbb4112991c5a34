import Foundation
import NIOCore
public import RPC
public import SwiftProtobuf
public import WireProtos

/// Server reflection v1 and v1alpha (wire-identical messages, one implementation) over a
/// set of file descriptors: the loaded schema's and the built-in services'.
public struct ReflectionService: Sendable {
    private let files: [String: Google_Protobuf_FileDescriptorProto]
    private let encoded: [String: Data]
    private let symbols: [String: String]
    private let services: [String]

    /// Indexes `files` (earlier files win over later ones with the same name) and lists
    /// `services` (full names).
    public init(files: [Google_Protobuf_FileDescriptorProto], services: [String]) {
        var byName: [String: Google_Protobuf_FileDescriptorProto] = [:]
        var encoded: [String: Data] = [:]
        var symbols: [String: String] = [:]
        for file in files where byName[file.name] == nil {
            byName[file.name] = file
            encoded[file.name] = (try? file.serializedData()) ?? Data()
            let prefix = file.package.isEmpty ? "" : file.package + "."
            func addMessage(_ message: Google_Protobuf_DescriptorProto, _ scope: String) {
                let name = scope + message.name
                symbols[name] = file.name
                for nested in message.nestedType { addMessage(nested, name + ".") }
                for e in message.enumType { symbols[name + "." + e.name] = file.name }
                for field in message.field { symbols[name + "." + field.name] = file.name }
            }
            for message in file.messageType { addMessage(message, prefix) }
            for e in file.enumType { symbols[prefix + e.name] = file.name }
            for service in file.service {
                symbols[prefix + service.name] = file.name
                for method in service.method { symbols[prefix + service.name + "." + method.name] = file.name }
            }
        }
        self.files = byName
        self.encoded = encoded
        self.symbols = symbols
        self.services = services.sorted()
    }

    /// Installs both versions.
    public func install(into router: inout RPCRouter) {
        for path in [WireMethod.ReflectionV1.serverReflectionInfo.path, WireMethod.ReflectionV1Alpha.serverReflectionInfo.path] {
            router.register(path, kind: .bidirectionalStreaming) { call in
                for try await message in call.requests {
                    guard let request = try? Grpc_Reflection_V1_ServerReflectionRequest(serializedBytes: Array(message.readableBytesView)) else {
                        return GRPCStatus(code: .invalidArgument, message: "the request is not a ServerReflectionRequest")
                    }
                    let response = answer(request)
                    try await call.send(ByteBuffer(bytes: (try? response.serializedBytes() as [UInt8]) ?? []))
                }
                return .ok
            }
        }
    }

    func answer(_ request: Grpc_Reflection_V1_ServerReflectionRequest) -> Grpc_Reflection_V1_ServerReflectionResponse {
        var response = Grpc_Reflection_V1_ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        switch request.messageRequest {
        case .fileByFilename(let name):
            if files[name] != nil {
                response.fileDescriptorResponse = descriptors(from: name)
            } else {
                response.errorResponse = notFound("file '\(name)' not found")
            }
        case .fileContainingSymbol(let symbol):
            let bare = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
            if let file = symbols[bare] {
                response.fileDescriptorResponse = descriptors(from: file)
            } else {
                response.errorResponse = notFound("symbol '\(symbol)' not found")
            }
        case .fileContainingExtension(let ext):
            response.errorResponse = notFound("extension \(ext.extensionNumber) of '\(ext.containingType)' not found")
        case .allExtensionNumbersOfType(let type):
            if symbols[type] != nil {
                var numbers = Grpc_Reflection_V1_ExtensionNumberResponse()
                numbers.baseTypeName = type
                response.allExtensionNumbersResponse = numbers
            } else {
                response.errorResponse = notFound("type '\(type)' not found")
            }
        case .listServices:
            var list = Grpc_Reflection_V1_ListServiceResponse()
            list.service = services.map { name in
                var service = Grpc_Reflection_V1_ServiceResponse()
                service.name = name
                return service
            }
            response.listServicesResponse = list
        case .none:
            var error = Grpc_Reflection_V1_ErrorResponse()
            error.errorCode = Int32(GRPCStatus.Code.invalidArgument.rawValue)
            error.errorMessage = "empty reflection request"
            response.errorResponse = error
        }
        return response
    }

    /// The file and its dependencies, each once, the file first.
    private func descriptors(from name: String) -> Grpc_Reflection_V1_FileDescriptorResponse {
        var out = Grpc_Reflection_V1_FileDescriptorResponse()
        var seen = Set<String>()
        var queue = [name]
        while let next = queue.first {
            queue.removeFirst()
            guard seen.insert(next).inserted, let file = files[next], let bytes = encoded[next] else { continue }
            out.fileDescriptorProto.append(bytes)
            queue += file.dependency
        }
        return out
    }

    private func notFound(_ message: String) -> Grpc_Reflection_V1_ErrorResponse {
        var error = Grpc_Reflection_V1_ErrorResponse()
        error.errorCode = Int32(GRPCStatus.Code.notFound.rawValue)
        error.errorMessage = message
        return error
    }
}
