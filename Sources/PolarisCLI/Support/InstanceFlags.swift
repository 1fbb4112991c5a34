import ArgumentParser
import Registry
import SwiftProtobuf
import WireProtos

/// Checks of instance flags against the Polaris server's limits, shared by `register` and `serve --register`.
enum InstanceFlags {
    /// A host: a DNS name or IP literal, at most 128 characters.
    static func checkHost(_ host: String, flag: String) throws {
        let allowed = host.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "%"):
                true
            default:
                false
            }
        }
        guard !host.isEmpty, host.utf8.count <= InstanceRules.maxNameLength, allowed, !host.hasPrefix("-"), !host.hasPrefix(".") else {
            throw ValidationError("\(flag) '\(host)' is not a host name or IP address (at most \(InstanceRules.maxNameLength) characters)")
        }
    }

    /// `k=v` entries as a map, checked against the server's metadata limits.
    static func metadata(_ entries: [String], flag: String) throws -> [String: String] {
        var metadata: [String: String] = [:]
        for entry in entries {
            guard let equals = entry.firstIndex(of: "=") else {
                throw ValidationError("\(flag) '\(entry)' must look like key=value")
            }
            let key = String(entry[..<equals])
            if key.isEmpty { throw ValidationError("\(flag) '\(entry)' has an empty key") }
            metadata[key] = String(entry[entry.index(after: equals)...])
        }
        if let problem = InstanceRules.metadataProblem(metadata) { throw ValidationError("\(flag): \(problem)") }
        return metadata
    }
}

/// Builds instances for registration requests.
enum V1Instances {
    static func make(namespace: String, service: String, host: String, port: UInt32, ttl: UInt32?, token: String?) -> V1_Instance {
        V1_Instance.with {
            $0.namespace = .with { $0.value = namespace }
            $0.service = .with { $0.value = service }
            $0.host = .with { $0.value = host }
            $0.port = .with { $0.value = port }
            if let ttl {
                $0.healthCheck = .with { $0.type = .heartbeat; $0.heartbeat.ttl = .with { $0.value = ttl } }
            }
            if let token, !token.isEmpty { $0.serviceToken = .with { $0.value = token } }
        }
    }
}

/// Turns keeper events into stderr lines.
enum KeeperMessages {
    @Sendable static func report(_ event: InstanceKeeper.Event) {
        switch event {
        case .registered(let id):
            Terminal.note("polarisctl: registered instance \(id)")
        case .reregistered(let id):
            Terminal.note("polarisctl: registered instance \(id) again after failed heartbeats")
        case .registerFailed(let error, let retryIn):
            Terminal.standardError("polarisctl: \(error.message); retrying in \(formatSeconds(retryIn))")
        case .heartbeatFailed(let error, let consecutive):
            Terminal.standardError("polarisctl: heartbeat failed (\(consecutive) in a row): \(error.message)")
        case .heartbeatRecovered:
            Terminal.note("polarisctl: heartbeats succeed again")
        case .deregistered(let id):
            Terminal.note("polarisctl: deregistered instance \(id)")
        case .deregisterFailed(let error):
            Terminal.standardError("polarisctl: deregister failed: \(error.message)")
        }
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
