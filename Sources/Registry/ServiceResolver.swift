import SwiftProtobuf
public import WireProtos

/// A `polaris://[namespace/]service` address.
public struct PolarisTarget: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String
    public var service: String

    /// Whether `text` is a `polaris://` address.
    public static func matches(_ text: String) -> Bool { text.hasPrefix("polaris://") }

    /// Parses `polaris://service` (namespace `default`) or `polaris://namespace/service`.
    ///
    /// - Throws: ``RegistryError/Code/invalidArgument`` for an empty or invalid name.
    public init(parsing text: String, defaultNamespace: String = "default") throws {
        guard Self.matches(text) else {
            throw RegistryError(code: .invalidArgument, message: "'\(text)' is not a polaris:// address")
        }
        var rest = String(text.dropFirst("polaris://".count))
        if rest.hasSuffix("/") { rest.removeLast() }
        if let slash = rest.firstIndex(of: "/") {
            namespace = String(rest[..<slash])
            service = String(rest[rest.index(after: slash)...])
        } else {
            namespace = defaultNamespace
            service = rest
        }
        guard InstanceRules.isValidName(namespace), InstanceRules.isValidName(service) else {
            throw RegistryError(
                code: .invalidArgument,
                message: "'\(text)' is not a valid polaris://[namespace/]service address (names use letters, digits and -./:_)")
        }
    }

    public var description: String { "polaris://\(namespace)/\(service)" }
}

/// Resolves services through a registry with a local cache refreshed by revision: a
/// repeated resolve sends the cached revision and keeps the cache on DataNoChange.
public actor ServiceResolver {
    public let client: RegistryClient
    private var cache: [PolarisTarget: (revision: String, instances: [V1_Instance])] = [:]

    public init(client: RegistryClient) { self.client = client }

    /// The revision of the cached copy of `target` (nil when not cached).
    public func cachedRevision(of target: PolarisTarget) -> String? { cache[target]?.revision }

    /// Every instance of `target` (unfiltered), refreshed from the registry.
    ///
    /// - Throws: ``RegistryError`` (``RegistryError/Code/rejected`` with 400202 for an
    ///   unknown service, ``RegistryError/Code/unreachable``).
    public func instances(of target: PolarisTarget) async throws -> [V1_Instance] {
        let cached = cache[target]
        let response = try await client.discoverInstances(
            namespace: target.namespace, service: target.service, revision: cached?.revision ?? "")
        switch response.code.value {
        case PolarisCode.dataNoChange:
            return cached?.instances ?? []
        case PolarisCode.executeSuccess:
            cache[target] = (response.service.revision.value, response.instances)
            return response.instances
        case PolarisCode.notFoundResource:
            cache[target] = nil
            throw RegistryError(
                code: .rejected, message: "registry \(client.address) has no service \(target.service) in namespace \(target.namespace)",
                responseCode: PolarisCode.notFoundResource)
        default:
            throw RegistryError.rejected("the discovery of \(target)", code: response.code.value, info: response.info.value)
        }
    }

    /// The selectable instances of `target` (see ``LoadBalancer/selectable(_:)``).
    ///
    /// - Throws: as ``instances(of:)``, and ``RegistryError/Code/rejected`` when none is usable.
    public func selectable(_ target: PolarisTarget) async throws -> [V1_Instance] {
        let all = try await instances(of: target)
        let usable = LoadBalancer.selectable(all)
        guard !usable.isEmpty else {
            throw RegistryError(
                code: .rejected,
                message: "service \(target) has no usable instance (\(all.count) registered; isolated or weight 0)",
                responseCode: PolarisCode.notFoundResource)
        }
        return usable
    }
}
