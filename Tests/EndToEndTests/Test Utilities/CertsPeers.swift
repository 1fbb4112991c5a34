import Foundation

/// External tools, run with a deadline.
enum ExternalTool {
    struct Output {
        var status: Int32
        var output: String
    }

    /// Runs `tool` (found on PATH) with stdout and stderr together; stops it by PID after `timeout`.
    static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 30) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let outputPath = NSTemporaryDirectory() + "polarisctl-tool-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = file
        process.standardError = file
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try file.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let data = (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()
        return Output(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Every file under `dir` with its size and modification time.
    static func listing(_ dir: String) -> [String] {
        let fm = FileManager.default
        return (fm.subpaths(atPath: dir) ?? []).sorted().map { path in
            let attributes = try? fm.attributesOfItem(atPath: dir + "/" + path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(path) \(size) \(modified)"
        }
    }
}

/// The grpcio TLS peers in Tests/Peers/python.
enum GRPCIOTLSPeer {
    static let directory = CLI.root + "/Tests/Peers/python"

    /// Whether python3 can import grpc (the tests that need it are skipped otherwise).
    static let isAvailable: Bool = {
        (try? ExternalTool.run("python3", ["-c", "import grpc"], timeout: 30).status) == 0
    }()

    /// A running grpcio server; `stop()` ends it by its PID.
    final class Server {
        let process: Process
        let input: Pipe
        let port: Int

        init(process: Process, input: Pipe, port: Int) {
            self.process = process
            self.input = input
            self.port = port
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            let hard = Date().addingTimeInterval(5)
            while process.isRunning && Date() < hard { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Starts tls_echo_server.py on 127.0.0.1 requiring client certificates, and waits for its port.
    static func startServer(cert: String, key: String, clientCA: String) throws -> Server {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory + "/tls_echo_server.py", "--cert", cert, "--key", key,
                             "--client-ca", clientCA, "--require-client-auth", "--max-seconds", "60"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = LineReader(output.fileHandleForReading)
        guard let first = line.firstLine(timeout: 30), first.hasPrefix("PORT "), let port = Int(first.dropFirst(5)) else {
            let server = Server(process: process, input: input, port: 0)
            server.stop()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the grpcio TLS server did not start"])
        }
        return Server(process: process, input: input, port: port)
    }

    /// Calls echo.Echo/Unary through tls_echo_client.py.
    static func call(target: String, ca: String, cert: String? = nil, key: String? = nil) throws -> ExternalTool.Output {
        var arguments = [directory + "/tls_echo_client.py", "--target", target, "--ca", ca, "--timeout", "5"]
        if let cert, let key { arguments += ["--cert", cert, "--key", key] }
        return try ExternalTool.run("python3", arguments, timeout: 30)
    }

    /// Reads the first line of a pipe on another thread, with a deadline.
    final class LineReader: @unchecked Sendable {
        let handle: FileHandle
        private var line: String?
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) { self.handle = handle }

        func firstLine(timeout: TimeInterval) -> String? {
            Thread.detachNewThread { [self] in
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.readData(ofLength: 1)
                    if chunk.isEmpty || chunk.first == UInt8(ascii: "\n") { break }
                    bytes.append(contentsOf: chunk)
                }
                line = String(decoding: bytes, as: UTF8.self)
                done.signal()
            }
            guard done.wait(timeout: .now() + timeout) == .success else { return nil }
            return line
        }
    }
}
