import ArgumentParser
import Foundation
import Registry
import SwiftProtobuf
import WireProtos

/// How `discover` prints.
enum DiscoverFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, ndjson
}

extension Polarisctl {
    /// `polarisctl discover`: the instances of a service, or the services of a namespace.
    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discover",
            abstract: "Show the instances of a service in a Polaris registry, or watch them change.",
            discussion: """
                --watch keeps one Discover stream open, asks again with the last revision every \
                --interval seconds, and prints only changes (added, removed, changed) with the \
                time; it survives a registry restart. --services lists the services instead.

                Examples:
                  polarisctl discover echo
                  polarisctl discover echo --format json
                  polarisctl discover echo --watch
                  polarisctl discover --services
                """).directlyParsed

        @OptionGroup(title: "Registry") var registry: RegistryOptions

        @Argument(help: "The service to discover.", completion: .registryServices)
        var service: String?

        @Flag(name: .customLong("services"), help: "List the services of the namespace instead.")
        var services = false

        @Flag(name: .customLong("healthy-only"), help: "Show only healthy instances; default: all.")
        var healthyOnly = false

        @Option(name: .customLong("format"), help: "Output: table, json or ndjson; default: table.")
        var format: DiscoverFormat = .table

        @Flag(name: .customLong("watch"), help: "Keep watching and print changes; default: off.")
        var watch = false

        @Option(name: .customLong("interval"), help: "Seconds between --watch refreshes; default: 2.")
        var interval: Double = 2

        func validate() throws {
            if services && service != nil { throw ValidationError("--services takes no service name") }
            if !services && service == nil { throw ValidationError("name a service, or give --services") }
            if services && watch { throw ValidationError("--watch works on one service, not with --services") }
            if let service, !InstanceRules.isValidName(service) {
                throw ValidationError("service name '\(service)' is not valid (letters, digits and -./:_, at most 128)")
            }
            if interval <= 0 || interval > 3600 { throw ValidationError("--interval must be between 0 and 3600 seconds") }
        }

        func run() async throws {
            let client = try registry.client()
            defer { Task { await client.close() } }
            if services {
                let response = try await client.discoverServices(namespace: registry.namespace)
                guard response.code.value == PolarisCode.executeSuccess else {
                    throw RegistryError.rejected("the service listing", code: response.code.value, info: response.info.value)
                }
                printServices(response.services)
                return
            }
            guard let service else { return }
            if watch {
                let task = Task { await watchLoop(client: client, service: service) }
                let signals = SignalCancellation { task.cancel() }
                defer { signals.restore() }
                await task.value
                return
            }
            let response = try await client.discoverInstances(namespace: registry.namespace, service: service)
            switch response.code.value {
            case PolarisCode.executeSuccess:
                printInstances(filtered(response.instances))
            case PolarisCode.notFoundResource:
                throw RegistryError(
                    code: .rejected, message: "registry \(registry.registry) has no service \(service) in namespace \(registry.namespace)",
                    responseCode: PolarisCode.notFoundResource)
            default:
                throw RegistryError.rejected("the discovery", code: response.code.value, info: response.info.value)
            }
        }

        private func filtered(_ instances: [V1_Instance]) -> [V1_Instance] {
            let list = healthyOnly ? instances.filter { $0.healthy.value } : instances
            return list.sorted { ($0.host.value, $0.port.value) < ($1.host.value, $1.port.value) }
        }

        // MARK: Watch

        private func watchLoop(client: RegistryClient, service: String) async {
            var known: [String: V1_Instance] = [:]
            var revision = ""
            var failing = false
            while !Task.isCancelled {
                do {
                    let response = try await client.discoverInstances(namespace: registry.namespace, service: service, revision: revision)
                    if failing {
                        Terminal.standardError("polarisctl: registry \(registry.registry) is reachable again")
                        failing = false
                    }
                    switch response.code.value {
                    case PolarisCode.executeSuccess:
                        revision = response.service.revision.value
                        report(changesFrom: known, to: filtered(response.instances), into: &known)
                    case PolarisCode.notFoundResource:
                        revision = ""
                        report(changesFrom: known, to: [], into: &known)
                    default:
                        break
                    }
                } catch let error as RegistryError {
                    if !failing {
                        Terminal.standardError("polarisctl: \(error.message); retrying every \(KeeperMessages.formatSeconds(interval))")
                        failing = true
                    }
                } catch {
                    break
                }
                do { try await Task.sleep(for: .seconds(interval)) } catch { break }
            }
        }

        private func report(changesFrom old: [String: V1_Instance], to list: [V1_Instance], into known: inout [String: V1_Instance]) {
            let now = Self.timestamp()
            var next: [String: V1_Instance] = [:]
            for instance in list {
                let id = instance.id.value
                next[id] = instance
                if let before = old[id] {
                    if Self.row(before) != Self.row(instance) { emit(now, "changed", instance) }
                } else {
                    emit(now, "added", instance)
                }
            }
            for (id, instance) in old.sorted(by: { $0.key < $1.key }) where next[id] == nil {
                emit(now, "removed", instance)
            }
            known = next
            fflush(nil)
        }

        private func emit(_ time: String, _ change: String, _ instance: V1_Instance) {
            switch format {
            case .table:
                let row = Self.row(instance)
                print("\(time) \(change.padding(toLength: 7, withPad: " ", startingAt: 0)) \(row[0]) weight=\(row[1]) healthy=\(row[2]) isolated=\(row[3]) version=\(row[4]) metadata=\(row[5]) id=\(row[6])")
            case .json, .ndjson:
                print(Self.json(["time": time, "change": change, "instance": Self.object(instance)], pretty: false))
            }
        }

        static func timestamp() -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.string(from: Date())
        }

        // MARK: Output

        static func row(_ instance: V1_Instance) -> [String] {
            let metadata = instance.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return [
                "\(instance.host.value):\(instance.port.value)", "\(instance.weight.value)", "\(instance.healthy.value)",
                "\(instance.isolate.value)", instance.version.value.isEmpty ? "-" : instance.version.value,
                metadata.isEmpty ? "-" : metadata, instance.id.value,
            ]
        }

        static func object(_ instance: V1_Instance) -> [String: Any] {
            var object: [String: Any] = [
                "id": instance.id.value, "host": instance.host.value, "port": Int(instance.port.value),
                "weight": Int(instance.weight.value), "healthy": instance.healthy.value, "isolated": instance.isolate.value,
                "priority": Int(instance.priority.value), "metadata": instance.metadata,
            ]
            if instance.hasVersion { object["version"] = instance.version.value }
            if instance.hasProtocol { object["protocol"] = instance.protocol.value }
            if instance.enableHealthCheck.value { object["ttl"] = Int(instance.healthCheck.heartbeat.ttl.value) }
            return object
        }

        static func json(_ value: Any, pretty: Bool) -> String {
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if pretty { options.insert(.prettyPrinted) }
            if let list = value as? [Any], list.isEmpty { return "[]" }  // Foundation pretty-prints it as "[\n\n]"
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: options) else { return "{}" }
            return String(decoding: data, as: UTF8.self)
        }

        private func printInstances(_ instances: [V1_Instance]) {
            switch format {
            case .table:
                Self.printTable(["ADDRESS", "WEIGHT", "HEALTHY", "ISOLATED", "VERSION", "METADATA", "ID"], instances.map(Self.row))
            case .json:
                print(Self.json(instances.map(Self.object), pretty: true))
            case .ndjson:
                for instance in instances { print(Self.json(Self.object(instance), pretty: false)) }
            }
        }

        private func printServices(_ services: [V1_Service]) {
            let rows = services.map { [$0.namespace.value, $0.name.value] }.sorted { $0.joined() < $1.joined() }
            switch format {
            case .table:
                Self.printTable(["NAMESPACE", "SERVICE"], rows)
            case .json:
                print(Self.json(rows.map { ["namespace": $0[0], "name": $0[1]] }, pretty: true))
            case .ndjson:
                for row in rows { print(Self.json(["namespace": row[0], "name": row[1]], pretty: false)) }
            }
        }

        static func printTable(_ header: [String], _ rows: [[String]]) {
            var widths = header.map(\.count)
            for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
            for row in [header] + rows {
                let cells = row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }
                print(cells.joined(separator: "  "))
            }
        }
    }
}
