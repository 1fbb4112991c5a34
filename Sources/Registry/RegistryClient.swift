public import NIOCore
import NIOPosix
public import RPC
import SwiftProtobuf
public import WireProtos

/// A client of a Polaris naming server (a real cluster or the embedded registry): the
/// unary writes, and Discover over one long-lived stream that is reopened after a failure.
///
/// Answers carry the registry's code; this type throws only when no answer came
/// (``RegistryError/Code/unreachable`` or ``RegistryError/Code/protocolError``).
public actor RegistryClient {
    /// The registry address.
    public nonisolated let address: RPCAddress
    /// The token sent as `x-polaris-token` (and put into requests by callers).
    public nonisolated let token: String?
    private let configuration: ClientConfiguration
    private let callTimeout: TimeAmount
    private let eventLoopGroup: any EventLoopGroup
    private var connection: RPCConnection?
    private var discoverCall: ClientCall?
    private var discoverResponses: ResponseReader?

    /// A client for `address`; nothing connects until the first call.
    ///
    /// - Parameters:
    ///   - address: The registry (`host:port`).
    ///   - token: Sent as `x-polaris-token` on every call when set.
    ///   - connectTimeout: Per connection attempt.
    ///   - callTimeout: Per unary call and per one-shot Discover.
    public init(address: RPCAddress, token: String? = nil, connectTimeout: TimeAmount = .seconds(3),
                callTimeout: TimeAmount = .seconds(5), eventLoopGroup: (any EventLoopGroup)? = nil) {
        self.address = address
        self.token = token?.isEmpty == true ? nil : token
        self.configuration = ClientConfiguration(connectTimeout: connectTimeout, userAgent: "polarisctl-registry")
        self.callTimeout = callTimeout
        self.eventLoopGroup = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
    }

    private var metadata: Metadata {
        var metadata = Metadata()
        if let token { metadata.addString(token, forKey: "x-polaris-token") }
        return metadata
    }

    private func connected() async throws -> RPCConnection {
        if let connection, await connection.isAcceptingCalls { return connection }
        if let stale = connection { await stale.close() }
        connection = nil
        discoverCall = nil
        discoverResponses = nil
        do {
            let fresh = try await RPCConnection.connect(to: address, configuration: configuration, eventLoopGroup: eventLoopGroup)
            connection = fresh
            return fresh
        } catch let error as RPCError {
            throw RegistryError(code: .unreachable, message: "registry \(address) is unreachable: \(error.message)", cause: error)
        }
    }

    private func dropConnection() async {
        discoverCall?.cancel()
        discoverCall = nil
        discoverResponses = nil
        if let connection { await connection.close() }
        connection = nil
    }

    /// Sends one unary naming call.
    private func unary(_ method: WireMethod, _ request: some SwiftProtobuf.Message) async throws -> V1_Response {
        let connection = try await connected()
        let bytes: [UInt8] = try request.serializedBytes()
        let response: UnaryResponse
        do {
            response = try await connection.unary(
                path: method.path, request: ByteBuffer(bytes: bytes), metadata: metadata,
                options: CallOptions(timeout: callTimeout))
        } catch let error as RPCError {
            await dropConnection()
            throw RegistryError(code: .unreachable, message: "registry \(address) is unreachable: \(error.message)", cause: error)
        }
        guard response.status.code == .ok, let message = response.message else {
            if response.status.code == .unavailable || response.status.code == .deadlineExceeded {
                await dropConnection()
                throw RegistryError(code: .unreachable, message: "registry \(address) did not answer \(method.name): \(response.status.message)")
            }
            throw RegistryError(
                code: .protocolError,
                message: "registry \(address) answered \(method.name) with gRPC status \(response.status.code) \(response.status.message) (is it a Polaris naming server?)")
        }
        do {
            return try V1_Response(serializedBytes: Array(buffer: message))
        } catch {
            throw RegistryError(code: .protocolError, message: "registry \(address) sent a \(method.name) answer that does not decode")
        }
    }

    /// RegisterInstance.
    public func register(_ instance: V1_Instance) async throws -> V1_Response {
        try await unary(WireMethod.PolarisNaming.registerInstance, instance)
    }

    /// DeregisterInstance.
    public func deregister(_ instance: V1_Instance) async throws -> V1_Response {
        try await unary(WireMethod.PolarisNaming.deregisterInstance, instance)
    }

    /// Heartbeat.
    public func heartbeat(_ instance: V1_Instance) async throws -> V1_Response {
        try await unary(WireMethod.PolarisNaming.heartbeat, instance)
    }

    /// One Discover question on the shared stream (opened on first use, reopened after a
    /// failure); the answer is the registry's, whatever its code.
    ///
    /// - Throws: ``RegistryError/Code/unreachable`` when the stream broke (the next call
    ///   reconnects), ``RegistryError/Code/protocolError`` for an undecodable answer.
    public func discover(_ request: V1_DiscoverRequest) async throws -> V1_DiscoverResponse {
        let bytes: [UInt8] = try request.serializedBytes()
        do {
            if discoverCall == nil {
                let connection = try await connected()
                let call = try await connection.makeCall(path: WireMethod.PolarisNaming.discover.path, metadata: metadata)
                discoverCall = call
                discoverResponses = ResponseReader(call.responses.makeAsyncIterator())
            }
            guard let call = discoverCall, let iterator = discoverResponses else {
                throw RegistryError(code: .unreachable, message: "registry \(address): the Discover stream is busy")
            }
            discoverResponses = nil
            try await call.send(ByteBuffer(bytes: bytes))
            guard let message = try await iterator.next() else {
                let status = try await call.status
                discoverCall = nil
                if status.code == .unimplemented {
                    throw RegistryError(code: .protocolError, message: "registry \(address) does not implement Discover (is it a Polaris naming server?)")
                }
                throw RegistryError(code: .unreachable, message: "registry \(address) ended the Discover stream: \(status.code) \(status.message)")
            }
            discoverResponses = iterator
            do {
                return try V1_DiscoverResponse(serializedBytes: Array(buffer: message))
            } catch {
                throw RegistryError(code: .protocolError, message: "registry \(address) sent a Discover answer that does not decode")
            }
        } catch let error as RPCError {
            await dropConnection()
            let reason = error.code == .callEnded ? "the Discover stream was cut (registry stopped or connection lost)" : error.message
            throw RegistryError(code: .unreachable, message: "registry \(address) is unreachable: \(reason)", cause: error)
        } catch let error as RegistryError {
            if error.code == .unreachable { await dropConnection() }
            throw error
        }
    }

    /// Discover(INSTANCE) for one service.
    public func discoverInstances(namespace: String, service: String, revision: String = "") async throws -> V1_DiscoverResponse {
        try await discover(V1_DiscoverRequest.with {
            $0.type = .instance
            $0.service.name = .with { $0.value = service }
            $0.service.namespace = .with { $0.value = namespace }
            if !revision.isEmpty { $0.service.revision = .with { $0.value = revision } }
            if let token { $0.service.token = .with { $0.value = token } }
        })
    }

    /// Discover(SERVICES) for a namespace (all when empty).
    public func discoverServices(namespace: String, revision: String = "") async throws -> V1_DiscoverResponse {
        try await discover(V1_DiscoverRequest.with {
            $0.type = .services
            $0.service.namespace = .with { $0.value = namespace }
            if !revision.isEmpty { $0.service.revision = .with { $0.value = revision } }
        })
    }

    /// Closes the connection.
    public func close() async {
        await dropConnection()
    }
}

extension RegistryError {
    /// The registry answered `response` to `what` with a code other than success.
    public static func rejected(_ what: String, code: UInt32, info: String) -> RegistryError {
        RegistryError(code: .rejected, message: "registry rejected \(what): \(code) \(info.isEmpty ? PolarisCode.info(code) : info)", responseCode: code)
    }
}

/// Holds a Discover stream's response iterator between questions. Only the owning
/// ``RegistryClient`` touches it, one question at a time.
final class ResponseReader: @unchecked Sendable {
    private var iterator: MessageStream.AsyncIterator

    init(_ iterator: MessageStream.AsyncIterator) { self.iterator = iterator }

    func next() async throws -> ByteBuffer? { try await iterator.next() }
}
