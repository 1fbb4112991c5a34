import Foundation
import NIOCore
import Testing
@testable import RPC

/// Interop with grpc-go (Debian's golang-google-grpc-dev, built by
/// scripts/build-go-peers into .build-peers/): the engine as client against the
/// grpc-go server, and the grpc-go client against the engine's server.
@Suite("Interop with grpc-go", .enabled(if: GoPeer.isAvailable))
struct GoInteropTests {
    /// HelloRequest{name: "world"}.
    static let hello = ByteBuffer(bytes: [0x0a, 0x05] + Array("world".utf8))

    @Test("engine client: greeter unary, echo of every kind, metadata, status, deadline, gzip, 1 MiB")
    func engineClient() async throws {
        let server = try GoPeer.server()
        defer { server.stop() }
        let connection = try await RPCConnection.connect(
            to: .tcp(host: "127.0.0.1", port: server.port),
            configuration: ClientConfiguration(maxReceiveMessageSize: 8 << 20, maxSendMessageSize: 8 << 20),
            eventLoopGroup: testGroup)

        let greeting = try await connection.unary(path: "/helloworld.Greeter/SayHello", request: Self.hello)
        #expect(greeting.status.code == .ok)
        #expect(greeting.message.map { Array(buffer: $0) } == [0x0a, 0x0b] + Array("Hello world".utf8))

        var metadata = Metadata()
        metadata.addString("v1", forKey: "x-text")
        metadata.addBinary([0, 1, 0xfe, 0xff], forKey: "x-data-bin")
        let echoed = try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(string: "ping"), metadata: metadata)
        #expect(echoed.message.map { String(buffer: $0) } == "ping")
        #expect(echoed.headers["x-text"] == "v1")
        #expect(echoed.headers.binaries(forKey: "x-data-bin") == [[0, 1, 0xfe, 0xff]])
        #expect(echoed.status.trailers["x-text"] == "v1")

        var failing = Metadata()
        failing.addString("NOT_FOUND", forKey: "x-echo-status")
        failing.addString("no entry: 100% sure", forKey: "x-echo-message")
        let failed = try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(string: "x"), metadata: failing)
        #expect(failed.status.code == .notFound)
        #expect(failed.status.message == "no entry: 100% sure")

        let slow = try await connection.unary(
            path: "/echo.Echo/Unary", request: ByteBuffer(string: "x"), metadata: ["x-sleep-ms": "3000"],
            options: CallOptions(timeout: .milliseconds(200)))
        #expect(slow.status.code == .deadlineExceeded)

        let big = ByteBuffer(repeating: 0x5a, count: 1 << 20)
        let large = try await connection.unary(path: "/echo.Echo/Unary", request: big)
        #expect(large.message?.readableBytes == 1 << 20)

        let call = try await connection.makeCall(path: "/echo.Echo/Bidi")
        var replies: [String] = []
        var iterator = call.responses.makeAsyncIterator()
        for word in ["a", "b", "c"] {
            try await call.send(ByteBuffer(string: word))
            if let reply = try await iterator.next() { replies.append(String(buffer: reply)) }
        }
        call.finishSending()
        while let extra = try await iterator.next() { replies.append(String(buffer: extra)) }
        #expect(replies == ["a", "b", "c"])
        #expect(try await call.status.code == .ok)
        await connection.close()

        let gzip = try await RPCConnection.connect(
            to: .tcp(host: "127.0.0.1", port: server.port), configuration: ClientConfiguration(compressRequests: true),
            eventLoopGroup: testGroup)
        let compressed = try await gzip.unary(path: "/echo.Echo/Unary", request: ByteBuffer(repeating: 0x41, count: 10_000))
        #expect(compressed.status.code == .ok)
        #expect(compressed.message?.readableBytes == 10_000)
        await gzip.close()
    }

    @Test("grpc-go client against the engine server: unary, metadata, status, bidi")
    func goClient() async throws {
        let server = try await RPCServer.bind(
            to: .tcp(host: "127.0.0.1", port: 0), router: TestRouter.make(), eventLoopGroup: testGroup)
        defer { Task { await server.closeNow() } }
        let address = "127.0.0.1:\(server.port ?? 0)"

        let unary = try GoPeer.call([
            "--addr", address, "--method", "/test.Echo/Unary", "--data-hex", Array("hello".utf8).hex,
            "-H", "x-k: v", "-H", "x-b-bin: AAH+/w",
        ])
        #expect(unary["codeName"] as? String == "OK")
        #expect(unary["responses"] as? [String] == [Array("hello".utf8).hex])
        #expect((unary["headers"] as? [String: Any]).map { "\($0["x-k"] ?? "")" }?.contains("v") == true)

        let status = try GoPeer.call([
            "--addr", address, "--method", "/test.Echo/Unary", "--data-hex", Array("status:7:nö ✓".utf8).hex,
        ])
        #expect(status["code"] as? Int == 7)
        #expect(status["message"] as? String == "nö ✓")

        let bidi = try GoPeer.call([
            "--addr", address, "--method", "/test.Echo/Bidi", "--kind", "bidi",
            "--data-hex", Array("one".utf8).hex, "--data-hex", Array("two".utf8).hex,
        ])
        #expect(bidi["codeName"] as? String == "OK")
        #expect(bidi["responses"] as? [String] == [Array("one".utf8).hex, Array("two".utf8).hex])

        let missing = try GoPeer.call(["--addr", address, "--method", "/test.Echo/Nope", "--data-hex", "00"])
        #expect(missing["codeName"] as? String == "UNIMPLEMENTED")
    }

    @Test("mutual TLS both ways: engine client with grpc-go server, grpc-go client with engine server")
    func mutualTLS() async throws {
        let certs = try TestCertificates.shared.get()
        let server = try GoPeer.server(["--tls-cert", certs.serverCert, "--tls-key", certs.serverKey, "--client-ca", certs.caCert])
        defer { server.stop() }
        let tls = ClientTLSConfiguration(
            trustRoots: .pemFile(certs.caCert), serverName: "localhost",
            certificateChainFile: certs.clientCert, privateKeyFile: certs.clientKey)
        let connection = try await RPCConnection.connect(
            to: .tcp(host: "127.0.0.1", port: server.port), configuration: ClientConfiguration(tls: tls), eventLoopGroup: testGroup)
        let greeting = try await connection.unary(path: "/helloworld.Greeter/SayHello", request: Self.hello)
        #expect(greeting.status.code == .ok)
        await connection.close()
        // Without a client certificate the grpc-go server refuses the handshake.
        let anonymous = ClientTLSConfiguration(trustRoots: .pemFile(certs.caCert), serverName: "localhost")
        await #expect(throws: RPCError.self) {
            let refused = try await RPCConnection.connect(
                to: .tcp(host: "127.0.0.1", port: server.port), configuration: ClientConfiguration(tls: anonymous),
                eventLoopGroup: testGroup)
            let response = try await refused.unary(path: "/helloworld.Greeter/SayHello", request: Self.hello)
            await refused.close()
            if response.status.code != .ok { throw RPCError(code: .tlsHandshakeFailed, message: "\(response.status)") }
        }

        let engine = try await RPCServer.bind(
            to: .tcp(host: "127.0.0.1", port: 0), router: TestRouter.make(),
            configuration: ServerConfiguration(tls: ServerTLSConfiguration(
                certificateChainFile: certs.serverCert, privateKeyFile: certs.serverKey, clientCAFile: certs.caCert)),
            eventLoopGroup: testGroup)
        defer { Task { await engine.closeNow() } }
        let address = "127.0.0.1:\(engine.port ?? 0)"
        let mutual = try GoPeer.call([
            "--addr", address, "--method", "/test.Echo/Unary", "--data-hex", Array("tls".utf8).hex,
            "--tls-ca", certs.caCert, "--tls-cert", certs.clientCert, "--tls-key", certs.clientKey, "--server-name", "localhost",
        ])
        #expect(mutual["codeName"] as? String == "OK", "\(mutual)")
        #expect(mutual["responses"] as? [String] == [Array("tls".utf8).hex])
        let noCertificate = try GoPeer.call([
            "--addr", address, "--method", "/test.Echo/Unary", "--data-hex", "00", "--tls-ca", certs.caCert, "--server-name", "localhost",
        ])
        #expect(noCertificate["codeName"] as? String == "UNAVAILABLE", "\(noCertificate)")
    }

    @Test("more concurrent calls than the grpc-go server's stream limit are queued, not failed")
    func streamLimit() async throws {
        let server = try GoPeer.server(["--max-streams", "4"])
        defer { server.stop() }
        let connection = try await RPCConnection.connect(
            to: .tcp(host: "127.0.0.1", port: server.port), configuration: ClientConfiguration(), eventLoopGroup: testGroup)
        let started = ContinuousClock.now
        let codes = try await withThrowingTaskGroup(of: GRPCStatus.Code.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let reply = try await connection.unary(
                        path: "/echo.Echo/Unary", request: ByteBuffer(string: "n\(index)"), metadata: ["x-sleep-ms": "50"])
                    return reply.status.code
                }
            }
            var codes: [GRPCStatus.Code] = []
            for try await code in group { codes.append(code) }
            return codes
        }
        #expect(codes.count == 40)
        #expect(codes.allSatisfy { $0 == .ok }, "\(codes)")
        // Four at a time, 50 ms each: the limit was in force for at least ten rounds.
        #expect(ContinuousClock.now - started >= .milliseconds(450))
        await connection.close()
    }

    @Test("grpc-go server stopping gracefully: calls in flight finish OK, the next call is not started on the closing connection")
    func gracefulStop() async throws {
        let server = try GoPeer.server(["--grace", "5s"])
        let connection = try await RPCConnection.connect(
            to: .tcp(host: "127.0.0.1", port: server.port), configuration: ClientConfiguration(), eventLoopGroup: testGroup)
        let inFlight = Task {
            try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(string: "slow"), metadata: ["x-sleep-ms": "800"])
        }
        try await Task.sleep(for: .milliseconds(200))
        kill(server.process.processIdentifier, SIGTERM)
        let finished = try await inFlight.value
        #expect(finished.status.code == .ok, "\(finished.status)")
        #expect(finished.message.map { String(buffer: $0) } == "slow")
        do {
            let late = try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(string: "late"))
            #expect(late.status.code == .unavailable, "\(late.status)")
        } catch let error as RPCError {
            #expect([.connectionClosed, .shutDown].contains(error.code), "\(error)")
        }
        server.stop()
        await connection.close()
    }
}

/// The grpc-go programs built by scripts/build-go-peers.
enum GoPeer {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build-peers").path

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: directory + "/grpc-go-server")
            && FileManager.default.isExecutableFile(atPath: directory + "/grpc-go-client")
    }

    final class Server: @unchecked Sendable {
        let process: Process
        let port: Int
        init(process: Process, port: Int) {
            self.process = process
            self.port = port
        }
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            for _ in 0..<50 where process.isRunning { usleep(100_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Starts the grpc-go server on 127.0.0.1 and reads its address line (bounded).
    static func server(_ arguments: [String] = []) throws -> Server {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory + "/grpc-go-server")
        process.arguments = ["--listen", "127.0.0.1:0", "--grace", "1s"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0a]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            kill(process.processIdentifier, SIGKILL)
            throw PythonPeer.PeerError(message: "grpc-go-server printed '\(text)'")
        }
        return Server(process: process, port: port)
    }

    /// Runs `grpc-go-client call ...` and parses its JSON report.
    static func call(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory + "/grpc-go-client")
        process.arguments = ["call"] + arguments + ["--timeout", "20s"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PythonPeer.PeerError(message: "grpc-go-client printed no JSON")
        }
        return object
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
