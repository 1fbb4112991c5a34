@testable import Certs
import Foundation
import Testing

@Suite("OutputFiles: all-or-nothing writes")
struct OutputFilesTests {
    @Test("secrets are 0600, others 0644, whatever the umask")
    func modes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try OutputFiles.write([
            OutputFile(path: directory.path + "/a.crt", contents: Array("cert".utf8), isSecret: false),
            OutputFile(path: directory.path + "/a.key", contents: Array("key".utf8), isSecret: true),
        ])
        #expect(TemporaryDirectory.mode(directory.path + "/a.key") == 0o600)
        #expect(TemporaryDirectory.mode(directory.path + "/a.crt") == 0o644)
        #expect(directory.contents() == ["a.crt", "a.key"])  // no temporary files left
    }

    @Test("an existing file stops the whole set unless overwriting")
    func existing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data("old".utf8).write(to: URL(fileURLWithPath: directory.path + "/b.key"))
        let files = [
            OutputFile(path: directory.path + "/a.crt", contents: Array("cert".utf8), isSecret: false),
            OutputFile(path: directory.path + "/b.key", contents: Array("new".utf8), isSecret: true),
        ]
        #expect { try OutputFiles.write(files) } throws: {
            guard let error = $0 as? CertsError else { return false }
            return error.code == .fileExists && error.message.contains("b.key") && error.message.contains("--force")
        }
        #expect(directory.contents() == ["b.key"])
        try OutputFiles.write(files, overwrite: true)
        #expect(String(decoding: FileManager.default.contents(atPath: directory.path + "/b.key") ?? Data(), as: UTF8.self) == "new")
        #expect(TemporaryDirectory.mode(directory.path + "/b.key") == 0o600)
    }

    @Test("a missing directory fails before anything is written")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = [
            OutputFile(path: directory.path + "/a.crt", contents: [1], isSecret: false),
            OutputFile(path: directory.path + "/missing/a.key", contents: [2], isSecret: true),
        ]
        #expect { try OutputFiles.write(files) } throws: {
            ($0 as? CertsError)?.code == .notWritable && "\($0)".contains("does not exist")
        }
        #expect(directory.contents().isEmpty)
    }
}

@Suite("OutputFiles: failure part-way")
struct OutputFilesRollbackTests {
    @Test("a rename failing on the third file removes the two already in place and every temporary file")
    func rollback() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = ["a.crt", "a.key", "b.crt"].map {
            OutputFile(path: directory.path + "/" + $0, contents: Array($0.utf8), isSecret: $0.hasSuffix(".key"))
        }
        var calls = 0
        #expect {
            try OutputFiles.write(files, overwrite: false) { from, to in
                calls += 1
                if calls == 3 {
                    errno = EIO
                    return -1
                }
                return rename(from, to)
            }
        } throws: { ($0 as? CertsError)?.code == .notWritable && "\($0)".contains("b.crt") }
        #expect(calls == 3)
        #expect(directory.contents().isEmpty)
    }
}

@Suite("OutputFiles: failure part-way while overwriting")
struct OutputFilesOverwriteRollbackTests {
    @Test("files replaced before the failure get their old contents back")
    func restore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data("old key".utf8).write(to: URL(fileURLWithPath: directory.path + "/a.key"))
        let files = ["a.key", "b.crt"].map {
            OutputFile(path: directory.path + "/" + $0, contents: Array("new".utf8), isSecret: $0.hasSuffix(".key"))
        }
        var calls = 0
        #expect(throws: CertsError.self) {
            try OutputFiles.write(files, overwrite: true) { from, to in
                calls += 1
                if calls == 2 {
                    errno = ENOSPC
                    return -1
                }
                return rename(from, to)
            }
        }
        #expect(directory.contents() == ["a.key"])
        #expect(String(decoding: FileManager.default.contents(atPath: directory.path + "/a.key") ?? Data(), as: UTF8.self) == "old key")
    }
}
