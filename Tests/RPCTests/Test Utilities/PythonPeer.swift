import Foundation

/// A Python grpcio program started by a test: it prints `PORT <n>` once listening and
/// exits when its stdin closes. Stopped by PID (SIGTERM, then SIGKILL).
final class PythonPeer: @unchecked Sendable {
    let process: Process
    let port: Int
    private let stdin: Pipe

    static var peersDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Peers/python")
    }

    static var isAvailable: Bool {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import grpc"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        do {
            try check.run()
            check.waitUntilExit()
            return check.terminationStatus == 0
        } catch {
            return false
        }
    }

    /// Starts `echo_server.py` with `arguments` and waits (bounded) for its port.
    init(server arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.peersDirectory.appendingPathComponent("echo_server.py").path] + arguments
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.stdin = input
        // Read the first line ("PORT n") with a bounded wait.
        let handle = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(60)
        var collected = Data()
        var found: Int?
        while Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            collected.append(chunk)
            if let text = String(data: collected, encoding: .utf8), let line = text.split(separator: "\n").first,
               line.hasPrefix("PORT "), text.contains("\n") {
                found = Int(line.dropFirst(5))
                break
            }
        }
        guard let port = found else {
            Self.stop(process)
            throw PeerError(message: "the Python server did not report a port")
        }
        self.port = port
    }

    struct PeerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        Self.stop(process)
    }

    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs `echo_client.py` against `target`, returning its JSON output (bounded time).
    static func runClient(target: String, arguments: [String] = [], timeout: TimeInterval = 120) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersDirectory.appendingPathComponent("echo_client.py").path, target] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { stop(process) }
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let stderr = String(data: errors.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
            throw PeerError(message: "echo_client.py failed (\(process.terminationStatus)): \(stderr.suffix(2000))")
        }
        return object
    }
}
