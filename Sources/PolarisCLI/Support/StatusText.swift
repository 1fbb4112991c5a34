import Foundation
import RPC
import SwiftProtobuf
import WireProtos

/// Renders a received gRPC status: one line for people, or a JSON document.
enum StatusText {
    /// `NOT_FOUND: no such order` plus one indented line per error detail.
    static func human(_ status: GRPCStatus) -> String {
        var text = status.message.isEmpty ? "\(status.code)" : "\(status.code): \(status.message)"
        for detail in details(status) { text += "\n  detail: \(detail)" }
        return text
    }

    /// `{"code": 5, "codeName": "NOT_FOUND", "message": "...", "details": [...]}`.
    static func json(_ status: GRPCStatus, pretty: Bool) -> String {
        var object: [String: Any] = [
            "code": status.code.rawValue,
            "codeName": "\(status.code)",
            "message": status.message,
        ]
        let rendered = details(status).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        if !rendered.isEmpty { object["details"] = rendered }
        let options: JSONSerialization.WritingOptions = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Each detail of `grpc-status-details-bin` as JSON text (standard
    /// google.rpc types are built in; others show their type URL and bytes).
    static func details(_ status: GRPCStatus) -> [String] {
        guard let bytes = status.details, !bytes.isEmpty,
              let decoded = try? Google_Rpc_Status(serializedBytes: bytes) else { return [] }
        registerDetailTypes
        return decoded.details.map { any in
            if let json = try? any.jsonString() { return json }
            return "{\"@type\":\"\(any.typeURL)\",\"base64\":\"\(any.value.base64EncodedString())\"}"
        }
    }

    private static let registerDetailTypes: Void = {
        let types: [any SwiftProtobuf.Message.Type] = [
            Google_Rpc_ErrorInfo.self, Google_Rpc_RetryInfo.self, Google_Rpc_DebugInfo.self,
            Google_Rpc_QuotaFailure.self, Google_Rpc_PreconditionFailure.self, Google_Rpc_BadRequest.self,
            Google_Rpc_RequestInfo.self, Google_Rpc_ResourceInfo.self, Google_Rpc_Help.self,
            Google_Rpc_LocalizedMessage.self,
        ]
        for type in types { Google_Protobuf_Any.register(messageType: type) }
    }()
}
