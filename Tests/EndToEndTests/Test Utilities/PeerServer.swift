import Foundation

/// An independent grpcio server from `Tests/Peers/python`, started for the
/// tests. It listens on 127.0.0.1 only and exits when its stdin closes, so it
/// never outlives the test process; ``stop()`` ends it earlier, by its PID.
final class PeerServer: @unchecked Sendable {
    let process: Process
    let port: Int
    private let stdin: Pipe

    var address: String { "127.0.0.1:\(port)" }

    /// The example server with reflection, shared by the tests that only call it.
    static let examples: PeerServer? = try? PeerServer(script: "example_server.py")

    /// Starts `script` with `arguments` and waits (at most 60 s) for its "PORT n" line.
    init(script: String, arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.root + "/Tests/Peers/python/" + script] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(60)
        let handle = stdout.fileHandleForReading
        while Date() < deadline {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { break }
            if byte == Data([0x0a]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw PeerFailure(description: "\(script) did not start: '\(text)'")
        }
        self.process = process
        self.port = port
        self.stdin = stdin
    }

    /// Ends the server: closes its stdin, then SIGTERM, then SIGKILL, by PID.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for _ in 0..<30 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct PeerFailure: Error, CustomStringConvertible {
        var description: String
    }
}
