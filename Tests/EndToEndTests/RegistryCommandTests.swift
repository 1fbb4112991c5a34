import Foundation
import Testing

/// `serve --registry`, `register` and `discover` run as real processes.
@Suite(.serialized) struct RegistryCommandTests {
    @Test func registerDiscoverAndDeregisterOnSignal() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let keeper = try BackgroundProcess.polarisctl(
            ["register", "echo", "--host", "127.0.0.1", "--port", "9001", "--registry", registry.address,
             "--ttl", "1", "--metadata", "zone=a", "--version", "1.2"])
        defer { keeper.stop() }
        let id = keeper.waitForLine { $0.count == 40 }
        #expect(id == "45c96480c646a289a92b05643f0ebc4f20200b86")  // sha1("default##echo##127.0.0.1##9001")
        let once = try CLI.run(["register", "echo", "--host", "127.0.0.1", "--port", "9002", "--weight", "50",
                                "--registry", registry.address, "--once"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.output.trimmingCharacters(in: .whitespacesAndNewlines).count == 40)

        let table = try CLI.run(["discover", "echo", "--registry", registry.address])
        #expect(table.status == 0)
        let lines = table.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ADDRESS") == true)
        #expect(lines.contains { $0.contains("127.0.0.1:9001") && $0.contains("zone=a") && $0.contains("1.2") })
        #expect(lines.contains { $0.contains("127.0.0.1:9002") && $0.contains("50") })

        let json = try CLI.run(["discover", "echo", "--registry", registry.address, "--format", "json"])
        let parsed = try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?.first { $0["port"] as? Int == 9001 }?["ttl"] as? Int == 1)
        #expect(parsed?.first { $0["port"] as? Int == 9001 }?["id"] as? String == id)

        // Heartbeats keep it healthy well past 3 x TTL.
        Thread.sleep(forTimeInterval: 4)
        #expect(try discoverInstances("echo", registry: registry.address).first { $0["port"] as? Int == 9001 }?["healthy"] as? Bool == true)

        keeper.signal(SIGTERM)
        #expect(keeper.waitForExit() == 0)
        #expect(keeper.stderr.contains("deregistered instance"))
        let after = try discoverInstances("echo", registry: registry.address)
        #expect(after.map { $0["port"] as? Int } == [9002])

        let services = try CLI.run(["discover", "--services", "--registry", registry.address])
        #expect(services.output.contains("default") && services.output.contains("echo"))

        let removed = try CLI.run(["register", "echo", "--host", "127.0.0.1", "--port", "9002", "--registry", registry.address, "--deregister"])
        #expect(removed.status == 0)
        #expect(try discoverInstances("echo", registry: registry.address).isEmpty)
    }

    @Test func killedInstanceTurnsUnhealthyAndWatchReportsEveryChange() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let watch = try BackgroundProcess.polarisctl(
            ["discover", "watched", "--registry", registry.address, "--watch", "--interval", "0.3", "--format", "ndjson"])
        defer { watch.stop() }
        let keeper = try BackgroundProcess.polarisctl(
            ["register", "watched", "--host", "127.0.0.1", "--port", "7100", "--registry", registry.address, "--ttl", "1"])
        defer { keeper.stop() }
        func event(_ change: String, healthy: Bool? = nil) -> (String) -> Bool {
            { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["change"] as? String == change, let instance = object["instance"] as? [String: Any],
                      instance["port"] as? Int == 7100 else { return false }
                return healthy == nil || instance["healthy"] as? Bool == healthy
            }
        }
        #expect(watch.waitForLine(event("added")) != nil)
        keeper.signal(SIGKILL)
        _ = keeper.waitForExit()
        // No deregister: after 3 x TTL without heartbeats it turns unhealthy and stays listed.
        #expect(watch.waitForLine(timeout: 15, event("changed", healthy: false)) != nil)
        #expect(try discoverInstances("watched", registry: registry.address, extra: ["--healthy-only"]).isEmpty)
        let removed = try CLI.run(["register", "watched", "--host", "127.0.0.1", "--port", "7100", "--registry", registry.address, "--deregister"])
        #expect(removed.status == 0)
        #expect(watch.waitForLine(event("removed")) != nil)
        let time = watch.output.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.first?["time"] as? String
        #expect(time?.contains("T") == true)
        watch.signal(SIGINT)
        #expect(watch.waitForExit() == 0)
    }

    @Test func registryKilledAndRestartedKeepsAcknowledgedInstances() throws {
        let registry = try RegistryServer()
        let port = registry.port
        var ids: [String] = []
        for index in 0..<20 {
            let result = try CLI.run(["register", "durable", "--host", "127.0.0.1", "--port", "\(8000 + index)",
                                      "--registry", registry.address, "--once"])
            #expect(result.status == 0)
            ids.append(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(try CLI.run(["register", "durable", "--host", "127.0.0.1", "--port", "8000", "--registry", registry.address, "--deregister"]).status == 0)
        let watch = try BackgroundProcess.polarisctl(
            ["discover", "durable", "--registry", registry.address, "--watch", "--interval", "0.3", "--format", "ndjson"])
        defer { watch.stop() }
        #expect(watch.waitForLines(count: 19) { $0.contains("\"added\"") })
        let keeper = try BackgroundProcess.polarisctl(
            ["register", "durable", "--host", "127.0.0.1", "--port", "8100", "--registry", registry.address, "--ttl", "1"])
        defer { keeper.stop() }
        #expect(keeper.waitForLine { $0.count == 40 } != nil)

        registry.process.signal(SIGKILL)
        _ = registry.process.waitForExit()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(keeper.stderr.contains("heartbeat failed") || watch.stderr.contains("unreachable"))
        let restarted = try RegistryServer(dataDirectory: registry.dataDirectory, port: port)
        defer { restarted.stop() }
        let instances = try discoverInstances("durable", registry: restarted.address)
        #expect(instances.count == 20)
        #expect(Set(instances.compactMap { $0["id"] as? String }).isSuperset(of: ids.dropFirst()))
        #expect(!instances.contains { $0["port"] as? Int == 8000 })
        // Both long-running clients recover by themselves.
        #expect(eventually { watch.stderr.contains("reachable again") })
        Thread.sleep(forTimeInterval: 4)
        #expect(try discoverInstances("durable", registry: restarted.address).first { $0["port"] as? Int == 8100 }?["healthy"] as? Bool == true)
        #expect(!watch.output.contains { $0.contains("\"removed\"") })
    }

    @Test func serveRegisterHeartbeatsAndDeregistersOnExit() throws {
        let registry = try RegistryServer(extra: ["--register", "selfreg", "--register-ttl", "1", "--register-metadata", "role=registry"])
        #expect(eventually { (try? discoverInstances("selfreg", registry: registry.address))?.count == 1 })
        Thread.sleep(forTimeInterval: 4)
        let listed = try discoverInstances("selfreg", registry: registry.address)
        #expect(listed.first?["port"] as? Int == registry.port)
        #expect(listed.first?["healthy"] as? Bool == true)
        #expect((listed.first?["metadata"] as? [String: String])?["role"] == "registry")
        registry.process.signal(SIGTERM)
        #expect(registry.process.waitForExit() == 0)
        let restarted = try RegistryServer(dataDirectory: registry.dataDirectory)
        defer { restarted.stop() }
        #expect(try discoverInstances("selfreg", registry: restarted.address).isEmpty)
    }

    @Test func tokenIsEnforcedOnWrites() throws {
        let registry = try RegistryServer(token: "s3cret")
        defer { registry.stop() }
        let denied = try CLI.run(["register", "locked", "--host", "127.0.0.1", "--port", "1", "--registry", registry.address, "--once"])
        #expect(denied.status == 11)
        #expect(denied.stderr.contains("401000"))
        let wrong = try CLI.run(["register", "locked", "--host", "127.0.0.1", "--port", "1", "--registry", registry.address, "--once", "--token", "nope"])
        #expect(wrong.status == 11)
        let allowed = try CLI.run(["register", "locked", "--host", "127.0.0.1", "--port", "1", "--registry", registry.address, "--once", "--token", "s3cret"])
        #expect(allowed.status == 0)
        #expect(try discoverInstances("locked", registry: registry.address).count == 1)
        let deregister = try CLI.run(["register", "locked", "--host", "127.0.0.1", "--port", "1", "--registry", registry.address, "--deregister"])
        #expect(deregister.status == 11)
    }

    @Test(arguments: [
        (["register", "bad name", "--host", "h", "--port", "1"], "service name"),
        (["register", "svc", "--host", "bad host!", "--port", "1"], "--host"),
        (["register", "svc", "--host", "", "--port", "1"], "--host"),
        (["register", "svc", "--host", "h", "--port", "0"], "--port"),
        (["register", "svc", "--host", "h", "--port", "70000"], "--port"),
        (["register", "svc", "--host", "h", "--port", "1", "--weight", "70000"], "--weight"),
        (["register", "svc", "--host", "h", "--port", "1", "--weight", "-1"], "--weight"),
        (["register", "svc", "--host", "h", "--port", "1", "--metadata", "novalue"], "--metadata"),
        (["register", "svc", "--host", "h", "--port", "1", "--metadata", "=v"], "--metadata"),
        (["register", "svc", "--host", "h", "--port", "1", "--metadata", "k=" + String(repeating: "x", count: 4097)], "--metadata"),
        (["register", "svc", "--host", "h", "--port", "1", "--ttl", "0"], "--ttl"),
        (["register", "svc", "--host", "h", "--port", "1", "--registry", "nowhere"], "--registry"),
        (["register", "svc", "--host", "h", "--port", "1", "--namespace", "a b"], "--namespace"),
        (["discover"], "service"),
        (["discover", "a", "--services"], "--services"),
    ])
    func badInputIsAUsageError(arguments: [String], mentions: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(mentions), "\(result.stderr)")
    }

    @Test func unreachableRegistryIsAConnectError() throws {
        let closed = "127.0.0.1:1"
        let register = try CLI.run(["register", "svc", "--host", "127.0.0.1", "--port", "1", "--registry", closed, "--once"])
        #expect(register.status == 5)
        #expect(register.stderr.contains("unreachable") && register.stderr.contains(closed))
        let discover = try CLI.run(["discover", "svc", "--registry", closed])
        #expect(discover.status == 5)
        // A long-running register keeps retrying with backoff and says so.
        let keeper = try BackgroundProcess.polarisctl(["register", "svc", "--host", "127.0.0.1", "--port", "1", "--registry", closed])
        defer { keeper.stop() }
        #expect(eventually { keeper.stderr.components(separatedBy: "retrying in").count >= 3 })
        keeper.signal(SIGINT)
        #expect(keeper.waitForExit() == 0)
    }

    @Test func unknownServiceIsARegistryError() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let result = try CLI.run(["discover", "missing", "--registry", registry.address])
        #expect(result.status == 11)
        #expect(result.stderr.contains("no service missing"))
    }

    @Test func lockedAndCorruptDataDirectoriesAreRefused() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let second = try CLI.run(["serve", "--registry", "--listen", "127.0.0.1:0", "--data-dir", registry.dataDirectory])
        #expect(second.status == 9)
        #expect(second.stderr.contains("in use"))

        let corrupt = try CLI.temporaryDirectory()
        let garbage = Data(repeating: 0x5a, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: corrupt + "/registry.sqlite"))
        let refused = try CLI.run(["serve", "--registry", "--listen", "127.0.0.1:0", "--data-dir", corrupt])
        #expect(refused.status == 9)
        #expect(refused.stderr.contains("corrupt"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: corrupt + "/registry.sqlite")) == garbage)
    }
}
