import NIOCore
public import RPC
import SwiftProtobuf
import WireProtos

/// Puts a ``NamingRegistry`` on the wire: `v1.PolarisGRPC` (RegisterInstance,
/// DeregisterInstance, Heartbeat, ReportClient, Discover) and
/// `v1.PolarisHeartbeatGRPC/BatchHeartbeat`, installable into any ``RPCRouter`` so the
/// registry can share a server with other services.
public struct RegistryService: Sendable {
    public let registry: NamingRegistry

    public init(registry: NamingRegistry) { self.registry = registry }

    /// Registers the registry's methods in `router`.
    public func install(into router: inout RPCRouter) {
        let registry = self.registry
        Self.unary(&router, WireMethod.PolarisNaming.registerInstance.path, V1_Instance.self) { request, context in
            registry.register(request, headerToken: context.metadata["x-polaris-token"])
        }
        Self.unary(&router, WireMethod.PolarisNaming.deregisterInstance.path, V1_Instance.self) { request, context in
            registry.deregister(request, headerToken: context.metadata["x-polaris-token"])
        }
        Self.unary(&router, WireMethod.PolarisNaming.heartbeat.path, V1_Instance.self) { request, context in
            registry.heartbeat(request, headerToken: context.metadata["x-polaris-token"])
        }
        Self.unary(&router, WireMethod.PolarisNaming.reportClient.path, V1_Client.self) { request, _ in
            registry.reportClient(request)
        }
        router.register(WireMethod.PolarisNaming.discover.path, kind: .bidirectionalStreaming) { call in
            for try await message in call.requests {
                let request: V1_DiscoverRequest
                do {
                    request = try V1_DiscoverRequest(serializedBytes: Array(buffer: message))
                } catch {
                    return GRPCStatus(code: .invalidArgument, message: "a DiscoverRequest did not decode: \(error)")
                }
                try await call.send(ByteBuffer(bytes: try registry.discoverEncoded(request)))
            }
            return .ok
        }
        router.register(WireMethod.PolarisHeartbeat.batchHeartbeat.path, kind: .bidirectionalStreaming) { call in
            for try await message in call.requests {
                do {
                    registry.batchHeartbeat(try V1_HeartbeatsRequest(serializedBytes: Array(buffer: message)))
                } catch {
                    return GRPCStatus(code: .invalidArgument, message: "a HeartbeatsRequest did not decode: \(error)")
                }
                try await call.send(ByteBuffer(bytes: try V1_HeartbeatsResponse().serializedBytes() as [UInt8]))
            }
            return .ok
        }
    }

    /// A unary method on the callback path: decode, answer, encode. A request that does
    /// not decode is answered with ParseException, as the server does.
    private static func unary<Request: SwiftProtobuf.Message>(
        _ router: inout RPCRouter, _ path: String, _ type: Request.Type,
        _ body: @escaping @Sendable (Request, ServerContext) -> V1_Response
    ) {
        router.registerUnary(path) { context, buffer, responder in
            let response: V1_Response
            if let request = try? Request(serializedBytes: Array(buffer: buffer)) {
                response = body(request, context)
            } else {
                response = NamingRegistry.response(PolarisCode.parseException)
            }
            guard let bytes = try? response.serializedBytes() as [UInt8] else {
                responder.fail(GRPCStatus(code: .internal, message: "cannot encode the response"))
                return
            }
            responder.respond(ByteBuffer(bytes: bytes))
        }
    }
}
