import Foundation
import NIOCore
public import RPC
import Synchronization
import SwiftProtobuf
public import WireProtos

/// `grpc.health.v1.Health`: a status per service ("" is the whole server), Check, Watch
/// (every change is sent to open watches) and List.
public final class HealthService: Sendable {
    public typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: Status] = [:]
        var watchers: [Int: (service: String, continuation: AsyncStream<Status>.Continuation)] = [:]
        var nextWatcher = 0
    }

    private let state = Mutex(State())

    /// Every service of `services` and the server ("") start as SERVING.
    public init(services: [String]) {
        state.withLock { state in
            state.statuses[""] = .serving
            for service in services { state.statuses[service] = .serving }
        }
    }

    /// The status of `service`, nil when unknown.
    public func status(of service: String) -> Status? {
        state.withLock { $0.statuses[service] }
    }

    /// Sets the status of `service` and tells its watchers.
    ///
    /// - Returns: The previous status (`serviceUnknown` if none).
    @discardableResult
    public func set(_ status: Status, for service: String) -> Status {
        state.withLock { state in
            let previous = state.statuses[service] ?? .serviceUnknown
            state.statuses[service] = status
            for watcher in state.watchers.values where watcher.service == service {
                watcher.continuation.yield(status)
            }
            return previous
        }
    }

    /// Installs Check, Watch and List.
    public func install(into router: inout RPCRouter) {
        router.registerUnary(WireMethod.Health.check.path) { [self] _, request, responder in
            guard let parsed = try? Grpc_Health_V1_HealthCheckRequest(serializedBytes: Array(request.readableBytesView)) else {
                responder.fail(GRPCStatus(code: .invalidArgument, message: "the request is not a grpc.health.v1.HealthCheckRequest"))
                return
            }
            guard let status = status(of: parsed.service) else {
                responder.fail(GRPCStatus(code: .notFound, message: "unknown service '\(parsed.service)'"))
                return
            }
            var response = Grpc_Health_V1_HealthCheckResponse()
            response.status = status
            responder.respond(Self.encode(response))
        }
        router.registerUnary(WireMethod.Health.list.path) { [self] _, _, responder in
            var response = Grpc_Health_V1_HealthListResponse()
            for (name, status) in state.withLock({ $0.statuses }) {
                var entry = Grpc_Health_V1_HealthCheckResponse()
                entry.status = status
                response.statuses[name] = entry
            }
            responder.respond(Self.encode(response))
        }
        router.register(WireMethod.Health.watch.path, kind: .serverStreaming) { [self] call in
            var iterator = call.requests.makeAsyncIterator()
            guard let first = try await iterator.next(),
                  let request = try? Grpc_Health_V1_HealthCheckRequest(serializedBytes: Array(first.readableBytesView)) else {
                return GRPCStatus(code: .invalidArgument, message: "the request is not a grpc.health.v1.HealthCheckRequest")
            }
            let (stream, continuation) = AsyncStream.makeStream(of: Status.self)
            let id = state.withLock { state in
                let id = state.nextWatcher
                state.nextWatcher += 1
                state.watchers[id] = (request.service, continuation)
                continuation.yield(state.statuses[request.service] ?? .serviceUnknown)
                return id
            }
            defer { _ = state.withLock { $0.watchers.removeValue(forKey: id) } }
            var last: Status?
            for await status in stream {
                if status == last { continue }
                last = status
                var response = Grpc_Health_V1_HealthCheckResponse()
                response.status = status
                try await call.send(Self.encode(response))
            }
            return .ok
        }
    }

    static func encode(_ message: some SwiftProtobuf.Message) -> ByteBuffer {
        ByteBuffer(bytes: (try? message.serializedBytes() as [UInt8]) ?? [])
    }
}
