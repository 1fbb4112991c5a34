internal import SwiftProtobuf

/// Walks file descriptors and collects the names of their services, methods,
/// messages and enums.
struct SymbolIndex {
    var services: [ServiceInfo] = []
    var messages: [String] = []
    var enums: [String] = []

    mutating func add(_ file: Google_Protobuf_FileDescriptorProto) {
        let prefix = file.package.isEmpty ? "" : file.package + "."
        for message in file.messageType { addMessage(message, prefix: prefix) }
        for enumType in file.enumType { enums.append(prefix + enumType.name) }
        for service in file.service {
            let serviceName = prefix + service.name
            let methods = service.method.map { method in
                MethodInfo(
                    name: method.name,
                    serviceName: serviceName,
                    inputType: Self.trimDot(method.inputType),
                    outputType: Self.trimDot(method.outputType),
                    kind: MethodKind(clientStreaming: method.clientStreaming, serverStreaming: method.serverStreaming))
            }
            services.append(ServiceInfo(name: serviceName, file: file.name, methods: methods))
        }
    }

    private mutating func addMessage(_ message: Google_Protobuf_DescriptorProto, prefix: String) {
        if message.options.mapEntry { return }
        let name = prefix + message.name
        messages.append(name)
        for nested in message.nestedType { addMessage(nested, prefix: name + ".") }
        for enumType in message.enumType { enums.append(name + "." + enumType.name) }
    }

    static func trimDot(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }
}
