import Foundation
import Testing

/// Wire compatibility with independent Polaris implementations in Python (grpcio, messages
/// generated at test time from the .proto subset).
@Suite(.serialized) struct RegistryWireTests {
    static func python(_ script: String, _ arguments: [String]) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.root + "/Tests/Peers/python/" + script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: data, stderr: "")
    }

    @Test func polarisGoFlowFromPythonAgainstTheEmbeddedRegistry() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        let result = try Self.python("polaris_flow_client.py", [registry.address])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK"))
    }

    @Test func polarisGoFlowWithATokenFromPython() throws {
        let registry = try RegistryServer(token: "tk")
        defer { registry.stop() }
        let result = try Self.python("polaris_flow_client.py", [registry.address, "--token", "tk"])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func registerAndDiscoverAgainstAFakePythonRegistry() throws {
        let log = try CLI.temporaryDirectory() + "/fake.log"
        let fake = try PeerServer(script: "fake_polaris.py", arguments: ["--log", log])
        defer { fake.stop() }
        let keeper = try BackgroundProcess.polarisctl(
            ["register", "svc", "--host", "127.0.0.1", "--port", "80", "--registry", fake.address, "--ttl", "1", "--weight", "30"])
        defer { keeper.stop() }
        let id = keeper.waitForLine { $0.count == 40 }
        // sha1("default##svc##127.0.0.1##80"), computed by the fake.
        #expect(id == "7658d233f77e877d03f1bf7214bc00a637a258a5")
        let discovered = try discoverInstances("svc", registry: fake.address)
        #expect(discovered.count == 1)
        #expect(discovered.first?["weight"] as? Int == 30)
        #expect(eventually { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: "heartbeat ").count >= 3 })
        keeper.signal(SIGTERM)
        #expect(keeper.waitForExit() == 0)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "register \(id ?? "") ttl=1 weight=30")
        #expect(lines.last == "deregister \(id ?? "")")
        let missing = try CLI.run(["discover", "nothing", "--registry", fake.address])
        #expect(missing.status == 11)
    }
}
