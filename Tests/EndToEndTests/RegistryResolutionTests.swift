import Foundation
import Testing

/// `call polaris://...`: resolution through the embedded registry, load balancing over
/// independent grpcio servers, filtering of dead and unhealthy instances.
@Suite(.serialized) struct RegistryResolutionTests {
    static func callVia(_ target: String, registry: String, extra: [String] = []) throws -> (status: Int32, server: String?, stderr: String) {
        let result = try CLI.run(["call", target, "helloworld.Greeter/SayHello", "--plaintext", "--registry", registry,
                                  "--proto", CLI.examples + "/greeter.proto", "--use-reflection", "false",
                                  "-d", #"{"name":"lb"}"#, "-v"] + extra)
        let server = result.stderr.split(separator: "\n").first { $0.hasPrefix("server: ") }.map { String($0.dropFirst(8)) }
        return (result.status, server, result.stderr)
    }

    @Test func callsSpreadByWeightAndAvoidDeadAndUnhealthyInstances() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let servers = try (0..<3).map { _ in try PeerServer(script: "example_server.py") }
        defer { servers.forEach { $0.stop() } }
        let weights = [100, 100, 300]
        let keepers = try zip(servers, weights).map { server, weight in
            try BackgroundProcess.polarisctl(["register", "greeter", "--host", "127.0.0.1", "--port", "\(server.port)",
                                              "--weight", "\(weight)", "--ttl", "1", "--registry", registry.address])
        }
        defer { keepers.forEach { $0.stop() } }
        for keeper in keepers { #expect(keeper.waitForLine { $0.count == 40 } != nil) }

        var counts: [String: Int] = [:]
        let calls = 40
        for _ in 0..<calls {
            let outcome = try Self.callVia("polaris://greeter", registry: registry.address)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            counts[outcome.server ?? "?", default: 0] += 1
        }
        // Expected 8 / 8 / 24; the bounds are more than three standard deviations wide.
        #expect((1...17).contains(counts[servers[0].address, default: 0]), "\(counts)")
        #expect((1...17).contains(counts[servers[1].address, default: 0]), "\(counts)")
        #expect((14...34).contains(counts[servers[2].address, default: 0]), "\(counts)")

        // A dead server that still heartbeats (its keeper lives): connects fail over to the others.
        servers[1].stop()
        for _ in 0..<10 {
            let outcome = try Self.callVia("polaris://default/greeter", registry: registry.address)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.server != servers[1].address)
        }

        // SIGKILL of server and keeper (no deregister): unhealthy after 3 x TTL, then no traffic.
        keepers[2].signal(SIGKILL)
        servers[2].process.terminate()
        #expect(eventually {
            (try? discoverInstances("greeter", registry: registry.address))?
                .first { $0["port"] as? Int == servers[2].port }?["healthy"] as? Bool == false
        })
        for _ in 0..<10 {
            let outcome = try Self.callVia("polaris://greeter", registry: registry.address)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.server == servers[0].address)
        }
    }

    @Test("bench on polaris://service spreads the load over every instance and reports each one")
    func benchReportsPerInstance() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let servers = try (0..<2).map { _ in try PeerServer(script: "example_server.py", arguments: ["--greeter-only"]) }
        defer { servers.forEach { $0.stop() } }
        for server in servers {
            let registered = try CLI.run(["register", "greeter", "--host", "127.0.0.1", "--port", "\(server.port)", "--once",
                                          "--registry", registry.address])
            #expect(registered.status == 0, "\(registered.stderr)")
        }
        let result = try CLI.run(["bench", "polaris://greeter", "helloworld.Greeter/SayHello", "--plaintext",
                                  "--registry", registry.address, "--proto", CLI.examples + "/greeter.proto",
                                  "-d", #"{"name":"lb"}"#, "-c", "4", "-n", "400", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.output)")
        let instances = try #require(report["instances"] as? [[String: Any]], "\(report.keys.sorted())")
        #expect(Set(instances.compactMap { $0["address"] as? String }) == Set(servers.map(\.address)))
        #expect(instances.compactMap { $0["calls"] as? Int }.reduce(0, +) == 400)
        for instance in instances {
            #expect((instance["calls"] as? Int ?? 0) > 0, "\(instance)")
            #expect(instance["failed"] as? Int == 0)
            #expect(((instance["latency"] as? [String: Any])?["p50"] as? Int ?? 0) > 0)
        }

        let summary = try CLI.run(["bench", "polaris://greeter", "helloworld.Greeter/SayHello", "--plaintext",
                                   "--registry", registry.address, "--proto", CLI.examples + "/greeter.proto",
                                   "-d", #"{"name":"lb"}"#, "-c", "2", "-n", "50"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.output.contains("Instances:"))
        for server in servers { #expect(summary.output.contains(server.address)) }
    }

    @Test func ringHashKeepsAKeyOnOneInstance() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let servers = try (0..<2).map { _ in try PeerServer(script: "example_server.py") }
        defer { servers.forEach { $0.stop() } }
        for server in servers {
            let result = try CLI.run(["register", "ring", "--host", "127.0.0.1", "--port", "\(server.port)", "--once", "--registry", registry.address])
            #expect(result.status == 0)
        }
        var seen = Set<String>()
        for _ in 0..<5 {
            let outcome = try Self.callVia("polaris://ring", registry: registry.address, extra: ["--lb", "ring-hash", "--hash-key", "user-42"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            seen.insert(outcome.server ?? "?")
        }
        #expect(seen.count == 1)

        // list and describe connect through the same resolution.
        let list = try CLI.run(["list", "polaris://ring", "--plaintext", "--registry", registry.address])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.output.contains("helloworld.Greeter"))
        let describe = try CLI.run(["describe", "polaris://default/ring", "helloworld.Greeter", "--plaintext", "--registry", registry.address])
        #expect(describe.status == 0, "\(describe.stderr)")
        #expect(describe.output.contains("SayHello"))
    }

    @Test func unresolvableTargets() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let unknown = try Self.callVia("polaris://nobody", registry: registry.address)
        #expect(unknown.status == 11)
        #expect(unknown.stderr.contains("no service nobody"))
        let isolated = try CLI.run(["register", "iso", "--host", "127.0.0.1", "--port", "1", "--isolate", "--once", "--registry", registry.address])
        #expect(isolated.status == 0)
        let none = try Self.callVia("polaris://iso", registry: registry.address)
        #expect(none.status == 11)
        #expect(none.stderr.contains("no usable instance"))
        let unreachable = try Self.callVia("polaris://x", registry: "127.0.0.1:1")
        #expect(unreachable.status == 5)
        let badKey = try CLI.run(["call", "polaris://x", "a.B/C", "--lb", "ring-hash"])
        #expect(badKey.status == 2 && badKey.stderr.contains("--hash-key"))
    }
}
