import Foundation

/// Runs the built `polarisctl` binary, as a user would.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var output: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The binary under test: `POLARISCTL_BIN`, else the one built beside the test bundle.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["POLARISCTL_BIN"] { return path }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("polarisctl").path
    }()

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let examples = root + "/examples/protos"
    static let resources = root + "/Tests/EndToEndTests/Resources"

    /// Runs `polarisctl arguments...` (or another `executable`) in `directory`, with `stdin` as input.
    static func run(_ arguments: [String], stdin: [UInt8] = [], directory: String? = nil,
                    environment: [String: String] = [:], executable: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? root)
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = cacheDirectory  // keeps the reflection cache out of the user's home
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // stderr goes to a file so that neither output can fill a pipe and block the process.
        let errorPath = NSTemporaryDirectory() + "polarisctl-stderr-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let errorFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errorFile
        try process.run()
        try errorFile.close()
        input.fileHandleForWriting.write(Data(stdin))
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errorPath))) ?? Data()
        return Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    /// The cache folder of every polarisctl the tests run, removed when a later test process starts.
    static let cacheDirectory: String = {
        let prefix = "polarisctl-e2e-cache-"
        let temporary = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0 {
                try? FileManager.default.removeItem(atPath: temporary + name)
            }
        }
        return temporary + prefix + "\(getpid())"
    }()

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "polarisctl-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
