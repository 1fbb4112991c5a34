import NIOCore
import NIOPosix
@testable import RPC

/// The event loops shared by the tests.
let testGroup = MultiThreadedEventLoopGroup.singleton

extension ByteBuffer {
    init(text: String) { self.init(string: text) }
    var text: String { String(buffer: self) }
}

/// An engine server with echo-style handlers used by the loopback tests.
enum TestRouter {
    static func make(service: String = "test.Echo") -> RPCRouter {
        var router = RPCRouter()
        router.registerUnary("/\(service)/Unary") { context, request, responder in
            var headers = Metadata()
            var trailers = Metadata()
            for element in context.metadata where element.key.hasPrefix("x-") {
                headers.append(element)
                var trailer = element
                trailer.key = "t-" + element.key
                trailers.append(trailer)
            }
            let text = request.text
            if text.hasPrefix("status:") {
                let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                let code = Int(parts[1]) ?? 2
                let details = context.metadata.binaries(forKey: "x-details-bin").first
                responder.fail(GRPCStatus(
                    code: .init(rawValue: code), message: parts.count > 2 ? String(parts[2]) : "",
                    details: details, trailers: trailers))
            } else if text.hasPrefix("sleep:") {
                let ms = Int64(text.dropFirst(6)) ?? 0
                responder.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(ms)) {
                    responder.respond(request, metadata: headers, trailers: trailers)
                }
            } else if text.hasPrefix("size:") {
                let size = Int(text.dropFirst(5)) ?? 0
                responder.respond(ByteBuffer(repeating: UInt8(ascii: "z"), count: size))
            } else {
                responder.respond(request, metadata: headers, trailers: trailers)
            }
        }
        router.register("/\(service)/UnaryAsync", kind: .unary) { call in
            var iterator = call.requests.makeAsyncIterator()
            guard let request = try await iterator.next() else {
                return GRPCStatus(code: .invalidArgument, message: "no request")
            }
            try await call.send(request)
            return .ok
        }
        router.register("/\(service)/ServerStream", kind: .serverStreaming) { call in
            var iterator = call.requests.makeAsyncIterator()
            guard let request = try await iterator.next() else { return GRPCStatus(code: .invalidArgument) }
            let parts = request.text.split(separator: ":")
            let count = Int(parts[0]) ?? 0
            let size = Int(parts[1]) ?? 0
            try await call.sendHeaders(["x-stream": "yes"])
            for index in 0..<count {
                try await call.send(ByteBuffer(repeating: UInt8(index % 256), count: size))
            }
            return GRPCStatus(code: .ok, trailers: ["x-count": String(count)])
        }
        router.register("/\(service)/ClientStream", kind: .clientStreaming) { call in
            var all = ByteBuffer()
            for try await var message in call.requests { all.writeBuffer(&message) }
            try await call.send(all)
            return .ok
        }
        router.register("/\(service)/SlowSink", kind: .clientStreaming) { call in
            // Reads slowly and reports how many bytes arrived.
            var total = 0
            var count = 0
            for try await message in call.requests {
                total += message.readableBytes
                count += 1
                if count % 8 == 0 { try await Task.sleep(for: .milliseconds(10)) }
            }
            try await call.send(ByteBuffer(string: "\(count):\(total)"))
            return .ok
        }
        router.register("/\(service)/Bidi", kind: .bidirectionalStreaming) { call in
            for try await message in call.requests { try await call.send(message) }
            return .ok
        }
        router.registerUnary("/\(service)/Deadline") { context, request, responder in
            let remaining = context.deadline.map { $0 - .now() }
            let sensible = remaining.map { $0 > .seconds(1) && $0 <= .seconds(60) } ?? false
            responder.respond(request, trailers: [
                "x-deadline": remaining == nil ? "no" : (sensible ? "yes" : "odd"),
                "x-peer": context.peer ?? "none",
                "x-authority": context.authority ?? "none",
            ])
        }
        router.register("/\(service)/WaitForCancel", kind: .unary) { call in
            // Reports the deadline it saw in a header, then waits until the call ends.
            let hasDeadline = call.context.deadline != nil
            try await call.sendHeaders(["x-deadline": hasDeadline ? "yes" : "no"])
            for _ in 0..<600 {
                try await Task.sleep(for: .milliseconds(50))
            }
            return .ok
        }
        return router
    }
}

func withEngineServer<R>(
    configuration: ServerConfiguration = ServerConfiguration(),
    router: RPCRouter = TestRouter.make(),
    address: String = "127.0.0.1:0",
    _ body: (RPCServer) async throws -> R
) async throws -> R {
    let server = try await RPCServer.bind(
        to: try RPCAddress(parsing: address), router: router, configuration: configuration, eventLoopGroup: testGroup)
    do {
        let result = try await body(server)
        await server.closeNow()
        return result
    } catch {
        await server.closeNow()
        throw error
    }
}

func connect(to server: RPCServer, configuration: ClientConfiguration = ClientConfiguration()) async throws -> RPCConnection {
    try await RPCConnection.connect(to: server.localAddress, configuration: configuration, eventLoopGroup: testGroup)
}
