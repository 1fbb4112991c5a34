import SwiftProtobuf
import Foundation
public import WireProtos

/// Keeps one instance registered the way polaris-go does: register (retrying with backoff
/// while the registry is unreachable), heartbeat every TTL with the first one TTL after
/// registering, register again after three failed heartbeats in a row, and deregister when
/// the task running ``run(onEvent:)`` is cancelled.
public struct InstanceKeeper: Sendable {
    /// What happened, for the caller to report (the library never prints).
    public enum Event: Sendable {
        /// Registered; carries the instance id.
        case registered(id: String)
        /// Registered again after failed heartbeats.
        case reregistered(id: String)
        /// The register failed; the next try is after `retryIn` seconds.
        case registerFailed(RegistryError, retryIn: Double)
        /// A heartbeat failed; `consecutive` counts failures in a row.
        case heartbeatFailed(RegistryError, consecutive: Int)
        /// A heartbeat succeeded after failures.
        case heartbeatRecovered
        /// Deregistered on stop (or the deregister failed).
        case deregistered(id: String)
        case deregisterFailed(RegistryError)
    }

    public let client: RegistryClient
    public let instance: V1_Instance
    /// Seconds between heartbeats (the instance's TTL).
    public let ttl: Double
    /// Longest wait between register retries.
    public let maxBackoff: Double

    /// Failed heartbeats in a row that trigger a new registration (polaris-go: more than 2).
    public static let heartbeatFailuresBeforeRegister = 3

    public init(client: RegistryClient, instance: V1_Instance, ttl: Double, maxBackoff: Double = 5) {
        self.client = client
        self.instance = instance
        self.ttl = ttl
        self.maxBackoff = maxBackoff
    }

    /// The heartbeat request: identity fields (and token) of the registered instance.
    var heartbeatRequest: V1_Instance {
        var beat = V1_Instance()
        if instance.hasID { beat.id = instance.id }
        beat.service = instance.service
        beat.namespace = instance.namespace
        beat.host = instance.host
        beat.port = instance.port
        if instance.hasServiceToken { beat.serviceToken = instance.serviceToken }
        return beat
    }

    /// Registers until it succeeds (or the task is cancelled); a rejection ends with the error.
    ///
    /// - Throws: ``RegistryError/Code/rejected`` when the registry refuses the instance,
    ///   `CancellationError` when cancelled before registering.
    func registerWithRetry(again: Bool = false, onEvent: @Sendable (Event) -> Void) async throws -> String {
        var delay = 0.5
        while true {
            do {
                let response = try await client.register(instance)
                guard PolarisCode.isRegistered(response.code.value) else {
                    throw RegistryError.rejected("the registration", code: response.code.value, info: response.info.value)
                }
                let id = response.instance.id.value
                onEvent(again ? .reregistered(id: id) : .registered(id: id))
                return id
            } catch let error as RegistryError where error.code == .unreachable {
                onEvent(.registerFailed(error, retryIn: delay))
                try await Task.sleep(for: .seconds(delay))
                delay = min(delay * 2, maxBackoff)
            }
        }
    }

    /// Registers, heartbeats until cancelled, then deregisters.
    ///
    /// - Throws: ``RegistryError/Code/rejected`` when the registry refuses the instance
    ///   (nothing to deregister then).
    public func run(onEvent: @escaping @Sendable (Event) -> Void) async throws {
        let id: String
        do {
            id = try await registerWithRetry(onEvent: onEvent)
        } catch is CancellationError {
            return
        }
        var failures = 0
        let beat = heartbeatRequest
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(ttl))
            } catch {
                break
            }
            do {
                let response = try await client.heartbeat(beat)
                guard response.code.value == PolarisCode.executeSuccess else {
                    throw RegistryError.rejected("a heartbeat", code: response.code.value, info: response.info.value)
                }
                if failures > 0 { onEvent(.heartbeatRecovered) }
                failures = 0
            } catch let error as RegistryError {
                failures += 1
                onEvent(.heartbeatFailed(error, consecutive: failures))
                if failures >= Self.heartbeatFailuresBeforeRegister {
                    do {
                        _ = try await registerWithRetry(again: true, onEvent: onEvent)
                        failures = 0
                    } catch is CancellationError {
                        break
                    }
                }
            }
        }
        // Cancelled: deregister outside the cancelled task so the call is not cut short.
        let client = self.client
        var request = beat
        request.id = .with { $0.value = id }
        let outcome = await Task.detached { () -> RegistryError? in
            do {
                let response = try await client.deregister(request)
                return PolarisCode.isGone(response.code.value)
                    ? nil : RegistryError.rejected("the deregistration", code: response.code.value, info: response.info.value)
            } catch let error as RegistryError {
                return error
            } catch {
                return RegistryError(code: .unreachable, message: "\(error)")
            }
        }.value
        if let outcome { onEvent(.deregisterFailed(outcome)) } else { onEvent(.deregistered(id: id)) }
    }
}
