import Foundation
import Testing

/// The grpc-go client (built by scripts/build-go-peers into .build-peers/) against `serve`.
@Suite("serve called by grpc-go (built binary)", .enabled(if: GoServeClient.isAvailable))
struct ServeGoClientTests {
    static let client = GoServeClient.path

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// A length-delimited string field 1.
    static func field1(_ text: String) -> [UInt8] { [0x0a, UInt8(text.utf8.count)] + Array(text.utf8) }

    func call(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.client)
        process.arguments = ["call"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @Test("stub answers, trailers, error status, server-streaming stub, garbage request")
    func goClient() throws {
        let server = try ServeProcess(ServeCommandTests.protos + ["--stubs", "examples/stubs"])
        defer { server.stop() }
        let alice = try call(["--addr", server.address, "--method", "/helloworld.Greeter/SayHello",
                              "--data-hex", Self.hex(Self.field1("Alice"))])
        #expect(alice["codeName"] as? String == "OK")
        #expect(alice["responses"] as? [String] == [Self.hex(Self.field1("Hello, Alice! (exact match)"))])
        let trailer = try call(["--addr", server.address, "--method", "/helloworld.Greeter/SayHello",
                                "--data-hex", Self.hex(Self.field1("Bob"))])
        #expect((trailer["trailers"] as? [String: Any])?["x-stub"] != nil)
        let error = try call(["--addr", server.address, "--method", "/helloworld.Greeter/SayHello",
                              "--data-hex", Self.hex(Self.field1("error"))])
        #expect(error["codeName"] as? String == "NOT_FOUND")
        #expect(error["message"] as? String == "no such person")
        let stream = try call(["--addr", server.address, "--method", "/routeguide.RouteGuide/ListFeatures", "--kind", "server"])
        #expect((stream["responses"] as? [String])?.count == 2)
        let garbage = try call(["--addr", server.address, "--method", "/helloworld.Greeter/SayHello", "--data-hex", "ffffffff"])
        #expect(garbage["codeName"] as? String == "INVALID_ARGUMENT")
    }
}

/// Where scripts/build-go-peers puts the grpc-go client.
enum GoServeClient {
    static let path = CLI.root + "/.build-peers/grpc-go-client"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }
}
