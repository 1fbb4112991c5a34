import Foundation

/// One file to write: a path, its bytes, and whether it holds a secret.
public struct OutputFile: Sendable, Hashable {
    /// Where to write it.
    public var path: String
    /// What to write.
    public var contents: [UInt8]
    /// Secrets (private keys) are written with mode 0600, everything else 0644.
    public var isSecret: Bool

    public init(path: String, contents: [UInt8], isSecret: Bool) {
        self.path = path
        self.contents = contents
        self.isSecret = isSecret
    }

    /// The file mode it is written with (0600 or 0644).
    public var mode: Int { isSecret ? 0o600 : 0o644 }
}

/// Writes a set of files all or nothing.
///
/// Every target is checked first (directory present and writable, file
/// absent unless overwriting); then each file is written to a temporary file
/// beside its target with its final mode, synced, and only when all are
/// written are they renamed into place. On any failure the temporary files
/// are removed, files already renamed into place are removed again, and files
/// they replaced (with overwriting) get their old contents back, so a failed
/// command leaves the directory as it found it.
public enum OutputFiles {
    /// Writes `files`.
    ///
    /// - Parameters:
    ///   - files: The files; their paths must differ.
    ///   - overwrite: Replace files that exist; default: fail instead.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/fileExists`` (naming
    ///   every file in the way) or ``CertsError/Code/notWritable``.
    public static func write(_ files: [OutputFile], overwrite: Bool = false) throws {
        try write(files, overwrite: overwrite, rename: { Foundation.rename($0, $1) })
    }

    /// ``write(_:overwrite:)`` with the rename step replaceable, so tests can
    /// make it fail part-way. `rename` returns 0 or -1 with `errno` set.
    static func write(_ files: [OutputFile], overwrite: Bool,
                      rename: (String, String) -> Int32) throws {
        try check(files, overwrite: overwrite)
        var temporaries: [(file: OutputFile, temporary: String)] = []
        do {
            for file in files {
                temporaries.append((file, try writeTemporary(file)))
            }
        } catch {
            for entry in temporaries { unlink(entry.temporary) }
            throw error
        }
        // Files being replaced keep a hard link to their old contents until
        // the whole set is in place, so a failure can put them back.
        var backups: [(path: String, backup: String)] = []
        for entry in temporaries where access(entry.file.path, F_OK) == 0 {
            let backup = entry.temporary + ".old"
            if link(entry.file.path, backup) == 0 { backups.append((entry.file.path, backup)) }
        }
        var placed: [String] = []
        for (index, entry) in temporaries.enumerated() {
            if rename(entry.temporary, entry.file.path) != 0 {
                let reason = String(cString: strerror(errno))
                for rest in temporaries[index...] { unlink(rest.temporary) }
                for path in placed {
                    if let saved = backups.first(where: { $0.path == path }) {
                        _ = Foundation.rename(saved.backup, path)
                    } else {
                        unlink(path)
                    }
                }
                for saved in backups { unlink(saved.backup) }
                throw CertsError(code: .notWritable, message: "\(entry.file.path): cannot be written (\(reason))",
                                 path: entry.file.path)
            }
            placed.append(entry.file.path)
        }
        for saved in backups { unlink(saved.backup) }
        if let directory = files.first.map({ directoryOf($0.path) }) {
            let fd = open(directory, O_RDONLY)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
        }
    }

    /// Checks every target before anything is written.
    static func check(_ files: [OutputFile], overwrite: Bool) throws {
        var existing: [String] = []
        for file in files {
            let directory = directoryOf(file.path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
                throw CertsError(code: .notWritable, message: "\(file.path): directory \(directory) does not exist",
                                 path: file.path)
            }
            guard isDirectory.boolValue else {
                throw CertsError(code: .notWritable, message: "\(file.path): \(directory) is not a directory", path: file.path)
            }
            guard access(directory, W_OK | X_OK) == 0 else {
                throw CertsError(code: .notWritable, message: "\(file.path): directory \(directory) is not writable",
                                 path: file.path)
            }
            var isDirectoryTarget: ObjCBool = false
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectoryTarget) {
                if isDirectoryTarget.boolValue {
                    throw CertsError(code: .notWritable, message: "\(file.path): is a directory", path: file.path)
                }
                existing.append(file.path)
            }
        }
        if !existing.isEmpty && !overwrite {
            let names = existing.joined(separator: ", ")
            throw CertsError(code: .fileExists,
                             message: "\(names): already exist\(existing.count == 1 ? "s" : "") (--force overwrites)",
                             path: existing.first)
        }
    }

    private static func writeTemporary(_ file: OutputFile) throws -> String {
        let name = URL(fileURLWithPath: file.path).lastPathComponent
        let temporary = directoryOf(file.path) + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        func failure(_ code: Int32) -> CertsError {
            CertsError(code: .notWritable, message: "\(file.path): cannot be written (\(String(cString: strerror(code))))",
                       path: file.path)
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(file.mode))
        guard fd >= 0 else { throw failure(errno) }
        var error: Int32 = 0
        // The umask may have narrowed the mode; set it exactly.
        if fchmod(fd, mode_t(file.mode)) != 0 { error = errno }
        file.contents.withUnsafeBytes { buffer in
            var offset = 0
            while error == 0 && offset < buffer.count {
                guard let base = buffer.baseAddress else { break }
                let n = Foundation.write(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    error = errno
                } else {
                    offset += n
                }
            }
        }
        if error == 0 && fsync(fd) != 0 { error = errno }
        close(fd)
        if error != 0 {
            unlink(temporary)
            throw failure(error)
        }
        return temporary
    }

    private static func directoryOf(_ path: String) -> String {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return directory.isEmpty ? "." : directory
    }
}
