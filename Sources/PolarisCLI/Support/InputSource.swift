import Foundation

/// Where request data comes from: `-d TEXT`, `-d @FILE` or `-d @-` (stdin).
enum InputSource: Equatable {
    case literal(String)
    case file(String)
    case standardInput

    init(argument: String) {
        if argument == "@-" {
            self = .standardInput
        } else if argument.hasPrefix("@") {
            self = .file(String(argument.dropFirst()))
        } else {
            self = .literal(argument)
        }
    }

    /// A name for error messages: `-d`, the file name, or `stdin`.
    var displayName: String {
        switch self {
        case .literal: return "-d"
        case .file(let path): return path
        case .standardInput: return "stdin"
        }
    }

    /// Reads all of it.
    ///
    /// - Throws: ``CLIError`` (input) when a file cannot be read.
    func readAll() throws -> [UInt8] {
        switch self {
        case .literal(let text):
            return Array(text.utf8)
        case .file(let path):
            return try FileIO.read(path, purpose: "input file")
        case .standardInput:
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
    }
}

/// File reading and writing with one-line errors.
enum FileIO {
    /// Fails with a one-line input error unless `path` is an existing regular file.
    @discardableResult
    static func checkReadable(_ path: String, purpose: String) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.input("\(purpose) \(path): no such file")
        }
        if isDirectory.boolValue { throw CLIError.input("\(purpose) \(path): is a directory") }
        return URL(fileURLWithPath: path)
    }

    static func read(_ path: String, purpose: String) throws -> [UInt8] {
        let url = try checkReadable(path, purpose: purpose)
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            throw CLIError.input("\(purpose) \(path): cannot be read (\(error.localizedDescription))")
        }
    }

    /// Writes a whole file atomically: a temporary file beside it, then a rename,
    /// so a failure never leaves half a file.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: Int = 0o644) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.file("\(path): directory \(directory) does not exist")
        }
        let temporary = directory + "/.\(url.lastPathComponent).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode_t(mode))
        guard fd >= 0 else {
            throw CLIError.file("\(path): cannot be written (\(String(cString: strerror(errno))))")
        }
        var offset = 0
        var failure: Int32 = 0
        bytes.withUnsafeBufferPointer { buffer in
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)  // count > 0
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw CLIError.file("\(path): cannot be written (\(String(cString: strerror(failure))))")
        }
    }
}
