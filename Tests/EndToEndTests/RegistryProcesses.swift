import Foundation

/// A `polarisctl` (or Python peer) process running in the background for the registry
/// tests: stdout collected line by line, stderr to a file, stopped by PID.
final class BackgroundProcess: @unchecked Sendable {
    let process: Process
    private let lock = NSLock()
    private var lines: [String] = []
    private let errorPath: String
    private let stdin = Pipe()

    init(executable: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        errorPath = NSTemporaryDirectory() + "polarisctl-bg-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardInput = stdin
        let handle = output.fileHandleForReading
        handle.readabilityHandler = { [weak self] file in
            let data = file.availableData
            guard let self, !data.isEmpty else { file.readabilityHandler = nil; return }
            self.lock.withLock {
                let text = String(decoding: data, as: UTF8.self)
                var pending = (self.partial + text).components(separatedBy: "\n")
                self.partial = pending.removeLast()
                self.lines.append(contentsOf: pending)
            }
        }
        try process.run()
    }

    private var partial = ""

    /// polarisctl with `arguments`.
    static func polarisctl(_ arguments: [String]) throws -> BackgroundProcess {
        try BackgroundProcess(executable: CLI.binary, arguments: arguments)
    }

    var output: [String] { lock.withLock { lines } }
    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits (bounded) for a stdout line satisfying `predicate`.
    func waitForLine(timeout: Double = 20, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = output.first(where: predicate) { return line }
            if !process.isRunning { return output.first(where: predicate) }
            usleep(50_000)
        }
        return nil
    }

    /// Waits (bounded) until `count` stdout lines satisfy `predicate`.
    func waitForLines(count: Int, timeout: Double = 20, _ predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.filter(predicate).count >= count { return true }
            usleep(50_000)
        }
        return false
    }

    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits (bounded) for the exit; returns the status, or nil when it is still running.
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Ends it for sure: SIGTERM, then SIGKILL.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        signal(SIGTERM)
        if waitForExit(timeout: 5) == nil { signal(SIGKILL); _ = waitForExit(timeout: 5) }
        try? FileManager.default.removeItem(atPath: errorPath)
    }
}

/// An embedded registry started as `polarisctl serve --registry` on a free port.
final class RegistryServer: @unchecked Sendable {
    let process: BackgroundProcess
    let port: Int
    let dataDirectory: String
    var address: String { "127.0.0.1:\(port)" }

    init(dataDirectory: String? = nil, port: Int = 0, token: String? = nil, extra: [String] = []) throws {
        let directory = try dataDirectory ?? CLI.temporaryDirectory() + "/data"
        self.dataDirectory = directory
        var arguments = ["serve", "--registry", "--listen", "127.0.0.1:\(port)", "--data-dir", directory]
        if let token { arguments += ["--token", token] }
        arguments += extra
        process = try .polarisctl(arguments)
        guard let line = process.waitForLine({ $0.hasPrefix("registry listening on ") }),
              let bound = Int(line.split(separator: ":").last ?? "") else {
            let message = process.stderr
            process.stop()
            throw PeerServer.PeerFailure(description: "serve --registry did not start: \(message)")
        }
        self.port = bound
    }

    func stop() { process.stop() }
}

/// Polls `body` (bounded) until it returns true.
func eventually(timeout: Double = 15, interval: Double = 0.2, _ body: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try body() { return true }
        usleep(UInt32(interval * 1e6))
    }
    return false
}

/// `discover --format ndjson` parsed into objects.
func discoverInstances(_ service: String, registry: String, extra: [String] = []) throws -> [[String: Any]] {
    let result = try CLI.run(["discover", service, "--registry", registry, "--format", "ndjson"] + extra)
    guard result.status == 0 else { return [] }
    return result.output.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
}
