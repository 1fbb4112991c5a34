import Foundation
import NIOCore
import Testing
@testable import RPC

/// A load run of the server's fast unary path with h2load. Off by default; run with
/// `RPC_BENCH=1` (results go to the file named by `RPC_BENCH_OUT`, default
/// `/tmp/rpc-bench.txt`). Asserts only that every request succeeded.
@Suite("Benchmark", .enabled(if: ProcessInfo.processInfo.environment["RPC_BENCH"] != nil))
struct BenchmarkTests {
    private static func cpuTicks() -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime is 14 and stime 15 (1-based overall).
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    @Test("h2load against the fast unary path")
    func h2load() async throws {
        var router = RPCRouter()
        let reply = ByteBuffer(string: "\u{0A}\u{0B}Hello world")
        router.registerUnary("/helloworld.Greeter/SayHello") { _, _, responder in
            responder.respond(reply)
        }
        let server = try await RPCServer.bind(to: .tcp(host: "127.0.0.1", port: 0), router: router, eventLoopGroup: testGroup)
        defer { Task { await server.closeNow() } }
        let port = try #require(server.port)

        let bodyPath = NSTemporaryDirectory() + "rpc-bench-body-\(getpid())"
        var body: [UInt8] = [0, 0, 0, 0, 7]
        body += [0x0A, 0x05] + Array("world".utf8)
        try Data(body).write(to: URL(fileURLWithPath: bodyPath))
        defer { unlink(bodyPath) }

        let requests = Int(ProcessInfo.processInfo.environment["RPC_BENCH_N"] ?? "") ?? 200_000
        var report = ""
        for (clients, streams) in [(16, 16), (1, 1)] {
            let count = clients == 1 ? requests / 4 : requests
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "h2load", "-n", String(count), "-c", String(clients), "-m", String(streams), "-t", "1",
                "--data=\(bodyPath)", "-H", "content-type: application/grpc", "-H", "te: trailers",
                "http://127.0.0.1:\(port)/helloworld.Greeter/SayHello",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            let before = Self.cpuTicks()
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let ticks = Self.cpuTicks() - before
            let text = String(data: data, encoding: .utf8) ?? ""
            let summary = text.split(separator: "\n").filter { $0.hasPrefix("finished in") || $0.hasPrefix("requests:") || $0.hasPrefix("status codes:") }
            let cpuMicros = Double(ticks) * 1_000_000 / Double(sysconf(Int32(_SC_CLK_TCK))) / Double(count)
            report += "-c \(clients) -m \(streams): \(summary.joined(separator: " | "))\n"
            report += String(format: "  server CPU: %.2f µs/request (%d ticks)\n", cpuMicros, ticks)
            #expect(text.contains("\(count) succeeded"), "\(text)")
        }
        let out = ProcessInfo.processInfo.environment["RPC_BENCH_OUT"] ?? "/tmp/rpc-bench.txt"
        try report.write(toFile: out, atomically: true, encoding: .utf8)
    }
}
