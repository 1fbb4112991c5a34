import Foundation

/// The grpc-go greeter built by scripts/build-go-peers (into .build-peers/), for bench tests.
final class GoGreeter: @unchecked Sendable {
    static let binary = CLI.root + "/.build-peers/grpc-go-server"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let process: Process
    let port: Int
    var address: String { "127.0.0.1:\(port)" }

    /// Starts it on 127.0.0.1:0 and reads the address line (at most 30 s).
    init() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--listen", "127.0.0.1:0", "--grace", "1s"]
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
            throw PeerServer.PeerFailure(description: "grpc-go-server printed '\(text)'")
        }
        self.process = process
        self.port = port
    }

    /// Stops it by PID: SIGTERM, then SIGKILL.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
