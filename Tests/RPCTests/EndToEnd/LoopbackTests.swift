import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import RPC

/// The engine's client against the engine's server over loopback sockets.
@Suite("Loopback", .timeLimit(.minutes(2)))
struct LoopbackTests {
    @Test("unary over TCP, async and callback faces")
    func unary() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "hello"))
            #expect(response.status.code == .ok)
            #expect(response.message?.text == "hello")

            let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UnaryResponse, any Error>) in
                connection.eventLoop.execute {
                    connection.startUnary(path: "/test.Echo/Unary", message: ByteBuffer(text: "callback")) { result in
                        continuation.resume(with: result.mapError { $0 as any Error })
                    }
                }
            }
            #expect(result.message?.text == "callback")
            let asyncUnary = try await connection.unary(path: "/test.Echo/UnaryAsync", request: ByteBuffer(text: "via task"))
            #expect(asyncUnary.message?.text == "via task")
            await connection.close()
        }
    }

    @Test("unary over a Unix socket and IPv6 loopback")
    func otherTransports() async throws {
        let path = NSTemporaryDirectory() + "rpc-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        defer { unlink(path) }
        try await withEngineServer(address: "unix:" + path) { server in
            let connection = try await connect(to: server)
            let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "unix"))
            #expect(response.message?.text == "unix")
            await connection.close()
        }
        // IPv6 loopback may be unavailable in some containers; only test when it binds.
        if let server = try? await RPCServer.bind(to: .tcp(host: "::1", port: 0), router: TestRouter.make(), eventLoopGroup: testGroup) {
            let connection = try await RPCConnection.connect(
                to: try RPCAddress(parsing: "[::1]:\(server.port ?? 0)"), eventLoopGroup: testGroup)
            let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "v6"))
            #expect(response.message?.text == "v6")
            await connection.close()
            await server.closeNow()
        }
    }

    @Test("metadata and -bin metadata round trip; status with non-ASCII message and details")
    func metadataAndStatus() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            var metadata: Metadata = ["x-text": "value"]
            metadata.addBinary([0, 1, 0xFE, 0xFF], forKey: "x-data-bin")
            let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "m"), metadata: metadata)
            #expect(response.headers["x-text"] == "value")
            #expect(response.headers.binaries(forKey: "x-data-bin") == [[0, 1, 0xFE, 0xFF]])
            #expect(response.status.trailers["t-x-text"] == "value")
            #expect(response.status.trailers.binaries(forKey: "t-x-data-bin") == [[0, 1, 0xFE, 0xFF]])

            var detailsMetadata = Metadata()
            detailsMetadata.addBinary([9, 8, 7], forKey: "x-details-bin")
            let failed = try await connection.unary(
                path: "/test.Echo/Unary", request: ByteBuffer(text: "status:7:nicht erlaubt ✋ 100%"), metadata: detailsMetadata)
            #expect(failed.status.code == .permissionDenied)
            #expect(failed.status.message == "nicht erlaubt ✋ 100%")
            #expect(failed.status.details == [9, 8, 7])
            #expect(failed.message == nil)

            let unknown = try await connection.unary(path: "/test.Nope/Missing", request: ByteBuffer(text: "x"))
            #expect(unknown.status.code == .unimplemented)
            await connection.close()
        }
    }

    @Test("server, client and bidirectional streaming")
    func streaming() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            let serverStream = try await connection.serverStreaming(path: "/test.Echo/ServerStream", request: ByteBuffer(text: "50:3000"))
            var sizes: [Int] = []
            for try await message in serverStream.responses { sizes.append(message.readableBytes) }
            #expect(sizes == Array(repeating: 3000, count: 50))
            #expect(try await serverStream.headers["x-stream"] == "yes")
            let status = try await serverStream.status
            #expect(status.code == .ok)
            #expect(status.trailers["x-count"] == "50")

            let parts = ["a", "bc", "def"].map { ByteBuffer(text: $0) }
            let clientStream = try await connection.clientStreaming(
                path: "/test.Echo/ClientStream", requests: AsyncStreamOf(parts))
            #expect(clientStream.message?.text == "abcdef")

            let bidi = try await connection.makeCall(path: "/test.Echo/Bidi")
            var iterator = bidi.responses.makeAsyncIterator()
            for index in 0..<20 {
                try await bidi.send(ByteBuffer(text: "ping \(index)"))
                let echoed = try await iterator.next()
                #expect(echoed?.text == "ping \(index)")
            }
            bidi.finishSending()
            #expect(try await iterator.next() == nil)
            #expect(try await bidi.status.code == .ok)
            await connection.close()
        }
    }

    @Test("a slow consumer gets every message (flow control holds the sender)")
    func backpressure() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            // 64 MiB in 1 MiB messages: far beyond the stream window and the stream's buffer.
            let call = try await connection.serverStreaming(path: "/test.Echo/ServerStream", request: ByteBuffer(text: "64:1048576"))
            var count = 0
            for try await message in call.responses {
                #expect(message.readableBytes == 1_048_576)
                count += 1
                if count % 16 == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(count == 64)
            #expect(try await call.status.code == .ok)
            await connection.close()
        }
    }

    @Test("a fast sender to a slow server handler is held back by flow control, nothing is lost")
    func sendBackpressure() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            let call = try await connection.makeCall(path: "/test.Echo/SlowSink")
            let chunk = ByteBuffer(repeating: 7, count: 512 * 1024)
            for _ in 0..<96 { try await call.send(chunk) }
            call.finishSending()
            var replies: [String] = []
            for try await reply in call.responses { replies.append(reply.text) }
            #expect(replies == ["96:\(96 * 512 * 1024)"])
            #expect(try await call.status.code == .ok)
            await connection.close()
        }
    }

    @Test("deadlines: the client ends the call DEADLINE_EXCEEDED; the server sees the deadline")
    func deadlines() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            let response = try await connection.unary(
                path: "/test.Echo/Unary", request: ByteBuffer(text: "sleep:3000"),
                options: CallOptions(timeout: .milliseconds(200)))
            #expect(response.status.code == .deadlineExceeded)

            // The server sees the deadline the client sent.
            let seen = try await connection.unary(
                path: "/test.Echo/Deadline", request: ByteBuffer(text: "x"), options: CallOptions(timeout: .seconds(60)))
            #expect(seen.status.trailers["x-deadline"] == "yes")
            #expect(seen.status.trailers["x-peer"]?.contains("127.0.0.1") == true)
            #expect(seen.status.trailers["x-authority"] == "127.0.0.1:\(server.port ?? 0)")
            let none = try await connection.unary(path: "/test.Echo/Deadline", request: ByteBuffer(text: "x"))
            #expect(none.status.trailers["x-deadline"] == "no")

            // A streaming handler that never finishes ends DEADLINE_EXCEEDED.
            let call = try await connection.makeCall(path: "/test.Echo/WaitForCancel", options: CallOptions(timeout: .milliseconds(300)))
            // On a busy machine the deadline may pass before the request is sent: then
            // sending fails as "already ended", and the status still says why.
            try? await call.sendLast(ByteBuffer(text: "x"))
            #expect(try await call.status.code == .deadlineExceeded)

            // The connection is still usable afterwards.
            let after = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "after"))
            #expect(after.message?.text == "after")
            await connection.close()
        }
    }

    @Test("the :authority can be overridden")
    func authorityOverride() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server, configuration: ClientConfiguration(authority: "echo.internal:443"))
            let response = try await connection.unary(path: "/test.Echo/Deadline", request: ByteBuffer(text: "a"))
            #expect(response.status.trailers["x-authority"] == "echo.internal:443")
            await connection.close()
        }
    }

    @Test("cancellation ends the call CANCELLED")
    func cancellation() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            let call = try await connection.makeCall(path: "/test.Echo/WaitForCancel")
            try await call.sendLast(ByteBuffer(text: "x"))
            _ = try await call.headers
            call.cancel()
            #expect(try await call.status.code == .cancelled)
            await connection.close()
        }
    }

    @Test("1 MiB and 8 MiB messages with raised limits; RESOURCE_EXHAUSTED beyond limits")
    func messageSizes() async throws {
        let big = ServerConfiguration(maxReceiveMessageSize: 16 << 20, maxSendMessageSize: 16 << 20)
        try await withEngineServer(configuration: big) { server in
            let connection = try await connect(to: server, configuration: ClientConfiguration(
                maxReceiveMessageSize: 16 << 20, maxSendMessageSize: 16 << 20))
            for size in [1 << 20, 8 << 20] {
                let payload = ByteBuffer(repeating: 0x5A, count: size)
                let response = try await connection.unary(path: "/test.Echo/Unary", request: payload)
                #expect(response.status.code == .ok)
                #expect(response.message == payload)
            }
            await connection.close()

            // Default client limits: a 5 MiB response is refused locally, a 5 MiB request too.
            let small = try await connect(to: server)
            let tooBig = try await small.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "size:\(5 << 20)"))
            #expect(tooBig.status.code == .resourceExhausted)
            let tooBigRequest = try await small.unary(path: "/test.Echo/Unary", request: ByteBuffer(repeating: 1, count: 5 << 20))
            #expect(tooBigRequest.status.code == .resourceExhausted)
            await small.close()
        }
        // Default server limits: a 5 MiB request is refused by the server.
        try await withEngineServer { server in
            let connection = try await connect(to: server, configuration: ClientConfiguration(maxSendMessageSize: 16 << 20))
            let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(repeating: 1, count: 5 << 20))
            #expect(response.status.code == .resourceExhausted)
            let ok = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "still fine"))
            #expect(ok.message?.text == "still fine")
            await connection.close()
        }
    }

    @Test("gzip both ways")
    func gzip() async throws {
        try await withEngineServer(configuration: ServerConfiguration(compressResponses: true)) { server in
            let connection = try await connect(to: server, configuration: ClientConfiguration(compressRequests: true))
            let payload = ByteBuffer(string: String(repeating: "squeeze ", count: 50_000))
            let response = try await connection.unary(path: "/test.Echo/Unary", request: payload)
            #expect(response.status.code == .ok)
            #expect(response.message == payload)
            await connection.close()
        }
    }

    @Test("many concurrent calls beyond the server's stream limit queue and all succeed")
    func concurrencyLimit() async throws {
        try await withEngineServer(configuration: ServerConfiguration(maxConcurrentStreams: 4)) { server in
            let connection = try await connect(to: server)
            let total = 300
            let results = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<total {
                    group.addTask {
                        let request = index % 10 == 0 ? "sleep:20" : "n\(index)"
                        let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: request))
                        return response.status.code == .ok ? response.message?.text : nil
                    }
                }
                var collected: [String] = []
                for try await result in group { if let result { collected.append(result) } }
                return collected
            }
            #expect(results.count == total)
            await connection.close()
        }
    }

    @Test("callback face: thousands of calls in flight over one connection")
    func callbackLoad() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            let total = 5000
            let outcome = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, Int), any Error>) in
                connection.eventLoop.execute {
                    var ok = 0
                    var failed = 0
                    let message = ByteBuffer(text: "load")
                    for _ in 0..<total {
                        connection.startUnary(path: "/test.Echo/Unary", message: message) { result in
                            if case .success(let response) = result, response.status.code == .ok {
                                ok += 1
                            } else {
                                failed += 1
                            }
                            if ok + failed == total { continuation.resume(returning: (ok, failed)) }
                        }
                    }
                }
            }
            #expect(outcome.0 == total)
            #expect(outcome.1 == 0)
            await connection.close()
        }
    }

    @Test("graceful shutdown lets in-flight calls finish and refuses new ones")
    func gracefulShutdown() async throws {
        let server = try await RPCServer.bind(to: .tcp(host: "127.0.0.1", port: 0), router: TestRouter.make(), eventLoopGroup: testGroup)
        let connection = try await connect(to: server)
        async let inFlight = connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "sleep:500"))
        try await Task.sleep(for: .milliseconds(100))
        await server.shutdown(grace: .seconds(20))
        let finished = try await inFlight
        #expect(finished.status.code == .ok)
        #expect(finished.message?.text == "sleep:500")
        // The server closed the connection after the call; new calls fail without hanging.
        try await connection.closeFuture.get()
        let after = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "late"))
        #expect(after.status.code == .unavailable)
        #expect(!(await connection.isAcceptingCalls))
    }

    /// A server with a stream limit and a connection to it that has made one call, so the
    /// server's SETTINGS (the limit) have arrived.
    private func serverAndConnection(streamLimit: Int) async throws -> (RPCServer, RPCConnection) {
        let server = try await RPCServer.bind(
            to: .tcp(host: "127.0.0.1", port: 0), router: TestRouter.make(),
            configuration: ServerConfiguration(maxConcurrentStreams: streamLimit), eventLoopGroup: testGroup)
        let connection = try await connect(to: server)
        _ = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "warm"))
        return (server, connection)
    }

    @Test("reusable UnaryCall objects: 3,000 calls, 1,500 at once on one connection, each object restarted from its own completion")
    func reusableUnaryCalls() async throws {
        let (server, connection) = try await serverAndConnection(streamLimit: 2000)
        let (results, sink) = AsyncStream.makeStream(of: (Int, String?, GRPCStatus.Code?).self)
        // Each call object sends "<id>-<round>" twice in turn; every third call has a deadline,
        // so cached and fresh request headers alternate. Stream IDs reach ~6,000, so streams
        // 2,048 apart (the same place in the engine's stream ring) are open at once.
        final class Repeating: UnaryCall {
            let id: Int
            var round = 0
            let connection: RPCConnection
            let sink: AsyncStream<(Int, String?, GRPCStatus.Code?)>.Continuation
            init(id: Int, connection: RPCConnection, sink: AsyncStream<(Int, String?, GRPCStatus.Code?)>.Continuation) {
                self.id = id
                self.connection = connection
                self.sink = sink
            }
            func start() {
                let options = CallOptions(timeout: (id + round) % 3 == 0 ? .seconds(60) : nil)
                connection.startUnary(
                    path: "/test.Echo/Unary", message: ByteBuffer(text: "\(id)-\(round)"), options: options, call: self)
            }
            override func completed(_ result: Result<UnaryResponse, RPCError>) {
                let response = try? result.get()
                sink.yield((id, response?.message?.text, response?.status.code))
                round += 1
                if round < 2 { start() }
            }
        }
        try await connection.eventLoop.submit {
            for id in 0..<1500 { Repeating(id: id, connection: connection, sink: sink).start() }
        }.get()
        var seen: [String: Int] = [:]
        var failures: [String] = []
        for await (id, text, code) in results {
            if code != .ok { failures.append("\(id): \(String(describing: code))") }
            if let text { seen[text, default: 0] += 1 }
            if seen.count + failures.count == 3000 { break }
        }
        #expect(failures.count == 0, "first failures: \(failures.prefix(5))")
        let missing = Set((0..<1500).flatMap { ["\($0)-0", "\($0)-1"] }).subtracting(seen.keys)
        #expect(missing.count == 0, "never answered: \(missing.prefix(5))")
        #expect(seen.values.filter { $0 != 1 }.count == 0, "a response arrived twice")
        await connection.close()
        await server.closeNow()
    }

    @Test("GOAWAY: the running call finishes, calls queued behind the stream limit fail UNAVAILABLE unsent")
    func goAwayWithQueuedCalls() async throws {
        let (server, connection) = try await serverAndConnection(streamLimit: 1)
        // Started in this order in one turn of the connection's loop (the callback face), so
        // the long call takes the one stream and the four after it wait in the queue,
        // however busy the machine is.
        let (results, sink) = AsyncStream.makeStream(of: (String, GRPCStatus.Code?).self)
        let texts = ["sleep:3000", "q0", "q1", "q2", "q3"]
        try await connection.eventLoop.submit {
            for text in texts {
                connection.startUnary(path: "/test.Echo/Unary", message: ByteBuffer(text: text)) { result in
                    sink.yield((text, try? result.get().status.code))
                }
            }
        }.get()
        try await Task.sleep(for: .milliseconds(500))
        await server.shutdown(grace: .seconds(30))
        var codes: [String: GRPCStatus.Code?] = [:]
        for await (text, code) in results {
            codes[text] = code
            if codes.count == texts.count { break }
        }
        #expect(codes["sleep:3000"] == .some(.ok))
        for text in texts.dropFirst() {
            #expect(codes[text] == .some(.unavailable), "\(text): \(String(describing: codes[text]))")
        }
    }

    @Test("client shutdown: GOAWAY, the in-flight call completes, then the connection closes")
    func clientShutdown() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server)
            let inFlight = Task { try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "sleep:300")) }
            try await Task.sleep(for: .milliseconds(100))
            await connection.shutdown(grace: .seconds(30))
            let response = try await inFlight.value
            #expect(response.status.code == .ok)
            let late = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "late"))
            #expect(late.status.code == .unavailable)
        }
    }

    @Test("connection closed mid-call is an RPCError, not a status")
    func closedMidCall() async throws {
        let server = try await RPCServer.bind(to: .tcp(host: "127.0.0.1", port: 0), router: TestRouter.make(), eventLoopGroup: testGroup)
        let connection = try await connect(to: server)
        let pending = Task { try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "sleep:5000")) }
        try await Task.sleep(for: .milliseconds(200))
        await server.closeNow()
        await #expect {
            _ = try await pending.value
        } throws: { error in
            (error as? RPCError)?.code == .connectionClosed
        }
    }

    @Test("a streaming call made on a connection that has closed ends at once with UNAVAILABLE")
    func streamOnClosedConnection() async throws {
        let server = try await RPCServer.bind(to: .tcp(host: "127.0.0.1", port: 0), router: TestRouter.make(), eventLoopGroup: testGroup)
        let connection = try await connect(to: server)
        await server.closeNow()
        for _ in 0..<100 where await connection.isAcceptingCalls { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await !connection.isAcceptingCalls)
        for _ in 0..<3 {
            let call = try await connection.makeCall(path: "/test.Echo/Bidi")
            var received = 0
            do {
                for try await _ in call.responses { received += 1 }
            } catch {}
            #expect(received == 0)
            let status = try await call.status
            #expect(status.code == .unavailable, "\(status)")
        }
        await connection.close()
    }

    @Test("keepalive pings are answered (by a server that allows them that often)")
    func keepalive() async throws {
        let permissive = ServerConfiguration(minimumPingInterval: .milliseconds(10), permitPingsWithoutCalls: true)
        try await withEngineServer(configuration: permissive) { server in
            let connection = try await connect(to: server, configuration: ClientConfiguration(
                keepalive: .init(interval: .milliseconds(50), timeout: .seconds(10))))
            try await Task.sleep(for: .milliseconds(400))
            let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "alive"))
            #expect(response.message?.text == "alive")
            #expect(await connection.isAcceptingCalls)
            await connection.close()
        }
    }

    @Test("a client pinging every 50 ms with no call open is sent away by gRPC's default policy")
    func pingFloodIsSentAway() async throws {
        try await withEngineServer { server in
            let connection = try await connect(to: server, configuration: ClientConfiguration(
                keepalive: .init(interval: .milliseconds(50), timeout: .seconds(10))))
            var accepting = true
            for _ in 0..<40 where accepting {
                try await Task.sleep(for: .milliseconds(50))
                accepting = await connection.isAcceptingCalls
            }
            #expect(!accepting)
            await connection.close()
        }
    }
}

/// An async sequence over an array (for client-streaming requests).
struct AsyncStreamOf: AsyncSequence {
    typealias Element = ByteBuffer
    let elements: [ByteBuffer]
    init(_ elements: [ByteBuffer]) { self.elements = elements }
    struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let elements: [ByteBuffer]
        mutating func next() async -> ByteBuffer? {
            guard index < elements.count else { return nil }
            defer { index += 1 }
            return elements[index]
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(elements: elements) }
}
