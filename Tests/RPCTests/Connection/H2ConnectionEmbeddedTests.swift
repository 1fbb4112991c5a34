import NIOCore
import NIOEmbedded
import Testing
@testable import RPC

/// Records one client call's events.
final class RecordingObserver: ClientCallObserver {
    var headers: Metadata?
    var messages: [ByteBuffer] = []
    var result: Result<GRPCStatus, RPCError>?

    func receivedHeaders(_ metadata: Metadata) { headers = metadata }
    func receivedMessage(_ message: ByteBuffer) -> Bool {
        messages.append(message)
        return true
    }
    func finished(_ result: Result<GRPCStatus, RPCError>) { self.result = result }

    var status: GRPCStatus? {
        if case .success(let status) = result { return status }
        return nil
    }
}

/// A client and a server connection joined by two `EmbeddedChannel`s on one embedded loop:
/// no sockets, and bytes can be moved one at a time; time is advanced by hand.
struct EmbeddedPair {
    let loop = EmbeddedEventLoop()
    let clientChannel: EmbeddedChannel
    let serverChannel: EmbeddedChannel
    let client: H2Connection
    let server: H2Connection

    init(
        router: RPCRouter, serverConfiguration: ServerConfiguration = ServerConfiguration(),
        clientConfiguration: ClientConfiguration = ClientConfiguration()
    ) throws {
        clientChannel = EmbeddedChannel(loop: loop)
        serverChannel = EmbeddedChannel(loop: loop)
        client = H2Connection(role: .client(clientConfiguration, scheme: "http", authority: "embedded"), eventLoop: loop)
        server = H2Connection(role: .server(serverConfiguration, router), eventLoop: loop)
        try clientChannel.pipeline.syncOperations.addHandler(client)
        try serverChannel.pipeline.syncOperations.addHandler(server)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try clientChannel.connect(to: address).wait()
        try serverChannel.connect(to: address).wait()
    }

    /// Moves bytes both ways until both sides are quiet (bounded).
    func pump(oneByteAtATime: Bool = false) throws {
        for _ in 0..<10_000 {
            loop.run()
            var moved = false
            while let bytes = try clientChannel.readOutbound(as: ByteBuffer.self) {
                moved = true
                try deliver(bytes, to: serverChannel, oneByteAtATime: oneByteAtATime)
            }
            while let bytes = try serverChannel.readOutbound(as: ByteBuffer.self) {
                moved = true
                try deliver(bytes, to: clientChannel, oneByteAtATime: oneByteAtATime)
            }
            if !moved { return }
        }
    }

    private func deliver(_ bytes: ByteBuffer, to channel: EmbeddedChannel, oneByteAtATime: Bool) throws {
        if oneByteAtATime {
            for byte in bytes.readableBytesView {
                try channel.writeInbound(ByteBuffer(bytes: [byte]))
            }
        } else {
            try channel.writeInbound(bytes)
        }
    }
}

@Suite("H2Connection on EmbeddedChannel")
struct H2ConnectionEmbeddedTests {
    private func router() -> RPCRouter {
        var router = RPCRouter()
        router.registerUnary("/e.E/Echo") { context, request, responder in
            responder.respond(request, metadata: context.metadata, trailers: ["x-done": "yes"])
        }
        router.registerUnary("/e.E/Never") { _, _, _ in }
        return router
    }

    @Test("a unary call with metadata, one byte at a time in both directions", arguments: [false, true])
    func unary(oneByteAtATime: Bool) throws {
        let pair = try EmbeddedPair(router: router())
        try pair.pump(oneByteAtATime: oneByteAtATime)
        #expect(pair.client.lifecycle.acceptsNewStreams)

        let observer = RecordingObserver()
        var metadata: Metadata = ["x-a": "1"]
        metadata.addBinary([0, 255], forKey: "x-b-bin")
        let handle = try #require(pair.client.startCall(path: "/e.E/Echo", metadata: metadata, options: CallOptions(), observer: observer))
        _ = pair.client.clientSend(handle, message: ByteBuffer(string: "payload"), endStream: true)
        try pair.pump(oneByteAtATime: oneByteAtATime)

        #expect(observer.headers?["x-a"] == "1")
        #expect(observer.headers?.binaries(forKey: "x-b-bin") == [[0, 255]])
        #expect(observer.messages.map { String(buffer: $0) } == ["payload"])
        #expect(observer.status == GRPCStatus(code: .ok, trailers: ["x-done": "yes"]))
        #expect(pair.client.activeStreams == 0)
        #expect(pair.server.activeStreams == 0)
    }

    @Test("unknown method is UNIMPLEMENTED (trailers-only)")
    func unknown() throws {
        let pair = try EmbeddedPair(router: router())
        try pair.pump()
        let observer = RecordingObserver()
        let handle = try #require(pair.client.startCall(path: "/e.E/Missing", metadata: [:], options: CallOptions(), observer: observer))
        _ = pair.client.clientSend(handle, message: ByteBuffer(string: "x"), endStream: true)
        try pair.pump()
        #expect(observer.status?.code == .unimplemented)
        #expect(observer.headers == nil)
    }

    @Test("deadlines fire on both sides with manual time")
    func deadline() throws {
        let pair = try EmbeddedPair(router: router())
        try pair.pump()
        let observer = RecordingObserver()
        let handle = try #require(pair.client.startCall(
            path: "/e.E/Never", metadata: [:], options: CallOptions(timeout: .seconds(5)), observer: observer))
        _ = pair.client.clientSend(handle, message: ByteBuffer(string: "x"), endStream: true)
        try pair.pump()
        #expect(observer.result == nil)
        #expect(pair.server.activeStreams == 1)
        pair.loop.advanceTime(by: .seconds(6))
        try pair.pump()
        #expect(observer.status?.code == .deadlineExceeded)
        #expect(pair.client.activeStreams == 0)
        #expect(pair.server.activeStreams == 0)
    }

    @Test("calls beyond SETTINGS_MAX_CONCURRENT_STREAMS wait, then run")
    func streamLimit() throws {
        var router = RPCRouter()
        let pending = PendingResponders()
        router.registerUnary("/e.E/Hold") { _, request, responder in
            pending.responders.append((responder, request))
        }
        let pair = try EmbeddedPair(router: router, serverConfiguration: ServerConfiguration(maxConcurrentStreams: 2))
        try pair.pump()
        let observers = (0..<5).map { _ in RecordingObserver() }
        for observer in observers {
            let handle = try #require(pair.client.startCall(path: "/e.E/Hold", metadata: [:], options: CallOptions(), observer: observer))
            _ = pair.client.clientSend(handle, message: ByteBuffer(string: "x"), endStream: true)
        }
        try pair.pump()
        #expect(pending.responders.count == 2)
        for _ in 0..<10 where !pending.responders.isEmpty {
            let (responder, request) = pending.responders.removeFirst()
            responder.respond(request)
            try pair.pump()
        }
        #expect(observers.allSatisfy { $0.status?.code == .ok })
    }

    @Test("keepalive: PINGs are answered; an unanswered PING closes the connection")
    func keepalive() throws {
        let pair = try EmbeddedPair(
            router: router(), clientConfiguration: ClientConfiguration(keepalive: .init(interval: .seconds(10), timeout: .seconds(5))))
        try pair.pump()
        let observer = RecordingObserver()
        let handle = try #require(pair.client.startCall(path: "/e.E/Never", metadata: [:], options: CallOptions(), observer: observer))
        _ = pair.client.clientSend(handle, message: ByteBuffer(string: "x"), endStream: true)
        try pair.pump()
        // Answered PINGs keep the connection up.
        for _ in 0..<3 {
            pair.loop.advanceTime(by: .seconds(10))
            #expect(pair.client.keepaliveTimeoutStore != nil, "ping sent")
            try pair.pump()
            #expect(pair.client.keepaliveTimeoutStore == nil, "ack received")
        }
        #expect(pair.client.lifecycle.acceptsNewStreams)
        #expect(observer.result == nil)
        // Now the server goes silent: its bytes are dropped.
        pair.loop.advanceTime(by: .seconds(10))
        pair.loop.run()
        while try pair.clientChannel.readOutbound(as: ByteBuffer.self) != nil {}
        pair.loop.advanceTime(by: .seconds(6))
        guard case .failure(let error) = observer.result else {
            Issue.record("expected a failure, got \(String(describing: observer.result))")
            return
        }
        #expect(error.code == .keepaliveTimeout)
    }

    @Test("keepalive policing: PINGs every 10 s with no call open get GOAWAY ENHANCE_YOUR_CALM on the third strike")
    func pingFlood() throws {
        let pair = try EmbeddedPair(
            router: router(), clientConfiguration: ClientConfiguration(keepalive: .init(interval: .seconds(10), timeout: .seconds(5))))
        try pair.pump()
        // The first PING sets the clock; the next three are strikes (no call open: one per 2 h allowed).
        for ping in 1...3 {
            pair.loop.advanceTime(by: .seconds(10))
            try pair.pump()
            #expect(pair.server.pingStrikes == ping - 1)
            #expect(pair.client.lifecycle.acceptsNewStreams)
        }
        // The fourth: the server answers with GOAWAY(ENHANCE_YOUR_CALM, "too_many_pings").
        pair.loop.advanceTime(by: .seconds(10))
        pair.loop.run()
        while let bytes = try pair.clientChannel.readOutbound(as: ByteBuffer.self) {
            try pair.serverChannel.writeInbound(bytes)
        }
        pair.loop.run()
        var answer = ByteBuffer()
        while var bytes = try pair.serverChannel.readOutbound(as: ByteBuffer.self) { answer.writeBuffer(&bytes) }
        #expect(pair.server.pingStrikes == 3)
        let wire = answer
        var goAway: (code: UInt32, debug: String)?
        while answer.readableBytes >= 9, let length = answer.readInteger(as: UInt32.self).map({ Int($0 >> 8) }) {
            // 24-bit length (read with the type byte), type, flags, stream id.
            answer.moveReaderIndex(to: answer.readerIndex - 1)
            let type = answer.readInteger(as: UInt8.self)
            answer.moveReaderIndex(forwardBy: 5)
            guard var payload = answer.readSlice(length: length) else { break }
            if type == 7, let _ = payload.readInteger(as: UInt32.self), let code = payload.readInteger(as: UInt32.self) {
                goAway = (code, payload.readString(length: payload.readableBytes) ?? "")
            }
        }
        #expect(goAway?.code == 11, "\(String(describing: goAway))")
        #expect(goAway?.debug == "too_many_pings")
        // Delivered, the GOAWAY stops the client from starting calls on this connection.
        try pair.clientChannel.writeInbound(wire)
        try pair.pump()
        #expect(!pair.client.lifecycle.acceptsNewStreams)
    }

    @Test("keepalive policing: PINGs within the allowed interval, or answered by responses, draw no strike")
    func pingsWithinPolicy() throws {
        var lenient = ServerConfiguration(minimumPingInterval: .seconds(5), permitPingsWithoutCalls: true)
        lenient.maxConcurrentStreams = 10
        let pair = try EmbeddedPair(
            router: router(), serverConfiguration: lenient,
            clientConfiguration: ClientConfiguration(keepalive: .init(interval: .seconds(10), timeout: .seconds(5))))
        try pair.pump()
        for _ in 0..<6 {
            pair.loop.advanceTime(by: .seconds(10))
            try pair.pump()
        }
        #expect(pair.server.pingStrikes == 0)
        #expect(pair.client.lifecycle.acceptsNewStreams)

        // With gRPC's default policy, a response between PINGs clears the strikes.
        let strict = try EmbeddedPair(
            router: router(), clientConfiguration: ClientConfiguration(keepalive: .init(interval: .seconds(10), timeout: .seconds(5))))
        try strict.pump()
        for _ in 0..<6 {
            strict.loop.advanceTime(by: .seconds(10))
            let observer = RecordingObserver()
            let handle = try #require(strict.client.startCall(path: "/e.E/Echo", metadata: [:], options: CallOptions(), observer: observer))
            _ = strict.client.clientSend(handle, message: ByteBuffer(string: "x"), endStream: true)
            try strict.pump()
            #expect(observer.status?.code == .ok)
        }
        #expect(strict.server.pingStrikes == 0)
        #expect(strict.client.lifecycle.acceptsNewStreams)
    }

    @Test("a non-gRPC HTTP/2 answer maps the HTTP status", arguments: [
        (UInt8(0x8D), GRPCStatus.Code.unimplemented), (0x8C, .internal), (0x8E, .unknown),
    ])
    func nonGRPCAnswer(statusIndex: UInt8, expected: GRPCStatus.Code) throws {
        // A hand-written server: an empty SETTINGS frame, then HEADERS(END_STREAM) whose only
        // field is an HPACK static-table `:status` (0x8C = 400, 0x8D = 404, 0x8E = 500).
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let client = H2Connection(role: .client(ClientConfiguration(), scheme: "http", authority: "x"), eventLoop: loop)
        try channel.pipeline.syncOperations.addHandler(client)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 4, 0, 0, 0, 0, 0]))
        #expect(client.lifecycle.acceptsNewStreams)

        let observer = RecordingObserver()
        let handle = try #require(client.startCall(path: "/p.S/M", metadata: [:], options: CallOptions(), observer: observer))
        _ = client.clientSend(handle, message: ByteBuffer(string: "x"), endStream: true)
        loop.run()
        while try channel.readOutbound(as: ByteBuffer.self) != nil {}
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 1, 1, 5, 0, 0, 0, 1, statusIndex]))
        #expect(observer.status?.code == expected)
        #expect(observer.status?.message.contains("HTTP status") == true)
        _ = try? channel.finish()
    }

    @Test("a closed connection fails active calls with an RPCError")
    func connectionLoss() throws {
        let pair = try EmbeddedPair(router: router())
        try pair.pump()
        let observer = RecordingObserver()
        let handle = try #require(pair.client.startCall(path: "/e.E/Never", metadata: [:], options: CallOptions(), observer: observer))
        _ = pair.client.clientSend(handle, message: ByteBuffer(string: "x"), endStream: true)
        try pair.pump()
        _ = try? pair.clientChannel.finish()
        guard case .failure(let error) = observer.result else {
            Issue.record("expected a failure, got \(String(describing: observer.result))")
            return
        }
        #expect(error.code == .connectionClosed)
    }
}

final class PendingResponders: @unchecked Sendable {
    var responders: [(UnaryResponder, ByteBuffer)] = []
}
