// The RPC engine alone, for scripts/bench/engine.
//
//   EngineBench serve [--threads N]
//       Serves helloworld.Greeter/SayHello ("Hello " + name) on 127.0.0.1:0 from
//       the engine's callback path; prints "PORT n"; stops when stdin closes.
//   EngineBench client PORT [--total N] [--concurrency C] [--connections K] [--seconds S]
//       Closed loop on the callback face: C calls in flight spread over K
//       connections until N calls are done or S seconds pass (both bound the run).
//       Prints {"requests","ok","seconds","rps"}.
import Foundation
import NIOCore
import NIOPosix
import RPC

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let index = args.firstIndex(of: name), index + 1 < args.count, let value = Int(args[index + 1]) else {
        return fallback
    }
    return value
}

/// HelloRequest{name} -> HelloReply{message: "Hello " + name}, on the wire bytes
/// (field 1, length-delimited, in both messages).
func greet(_ request: ByteBuffer) -> ByteBuffer {
    var name: [UInt8] = []
    var bytes = request
    if bytes.readInteger(as: UInt8.self) == 0x0a, let length = bytes.readInteger(as: UInt8.self), length < 0x80,
       let slice = bytes.readBytes(length: Int(length)) {
        name = slice
    }
    let message = Array("Hello ".utf8) + name
    var reply = ByteBufferAllocator().buffer(capacity: message.count + 3)
    reply.writeInteger(UInt8(0x0a))
    var length = message.count
    while length >= 0x80 {
        reply.writeInteger(UInt8(length & 0x7f | 0x80))
        length >>= 7
    }
    reply.writeInteger(UInt8(length))
    reply.writeBytes(message)
    return reply
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: EngineBench serve|client ...\n".utf8))
    exit(2)
}

if args[1] == "serve" {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: option("--threads", 1))
    var router = RPCRouter()
    router.registerUnary("/helloworld.Greeter/SayHello") { _, request, responder in
        responder.respond(greet(request))
    }
    let server = try await RPCServer.bind(to: .tcp(host: "127.0.0.1", port: 0), router: router, eventLoopGroup: group)
    print("PORT \(server.port ?? 0)")
    fflush(nil)
    _ = FileHandle.standardInput.readDataToEndOfFile()
    await server.closeNow()
    exit(0)
}

guard args[1] == "client", args.count >= 3, let port = Int(args[2]) else {
    FileHandle.standardError.write(Data("usage: EngineBench client PORT [--total N] [--concurrency C] [--connections K] [--seconds S]\n".utf8))
    exit(2)
}
let total = option("--total", 200_000)
let concurrency = option("--concurrency", 16)
let connectionCount = max(1, option("--connections", 1))
let seconds = Double(option("--seconds", 30))
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
var connections: [RPCConnection] = []
for _ in 0..<connectionCount {
    connections.append(try await RPCConnection.connect(to: .tcp(host: "127.0.0.1", port: port), eventLoopGroup: group))
}
let request = ByteBuffer(bytes: [0x0a, 0x05] + Array("world".utf8))
let start = Date()
let deadline = NIODeadline.now() + .nanoseconds(Int64(seconds * 1e9))
let perConnection = total / connectionCount
let inFlight = max(1, concurrency / connectionCount)

let (done, ok) = try await withThrowingTaskGroup(of: (Int, Int).self) { tasks in
    for connection in connections {
        tasks.addTask {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, Int), any Error>) in
                connection.eventLoop.execute {
                    var started = 0
                    var finished = 0
                    var succeeded = 0
                    var stopped = false
                    func launch() {
                        started += 1
                        connection.startUnary(path: "/helloworld.Greeter/SayHello", message: request) { result in
                            finished += 1
                            if case .success(let response) = result, response.status.code == .ok { succeeded += 1 }
                            if !stopped && NIODeadline.now() > deadline { stopped = true }
                            if started < perConnection && !stopped { launch() }
                            if finished == started && (started == perConnection || stopped) {
                                continuation.resume(returning: (finished, succeeded))
                            }
                        }
                    }
                    for _ in 0..<min(inFlight, perConnection) { launch() }
                }
            }
        }
    }
    var done = 0, ok = 0
    for try await (d, o) in tasks { done += d; ok += o }
    return (done, ok)
}
let elapsed = Date().timeIntervalSince(start)
print(String(format: #"{"requests":%d,"ok":%d,"seconds":%.3f,"rps":%.0f}"#, done, ok, elapsed, Double(done) / elapsed))
exit(0)
