import Foundation
import NIOCore
import Testing
@testable import RPC

/// The engine against Python grpcio (an independent gRPC implementation), both directions.
@Suite("Python grpcio interop", .serialized, .enabled(if: PythonPeer.isAvailable), .timeLimit(.minutes(3)))
struct PythonInteropTests {
    private func withPythonServer<R>(_ arguments: [String] = [], _ body: (Int) async throws -> R) async throws -> R {
        let peer = try PythonPeer(server: arguments)
        defer { peer.stop() }
        return try await body(peer.port)
    }

    private func connect(port: Int, _ configuration: ClientConfiguration = ClientConfiguration()) async throws -> RPCConnection {
        try await RPCConnection.connect(to: .tcp(host: "127.0.0.1", port: port), configuration: configuration, eventLoopGroup: testGroup)
    }

    @Test("engine client -> grpcio server: unary, metadata, status, all streaming kinds")
    func clientToPython() async throws {
        try await withPythonServer { port in
            let connection = try await connect(port: port)
            var metadata: Metadata = ["x-text": "value"]
            metadata.addBinary([0, 1, 0xFE, 0xFF], forKey: "x-data-bin")
            let unary = try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(text: "hello"), metadata: metadata)
            #expect(unary.status.code == .ok)
            #expect(unary.message?.text == "hello")
            #expect(unary.headers["x-text"] == "value")
            #expect(unary.headers.binaries(forKey: "x-data-bin") == [[0, 1, 0xFE, 0xFF]])
            #expect(unary.status.trailers.binaries(forKey: "t-x-data-bin") == [[0, 1, 0xFE, 0xFF]])

            var details = Metadata()
            details.addBinary([0xCA, 0xFE], forKey: "x-details-bin")
            let failed = try await connection.unary(
                path: "/echo.Echo/Unary", request: ByteBuffer(text: "status:9:Vorbedingung verletzt ✗ 50%"), metadata: details)
            #expect(failed.status.code == .failedPrecondition)
            #expect(failed.status.message == "Vorbedingung verletzt ✗ 50%")
            #expect(failed.status.details == [0xCA, 0xFE])

            let unknown = try await connection.unary(path: "/echo.Echo/Missing", request: ByteBuffer(text: "x"))
            #expect(unknown.status.code == .unimplemented)

            let stream = try await connection.serverStreaming(path: "/echo.Echo/ServerStream", request: ByteBuffer(text: "20:100"))
            var received: [ByteBuffer] = []
            for try await message in stream.responses { received.append(message) }
            #expect(received.count == 20)
            #expect(received.last.map { Array($0.readableBytesView.prefix(3)) } == [19, 20, 21])
            #expect(try await stream.status.code == .ok)

            let clientStream = try await connection.clientStreaming(
                path: "/echo.Echo/ClientStream", requests: AsyncStreamOf(["x", "yz", "!"].map { ByteBuffer(text: $0) }))
            #expect(clientStream.message?.text == "xyz!")

            let bidi = try await connection.makeCall(path: "/echo.Echo/Bidi")
            var iterator = bidi.responses.makeAsyncIterator()
            for index in 0..<10 {
                try await bidi.send(ByteBuffer(text: "m\(index)"))
                #expect(try await iterator.next()?.text == "m\(index)")
            }
            bidi.finishSending()
            #expect(try await iterator.next() == nil)
            #expect(try await bidi.status.code == .ok)
            await connection.close()
        }
    }

    @Test("engine client -> grpcio server: deadline, cancellation, sizes, gzip")
    func clientLimitsToPython() async throws {
        try await withPythonServer(["--gzip"]) { port in
            let connection = try await connect(port: port, ClientConfiguration(
                maxReceiveMessageSize: 12 << 20, maxSendMessageSize: 12 << 20, compressRequests: true))
            let slow = try await connection.unary(
                path: "/echo.Echo/Unary", request: ByteBuffer(text: "sleep:5000"), options: CallOptions(timeout: .milliseconds(300)))
            #expect(slow.status.code == .deadlineExceeded)

            let call = try await connection.makeCall(path: "/echo.Echo/Bidi")
            try await call.send(ByteBuffer(text: "first"))
            var iterator = call.responses.makeAsyncIterator()
            #expect(try await iterator.next()?.text == "first")
            call.cancel()
            #expect(try await call.status.code == .cancelled)

            for size in [1 << 20, 8 << 20] {
                let payload = ByteBuffer(repeating: 0x42, count: size)
                let echoed = try await connection.unary(path: "/echo.Echo/Unary", request: payload)
                #expect(echoed.status.code == .ok)
                #expect(echoed.message == payload)
            }
            // gzip response (server compresses) beyond the client's limit after decompression.
            let limited = try await connect(port: port)
            let tooBig = try await limited.unary(path: "/echo.Echo/Size", request: ByteBuffer(text: "\(5 << 20)"))
            #expect(tooBig.status.code == .resourceExhausted)
            let fine = try await limited.unary(path: "/echo.Echo/Size", request: ByteBuffer(text: "1000"))
            #expect(fine.message?.readableBytes == 1000)
            await limited.close()
            await connection.close()
        }
        // The server's own limit answers RESOURCE_EXHAUSTED.
        try await withPythonServer(["--max-message", "1048576"]) { port in
            let connection = try await connect(port: port, ClientConfiguration(maxSendMessageSize: 8 << 20))
            let response = try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(repeating: 1, count: 2 << 20))
            #expect(response.status.code == .resourceExhausted)
            await connection.close()
        }
    }

    @Test("engine client -> grpcio server: calls beyond the server's stream limit are queued")
    func concurrencyToPython() async throws {
        try await withPythonServer(["--max-streams", "4"]) { port in
            let connection = try await connect(port: port)
            let total = 100
            let failures = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<total {
                    group.addTask {
                        let request = index % 5 == 0 ? "sleep:30" : "c\(index)"
                        let response = try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(text: request))
                        return response.status.code == .ok && response.message?.text == request ? nil : "\(response.status)"
                    }
                }
                var failures: [String] = []
                for try await result in group { if let result { failures.append(result) } }
                return failures
            }
            // grpcio's stream accounting lags the wire a little and may refuse a stream that
            // the client opened within the limit; such calls fail UNAVAILABLE (never retried
            // silently). Everything else must succeed.
            let unexpected = failures.filter { !$0.hasPrefix("UNAVAILABLE: the server refused the stream") }
            #expect(unexpected.isEmpty, "\(unexpected)")
            #expect(failures.count <= total / 4, "\(failures.count) calls were refused")
            await connection.close()
        }
    }

    @Test("grpcio client -> engine server: every call kind, metadata, status, deadline, 3 MiB, gzip", arguments: [false, true])
    func pythonToServer(gzip: Bool) async throws {
        let configuration = ServerConfiguration(maxReceiveMessageSize: 8 << 20, maxSendMessageSize: 8 << 20, compressResponses: gzip)
        try await withEngineServer(configuration: configuration, router: TestRouter.make(service: "echo.Echo")) { server in
            let port = try #require(server.port)
            let result = try PythonPeer.runClient(target: "127.0.0.1:\(port)", arguments: gzip ? ["--gzip"] : [])
            #expect(result["unary"] as? String == "hello")
            let initial = result["initial"] as? [String: String]
            #expect(initial?["x-text"] == "v1")
            #expect(initial?["x-data-bin"] == "AAH+/w==")
            let trailing = result["trailing"] as? [String: String]
            #expect(trailing?["t-x-data-bin"] == "AAH+/w==")
            let status = result["status"] as? [String: Any]
            #expect(status?["code"] as? Int == 5)
            #expect(status?["message"] as? String == "näh ✓ 100%")
            #expect(result["unknown"] as? Int == 12)
            #expect(result["server_stream"] as? [Int] == [1000, 1000, 1000, 1000, 1000])
            #expect(result["client_stream"] as? String == "abcdef")
            #expect(result["bidi"] as? [String] == ["one", "two", "three"])
            #expect(result["big"] as? Int == 3 * 1024 * 1024)
            #expect(result["deadline"] as? Int == 4)
        }
    }
}
