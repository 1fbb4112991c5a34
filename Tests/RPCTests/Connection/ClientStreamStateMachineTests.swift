import Testing
@testable import RPC

@Suite("Client stream state machine")
struct ClientStreamStateMachineTests {
    private func fields(_ headers: [(String, String)]) -> HeaderFields {
        var fields = HeaderFields()
        var strings = HeaderStrings()
        for (name, value) in headers {
            Array(name.utf8).withUnsafeBytes { nameBytes in
                Array(value.utf8).withUnsafeBytes { valueBytes in
                    fields.add(name: nameBytes, value: valueBytes, strings: &strings)
                }
            }
        }
        return fields
    }

    @Test("received header text is reused when the same bytes repeat, and only then")
    func headerStringsRepeat() {
        var strings = HeaderStrings()
        func text(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { strings.string($0) } }
        let path = Array("/helloworld.Greeter/SayHello".utf8)
        let first = text(path)
        let again = text(path)
        #expect(first == "/helloworld.Greeter/SayHello" && again == first)
        // The same storage, not a new string: a repeat allocates nothing.
        #expect(first.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
                == again.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
        // Same length, different bytes: its own text.
        #expect(text(Array("/helloworld.Greeter/SayHellp".utf8)) == "/helloworld.Greeter/SayHellp")
        // Invalid UTF-8 is repaired as String(decoding:) does, every time.
        #expect(text([0x61, 0xff, 0x62]) == "a\u{FFFD}b")
        #expect(text([0x61, 0xff, 0x62]) == "a\u{FFFD}b")
        #expect(text([]) == "")
        // Past the capacity the oldest entries give way; every answer stays right.
        for n in 0..<(HeaderStrings.capacity * 3) {
            #expect(text(Array("value-\(n)".utf8)) == "value-\(n)")
        }
        #expect(text(path) == "/helloworld.Greeter/SayHello")
    }

    @Test("headers, then trailers")
    func headersThenTrailers() {
        var machine = ClientStreamStateMachine()
        let headers = fields([(":status", "200"), ("content-type", "application/grpc+proto"), ("x-a", "1"), ("d-bin", "AAEC")])
        var expected = Metadata()
        expected.addString("1", forKey: "x-a")
        expected.addBinary([0, 1, 2], forKey: "d-bin")
        #expect(machine.receivedHeaders(headers, endStream: false) == .deliverHeaders(expected, gzip: false))
        let trailers = fields([("grpc-status", "5"), ("grpc-message", "n%C3%A4h"), ("t", "v")])
        #expect(machine.receivedHeaders(trailers, endStream: true)
                == .finish(GRPCStatus(code: .notFound, message: "näh", trailers: ["t": "v"])))
        #expect(machine.isClosed)
        #expect(machine.streamClosed(errorCode: 0) == nil)
    }

    @Test("trailers-only response")
    func trailersOnly() {
        var machine = ClientStreamStateMachine()
        let only = fields([(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "12"),
                           ("grpc-status-details-bin", "3q2+7w==")])
        #expect(machine.receivedHeaders(only, endStream: true)
                == .finish(GRPCStatus(code: .unimplemented, details: [0xDE, 0xAD, 0xBE, 0xEF])))
    }

    @Test("non-200 responses map from the HTTP status", arguments: [(404, GRPCStatus.Code.unimplemented), (503, .unavailable), (401, .unauthenticated)])
    func httpError(status: Int, code: GRPCStatus.Code) {
        var machine = ClientStreamStateMachine()
        let action = machine.receivedHeaders(fields([(":status", String(status)), ("content-type", "text/html")]), endStream: true)
        #expect(action == .finish(GRPCStatus.fromHTTPStatus(status)))
        if case .finish(let got) = action { #expect(got.code == code) }
    }

    @Test("a 200 that is not gRPC is UNKNOWN")
    func notGRPC() {
        var machine = ClientStreamStateMachine()
        let action = machine.receivedHeaders(fields([(":status", "200"), ("content-type", "text/html")]), endStream: false)
        guard case .finishAndReset(let status) = action else {
            Issue.record("expected finishAndReset, got \(action)")
            return
        }
        #expect(status.code == .unknown)
    }

    @Test("missing grpc-status in trailers is INTERNAL; data END_STREAM without trailers too")
    func missingStatus() {
        var machine = ClientStreamStateMachine()
        _ = machine.receivedHeaders(fields([(":status", "200"), ("content-type", "application/grpc")]), endStream: false)
        guard case .finish(let status) = machine.receivedHeaders(fields([]), endStream: true) else {
            Issue.record("expected finish")
            return
        }
        #expect(status.code == .internal)

        var other = ClientStreamStateMachine()
        _ = other.receivedHeaders(fields([(":status", "200"), ("content-type", "application/grpc")]), endStream: false)
        #expect(other.receivedEndOfStreamOnData()?.code == .internal)
    }

    @Test("RST_STREAM codes map to statuses", arguments: [
        (UInt32(0x7), GRPCStatus.Code.unavailable), (0x8, .cancelled), (0xB, .resourceExhausted),
        (0xC, .permissionDenied), (0x2, .internal), (0x0, .internal),
    ])
    func reset(code: UInt32, expected: GRPCStatus.Code) {
        var machine = ClientStreamStateMachine()
        #expect(machine.streamClosed(errorCode: code)?.code == expected)
    }

    @Test("a local end wins over later events")
    func localEnd() {
        var machine = ClientStreamStateMachine()
        let first = machine.endLocally()
        let second = machine.endLocally()
        #expect(first)
        #expect(!second)
        #expect(machine.receivedHeaders(fields([(":status", "200")]), endStream: true) == .ignore)
    }

    @Test("unsupported response compression is rejected; gzip is accepted")
    func compression() {
        var machine = ClientStreamStateMachine()
        #expect(machine.receivedHeaders(
            fields([(":status", "200"), ("content-type", "application/grpc"), ("grpc-encoding", "gzip")]), endStream: false)
            == .deliverHeaders(Metadata(), gzip: true))
        var other = ClientStreamStateMachine()
        guard case .finishAndReset(let status) = other.receivedHeaders(
            fields([(":status", "200"), ("content-type", "application/grpc"), ("grpc-encoding", "br")]), endStream: false) else {
            Issue.record("expected a reset")
            return
        }
        #expect(status.code == .internal)
    }
}

@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    @Test("start, ready, GOAWAY, close")
    func lifecycle() {
        var machine = ConnectionStateMachine()
        #expect(!machine.acceptsNewStreams)
        #expect(machine.receivedSettings() == .becameReady)
        #expect(machine.receivedSettings() == .none)
        #expect(machine.acceptsNewStreams)
        #expect(machine.receivedGoAway() == .beginDraining)
        #expect(!machine.acceptsNewStreams)
        #expect(machine.goAwayReceived)
        #expect(machine.receivedGoAway() == .none)
        #expect(machine.channelClosed() == .failStreams)
        #expect(machine.channelClosed() == .none)
    }

    @Test("closing before the handshake fails the connect")
    func earlyClose() {
        var machine = ConnectionStateMachine()
        #expect(machine.channelClosed() == .failReady)
    }

    @Test("a local shutdown happens once")
    func shutdown() {
        var machine = ConnectionStateMachine()
        _ = machine.receivedSettings()
        let first = machine.beginShutdown()
        let second = machine.beginShutdown()
        #expect(first)
        #expect(!second)
        #expect(!machine.acceptsNewStreams)
        #expect(machine.isDrainingOrClosed)
    }
}
