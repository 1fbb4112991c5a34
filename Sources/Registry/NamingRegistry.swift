import Foundation
import Synchronization
public import WireProtos
import SwiftProtobuf

/// The embedded registry's semantics, as a Polaris server behaves (see
/// `polaris-naming.md`): sha1 instance ids, upsert on re-register, defaults, TTL clamp,
/// unhealthy after three TTLs without a heartbeat, idempotent deregister, per-service
/// revisions with DataNoChange, NotFoundResource for unknown services.
///
/// Every method takes a decoded request and returns the answer; the transport lives in
/// ``RegistryService``. A write is committed to the ``RegistryStore`` (when there is one)
/// before it is answered; a store failure answers 500001 and changes nothing.
public final class NamingRegistry: Sendable {
    struct ServiceKey: Hashable {
        var namespace: String
        var name: String
    }

    struct InstanceEntry {
        var instance: V1_Instance
        /// The heartbeat TTL in seconds, or nil when the instance is not health-checked.
        var ttl: UInt32?
        var lastBeat: Double
    }

    struct ServiceEntry {
        var ctime: String
        var instances: [String: InstanceEntry] = [:]
        /// Cached revision and sorted instance list (nil after a change).
        var revision: String?
        var sorted: [V1_Instance]?
        /// The sorted instances encoded as DiscoverResponse field 5 (nil after a change).
        var encoded: [UInt8]?
    }

    struct State {
        var store: RegistryStore?
        var services: [ServiceKey: ServiceEntry] = [:]
        var owner: [String: ServiceKey] = [:]
        var heartbeatMisses: [String: Int] = [:]
        var servicesRevision: [String: String] = [:]
    }

    private let state: Mutex<State>
    private let clock: RegistryClock
    private let token: String?

    /// How many heartbeats for an unknown id still answer success (the server's limit).
    static let unknownHeartbeatGrace = 4

    /// A registry over `store` (nil keeps everything in memory).
    ///
    /// - Parameters:
    ///   - store: Where writes go; its content is loaded now. TTL instances count as just
    ///     beaten, so they are judged by heartbeats from now on.
    ///   - token: When set, writes need it (`x-polaris-token` or the request's service token).
    ///   - clock: The time source.
    /// - Throws: ``RegistryError`` from reading the store.
    public init(store: sending RegistryStore?, token: String? = nil, clock: RegistryClock = .system) throws {
        var initial = State()
        let now = clock.now()
        if let store {
            for row in try store.loadServices() {
                initial.services[ServiceKey(namespace: row.namespace, name: row.name)] = ServiceEntry(ctime: row.ctime)
            }
            for instance in try store.loadInstances() {
                let key = ServiceKey(namespace: instance.namespace.value, name: instance.service.value)
                let ttl = instance.enableHealthCheck.value ? instance.healthCheck.heartbeat.ttl.value : nil
                initial.services[key, default: ServiceEntry(ctime: instance.ctime.value)].instances[instance.id.value] =
                    InstanceEntry(instance: instance, ttl: ttl, lastBeat: now)
                initial.owner[instance.id.value] = key
            }
        }
        initial.store = store
        self.state = Mutex(initial)
        self.clock = clock
        self.token = token?.isEmpty == true ? nil : token
    }

    // MARK: - Responses

    static func response(_ code: UInt32, instance: V1_Instance? = nil) -> V1_Response {
        var response = V1_Response()
        response.code = .with { $0.value = code }
        response.info = .with { $0.value = PolarisCode.info(code) }
        if let instance { response.instance = instance }
        return response
    }

    private func authorized(_ requestToken: Google_Protobuf_StringValue?, header: String?) -> Bool {
        guard let token else { return true }
        if let requestToken, !requestToken.value.isEmpty { return requestToken.value == token }
        return header == token
    }

    /// `yyyy-MM-dd HH:mm:ss` in UTC, as the server writes ctime/mtime.
    static func timestamp(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// Checks namespace, service, host and port; returns the id the instance has, or an
    /// error code.
    /// A write's answer when it is refused before it touches any state.
    private struct Refusal: Error {
        var response: V1_Response
    }

    /// The checks every write starts with: the token, then the instance's id
    /// (given, or derived from namespace/service/host/port).
    private func admit(_ request: V1_Instance, headerToken: String?, forRegister: Bool) -> Result<String, Refusal> {
        guard authorized(request.hasServiceToken ? request.serviceToken : nil, header: headerToken) else {
            return .failure(Refusal(response: Self.response(PolarisCode.unauthorized)))
        }
        return Self.identify(request, forRegister: forRegister).mapError { Refusal(response: Self.response($0.code)) }
    }

    private static func identify(_ instance: V1_Instance, forRegister: Bool) -> Result<String, Problem> {
        if !forRegister && instance.hasID {
            guard !instance.id.value.isEmpty else { return .failure(Problem(PolarisCode.invalidInstanceID)) }
            return .success(instance.id.value)
        }
        guard instance.hasService, InstanceRules.isValidName(instance.service.value) else {
            return .failure(Problem(PolarisCode.invalidServiceName))
        }
        guard instance.hasNamespace, InstanceRules.isValidName(instance.namespace.value) else {
            return .failure(Problem(PolarisCode.invalidNamespaceName))
        }
        let host = instance.host.value
        guard instance.hasHost, !host.isEmpty, host.utf8.count <= InstanceRules.maxNameLength else {
            return .failure(Problem(PolarisCode.invalidInstanceHost))
        }
        guard instance.hasPort, instance.port.value <= 65535 else {
            return .failure(Problem(PolarisCode.invalidInstancePort))
        }
        if forRegister && instance.hasID && !instance.id.value.isEmpty { return .success(instance.id.value) }
        return .success(InstanceRules.instanceID(
            namespace: instance.namespace.value, service: instance.service.value,
            host: host, port: instance.port.value, vpcID: instance.vpcID.value))
    }

    struct Problem: Error {
        var code: UInt32
        init(_ code: UInt32) { self.code = code }
    }

    // MARK: - Register, deregister, heartbeat

    /// RegisterInstance: validates, stamps defaults, upserts.
    ///
    /// - Parameters:
    ///   - request: The instance as sent.
    ///   - headerToken: The `x-polaris-token` metadata value.
    /// - Returns: 200000 with id/service/namespace/vpc_id/host/port, or an error code.
    public func register(_ request: V1_Instance, headerToken: String? = nil) -> V1_Response {
        let id: String
        switch admit(request, headerToken: headerToken, forRegister: true) {
        case .failure(let refusal): return refusal.response
        case .success(let value): id = value
        }
        if request.hasWeight && request.weight.value > 65535 { return Self.response(PolarisCode.badRequest) }
        if InstanceRules.metadataProblem(request.metadata) != nil { return Self.response(PolarisCode.invalidMetadata) }

        let now = clock.now()
        let stamp = Self.timestamp(now)
        let key = ServiceKey(namespace: request.namespace.value, name: request.service.value)
        var stored = request
        stored.id = .with { $0.value = id }
        stored.clearServiceToken()
        if !request.hasHealthy { stored.healthy = .with { $0.value = true } }
        if !request.hasWeight { stored.weight = .with { $0.value = 100 } }
        if !request.hasPriority { stored.priority = .with { $0.value = 0 } }
        var ttl: UInt32?
        if request.hasHealthCheck && request.healthCheck.hasHeartbeat && (!request.hasEnableHealthCheck || request.enableHealthCheck.value) {
            let clamped = InstanceRules.clampTTL(request.healthCheck.heartbeat.ttl.value)
            stored.healthCheck.type = .heartbeat
            stored.healthCheck.heartbeat.ttl = .with { $0.value = clamped }
            stored.enableHealthCheck = .with { $0.value = true }
            ttl = clamped
        } else {
            stored.enableHealthCheck = .with { $0.value = false }
        }
        stored.mtime = .with { $0.value = stamp }
        stored.revision = .with { $0.value = UUID().uuidString.lowercased() }

        return state.withLock { state -> V1_Response in
            let existing = state.owner[id].flatMap { state.services[$0]?.instances[id] }
            if !request.hasIsolate { stored.isolate = .with { $0.value = existing?.instance.isolate.value ?? false } }
            stored.ctime = .with { $0.value = existing?.instance.ctime.value ?? stamp }
            let newService = state.services[key] == nil
            if let store = state.store {
                do {
                    try store.transaction {
                        if newService { try store.insertService(.init(namespace: key.namespace, name: key.name, ctime: stamp)) }
                        try store.upsertInstance(stored)
                    }
                } catch {
                    return Self.response(PolarisCode.storeLayerException)
                }
            }
            // A re-register may move the id to another service (a caller-given id).
            if let previous = state.owner[id], previous != key {
                state.services[previous]?.instances[id] = nil
                state.services[previous]?.invalidate()
            }
            if newService { state.services[key] = ServiceEntry(ctime: stamp) }
            state.services[key]?.instances[id] = InstanceEntry(instance: stored, ttl: ttl, lastBeat: now)
            state.services[key]?.invalidate()
            state.owner[id] = key
            state.heartbeatMisses[id] = nil
            state.servicesRevision = [:]
            var echo = V1_Instance()
            echo.id = stored.id
            echo.service = stored.service
            echo.namespace = stored.namespace
            if stored.hasVpcID { echo.vpcID = stored.vpcID }
            echo.host = stored.host
            echo.port = stored.port
            return Self.response(PolarisCode.executeSuccess, instance: echo)
        }
    }

    /// DeregisterInstance: removes by id or by namespace/service/host/port; unknown is success.
    public func deregister(_ request: V1_Instance, headerToken: String? = nil) -> V1_Response {
        let id: String
        switch admit(request, headerToken: headerToken, forRegister: false) {
        case .failure(let refusal): return refusal.response
        case .success(let value): id = value
        }
        var echo = request
        echo.clearServiceToken()
        return state.withLock { state -> V1_Response in
            guard let key = state.owner[id] else { return Self.response(PolarisCode.executeSuccess, instance: echo) }
            if let store = state.store {
                do { try store.deleteInstance(id: id) } catch { return Self.response(PolarisCode.storeLayerException) }
            }
            state.services[key]?.instances[id] = nil
            state.services[key]?.invalidate()
            state.owner[id] = nil
            return Self.response(PolarisCode.executeSuccess, instance: echo)
        }
    }

    /// Heartbeat: marks the instance alive (healthy again if it had expired). An unknown id
    /// answers success four times, then NotFoundResource.
    public func heartbeat(_ request: V1_Instance, headerToken: String? = nil) -> V1_Response {
        let id: String
        switch admit(request, headerToken: headerToken, forRegister: false) {
        case .failure(let refusal): return refusal.response
        case .success(let value): id = value
        }
        let code = beat(id: id)
        var echo = request
        echo.clearServiceToken()
        return Self.response(code, instance: echo)
    }

    /// One heartbeat by id; returns the answer code.
    func beat(id: String) -> UInt32 {
        let now = clock.now()
        return state.withLock { state -> UInt32 in
            guard let key = state.owner[id], var entry = state.services[key]?.instances[id] else {
                if state.heartbeatMisses.count > 100_000 { state.heartbeatMisses = [:] }
                let misses = state.heartbeatMisses[id, default: 0] + 1
                state.heartbeatMisses[id] = misses
                return misses <= Self.unknownHeartbeatGrace ? PolarisCode.executeSuccess : PolarisCode.notFoundResource
            }
            entry.lastBeat = now
            if entry.ttl != nil && !entry.instance.healthy.value {
                entry.instance.healthy = .with { $0.value = true }
                entry.instance.mtime = .with { $0.value = Self.timestamp(now) }
                entry.instance.revision = .with { $0.value = UUID().uuidString.lowercased() }
                if let store = state.store {
                    do { try store.upsertInstance(entry.instance) } catch { return PolarisCode.storeLayerException }
                }
                state.services[key]?.invalidate()
            }
            state.services[key]?.instances[id] = entry
            return PolarisCode.executeSuccess
        }
    }

    /// BatchHeartbeat: one beat per entry (by id, else by namespace/service/host/port).
    public func batchHeartbeat(_ request: V1_HeartbeatsRequest) {
        for beat in request.heartbeats {
            let id = beat.instanceID.isEmpty
                ? InstanceRules.instanceID(namespace: beat.namespace, service: beat.service, host: beat.host, port: beat.port)
                : beat.instanceID
            _ = self.beat(id: id)
        }
    }

    /// ReportClient: accepted and echoed.
    public func reportClient(_ client: V1_Client) -> V1_Response {
        var response = Self.response(PolarisCode.executeSuccess)
        response.client = client
        return response
    }

    // MARK: - Health

    /// Marks unhealthy every TTL instance whose last heartbeat is more than three TTLs old.
    ///
    /// - Returns: How many instances turned unhealthy.
    @discardableResult
    public func judgeHealth() -> Int {
        let now = clock.now()
        return state.withLock { state -> Int in
            var expired: [(ServiceKey, String)] = []
            for (key, service) in state.services {
                for (id, entry) in service.instances {
                    if let ttl = entry.ttl, entry.instance.healthy.value, now - entry.lastBeat > 3 * Double(ttl) {
                        expired.append((key, id))
                    }
                }
            }
            guard !expired.isEmpty else { return 0 }
            let stamp = Self.timestamp(now)
            var changed: [(ServiceKey, String, V1_Instance)] = []
            for (key, id) in expired {
                guard var instance = state.services[key]?.instances[id]?.instance else { continue }
                instance.healthy = .with { $0.value = false }
                instance.mtime = .with { $0.value = stamp }
                instance.revision = .with { $0.value = UUID().uuidString.lowercased() }
                changed.append((key, id, instance))
            }
            if let store = state.store {
                do {
                    try store.transaction { for (_, _, instance) in changed { try store.upsertInstance(instance) } }
                } catch {
                    return 0
                }
            }
            for (key, id, instance) in changed {
                state.services[key]?.instances[id]?.instance = instance
                state.services[key]?.invalidate()
            }
            return changed.count
        }
    }

    // MARK: - Discover

    /// Answers one Discover request.
    public func discover(_ request: V1_DiscoverRequest) -> V1_DiscoverResponse {
        answer(request, encodeInstances: false).response
    }

    /// Answers one Discover request, encoded. An INSTANCE answer reuses the instances
    /// encoded once per revision, so a large service costs a copy, not an encoding.
    public func discoverEncoded(_ request: V1_DiscoverRequest) throws -> [UInt8] {
        let (response, encoded) = answer(request, encodeInstances: true)
        var bytes: [UInt8] = try response.serializedBytes()
        if let encoded { bytes += encoded }
        return bytes
    }

    private func answer(_ request: V1_DiscoverRequest, encodeInstances: Bool) -> (response: V1_DiscoverResponse, encoded: [UInt8]?) {
        var encoded: [UInt8]?
        var response = V1_DiscoverResponse()
        response.direction = request.direction
        response.service = request.service
        response.service.clearToken()
        switch request.type {
        case .instance:
            response.type = .instance
            let key = ServiceKey(namespace: request.service.namespace.value, name: request.service.name.value)
            let found = state.withLock { state -> (String, [V1_Instance], String, [UInt8]?)? in
                guard var entry = state.services[key] else { return nil }
                let revision = entry.currentRevision()
                let sorted = entry.sorted ?? []
                let bytes = encodeInstances && request.service.revision.value != revision ? entry.encodedInstances() : nil
                state.services[key] = entry
                return (revision, sorted, entry.ctime, bytes)
            }
            guard let (revision, instances, ctime, bytes) = found else {
                Self.setCode(&response, PolarisCode.notFoundResource)
                return (response, nil)
            }
            if request.service.revision.value == revision {
                Self.setCode(&response, PolarisCode.dataNoChange)
                return (response, nil)
            }
            Self.setCode(&response, PolarisCode.executeSuccess)
            response.service.revision = .with { $0.value = revision }
            response.service.ctime = .with { $0.value = ctime }
            response.service.totalInstanceCount = .with { $0.value = UInt32(instances.count) }
            response.service.healthyInstanceCount = .with { $0.value = UInt32(instances.count { $0.healthy.value }) }
            if encodeInstances { encoded = bytes } else { response.instances = instances }
            var alias = V1_Service()
            alias.name = response.service.name
            alias.namespace = response.service.namespace
            response.aliasFor = alias
        case .services:
            response.type = .services
            let namespace = request.service.namespace.value
            let (revision, services) = state.withLock { state -> (String, [V1_Service]) in
                let keys = state.services.keys
                    .filter { namespace.isEmpty || $0.namespace == namespace }
                    .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
                let revision = state.servicesRevision[namespace] ?? SHA1.hex(keys.map { "\($0.namespace)##\($0.name)\n" }.joined())
                state.servicesRevision[namespace] = revision
                let services = keys.map { key in
                    V1_Service.with {
                        $0.name = .with { $0.value = key.name }
                        $0.namespace = .with { $0.value = key.namespace }
                    }
                }
                return (revision, services)
            }
            if request.service.revision.value == revision {
                Self.setCode(&response, PolarisCode.dataNoChange)
                return (response, nil)
            }
            Self.setCode(&response, PolarisCode.executeSuccess)
            response.service.revision = .with { $0.value = revision }
            response.services = services
        case .unknown, .cluster, .UNRECOGNIZED:
            response.type = .routing
            Self.setCode(&response, PolarisCode.invalidDiscoverResource)
        default:
            // Rule types: an empty success of the requested type.
            response.type = V1_DiscoverResponse.DiscoverResponseType(rawValue: request.type.rawValue) ?? .routing
            Self.setCode(&response, PolarisCode.executeSuccess)
        }
        return (response, encoded)
    }

    private static func setCode(_ response: inout V1_DiscoverResponse, _ code: UInt32) {
        response.code = .with { $0.value = code }
        response.info = .with { $0.value = PolarisCode.info(code) }
    }

    /// The number of instances held (all services).
    public var instanceCount: Int {
        state.withLock { state in state.services.values.reduce(0) { $0 + $1.instances.count } }
    }
}

extension NamingRegistry.ServiceEntry {
    mutating func invalidate() {
        revision = nil
        sorted = nil
        encoded = nil
    }

    /// The sorted instances as repeated field 5 of a DiscoverResponse (call after
    /// ``currentRevision()``).
    mutating func encodedInstances() -> [UInt8] {
        if let encoded { return encoded }
        var bytes: [UInt8] = []
        for instance in sorted ?? [] {
            guard let body = try? instance.serializedBytes() as [UInt8] else { continue }
            bytes.append(0x2A)  // field 5, length-delimited
            var length = UInt64(body.count)
            while length >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
                length >>= 7
            }
            bytes.append(UInt8(length))
            bytes += body
        }
        encoded = bytes
        return bytes
    }

    /// The revision (sha1 over the instances' ids and revisions, sha1("") when empty),
    /// computed once per change together with the sorted instance list.
    mutating func currentRevision() -> String {
        if let revision, sorted != nil { return revision }
        let list = instances.values.map(\.instance).sorted { $0.id.value < $1.id.value }
        var text = ""
        for instance in list { text += instance.id.value + ":" + instance.revision.value + "\n" }
        let computed = SHA1.hex(text)
        revision = computed
        sorted = list
        return computed
    }
}
