import Foundation

/// A `polarisctl serve` started for a test on a free loopback port (port 0, read back from
/// its "listening on" line). Ended by ``stop(signal:)``, by PID; stdout and stderr go to
/// files so the tests can read them after it exits.
final class ServeProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let directory: String
    var address: String { "127.0.0.1:\(port)" }

    init(_ arguments: [String]) throws {
        directory = try CLI.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        FileManager.default.createFile(atPath: directory + "/out", contents: nil)
        FileManager.default.createFile(atPath: directory + "/err", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        var found: Int?
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: directory + "/out", encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }),
               let portText = line.split(separator: " ")[2].split(separator: ":").last, let port = Int(portText) {
                found = port
                break
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        guard let found else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let text = (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? ""
            throw PeerServer.PeerFailure(description: "serve did not start: \(text)")
        }
        port = found
    }

    var stdout: String { (try? String(contentsOfFile: directory + "/out", encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? "" }

    /// Sends `signal`, waits at most 15 s, then SIGKILL; returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        for _ in 0..<150 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// Runs polarisctl against this server.
    func cli(_ arguments: [String], stdin: String = "") throws -> CLI.Result {
        try CLI.run([arguments[0], "--plaintext", address] + arguments.dropFirst(), stdin: Array(stdin.utf8))
    }

    /// Runs `Tests/Peers/python/serve_client.py PORT check` and parses its JSON line.
    func python(_ check: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.root + "/Tests/Peers/python/serve_client.py", "\(port)", check]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
    }
}
