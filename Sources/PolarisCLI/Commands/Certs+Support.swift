import ArgumentParser
import Certs
import Foundation

/// Where passphrases come from: a file, an environment variable, or (only on
/// a terminal) a prompt.
enum CertsPassphrase {
    static let environmentVariable = "POLARISCTL_PASSPHRASE"

    /// The passphrase from --passphrase-file or the environment, if any.
    static func given(file: String?) throws -> [UInt8]? {
        if let file {
            let bytes = try FileIO.read(file, purpose: "passphrase file")
            let line = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            let trimmed = Array(line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...])
            guard !trimmed.isEmpty else { throw CLIError.input("passphrase file \(file): the first line is empty") }
            return trimmed
        }
        if let value = Environment[environmentVariable], !value.isEmpty {
            return Array(value.utf8)
        }
        return nil
    }

    /// The passphrase for a new encrypted key: given, else asked twice on a terminal.
    static func forNewKey(file: String?) throws -> [UInt8] {
        if let given = try given(file: file) { return given }
        guard Terminal.stdinIsTerminal else {
            throw CLIError.input("--encrypt-key needs a passphrase: --passphrase-file FILE or $\(environmentVariable)")
        }
        let first = try prompt("Passphrase for the new key: ")
        let second = try prompt("Same passphrase again: ")
        guard first == second else { throw CLIError.input("the passphrases differ") }
        return first
    }

    /// Loads a CA; when its key is encrypted and no passphrase was given, asks on a terminal.
    static func loadCA(_ directory: String, file: String?) throws -> CertificateAuthority {
        let passphrase = try given(file: file)
        do {
            return try CertificateAuthority.load(directory: directory, passphrase: passphrase)
        } catch let error as CertsError where error.code == .passphraseRequired && Terminal.stdinIsTerminal {
            let asked = try prompt("Passphrase for \(error.path ?? "the CA key"): ")
            return try CertificateAuthority.load(directory: directory, passphrase: asked)
        } catch let error as CertsError where error.code == .passphraseRequired {
            throw CertsError(code: error.code,
                             message: error.message + " (--passphrase-file FILE or $\(environmentVariable))", path: error.path)
        }
    }

    private static func prompt(_ text: String) throws -> [UInt8] {
        guard let answer = getpass(text) else { throw CLIError.input("no passphrase entered") }
        let bytes = Array(String(cString: answer).utf8)
        guard !bytes.isEmpty else { throw CLIError.input("the passphrase is empty") }
        return bytes
    }
}

/// Dates typed on the command line.
enum CertsDates {
    /// Parses `2026-01-02`, `2026-01-02T03:04:05Z` or with a UTC offset.
    static func parse(_ text: String) throws -> Date {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date }
        throw CLIError.input("--not-before \"\(text)\": not an ISO 8601 date (2026-01-02 or 2026-01-02T03:04:05Z)")
    }

    /// `2026-01-02T03:04:05Z`.
    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

/// Printing what the certs commands wrote.
enum CertsReport {
    /// One line per file: its path, plus "(mode 0600)" for secrets.
    static func written(_ files: [OutputFile]) -> String {
        files.map { "wrote \($0.path)" + ($0.isSecret ? " (mode 0600)" : "") }.joined(separator: "\n")
    }

    /// A path quoted for a POSIX shell when it needs quoting.
    static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `directory/name` for display, without a leading "./".
    static func path(_ directory: String, _ name: String) -> String {
        if directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
