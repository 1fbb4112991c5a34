import ArgumentParser
import Certs
import Foundation

/// Flags shared by every command that makes a key and certificate.
struct CertsIssueOptions: ParsableArguments {
    @Option(name: .customLong("key"),
            help: "Key type: \(KeyType.allCases.map(\.rawValue).joined(separator: ", ")); default: \(KeyType.default).",
            completion: .list(KeyType.allCases.map(\.rawValue)))
    var keyType: String = KeyType.default.rawValue

    @Option(name: .customLong("not-before"),
            help: "Start of validity, ISO 8601 (2026-01-02 or 2026-01-02T03:04:05Z); default: now minus 5 minutes for clock skew.")
    var notBefore: String?

    @Flag(name: .customLong("encrypt-key"),
          help: "Encrypt the new private key with a passphrase (--passphrase-file, $\(CertsPassphrase.environmentVariable), or asked on a terminal); default: off.")
    var encryptKey = false

    @Option(name: .customLong("passphrase-file"),
            help: "Read the passphrase (first line) for --encrypt-key and for an encrypted CA key from this file.",
            completion: .file())
    var passphraseFile: String?

    @Flag(name: .customLong("force"), help: "Overwrite existing files; default: off (fail instead).")
    var force = false

    /// The key type, parsed by the core so that a bad name is an input error.
    func parsedKeyType() throws -> KeyType { try KeyType.parse(keyType) }

    /// The validity period for `days`.
    func validity(days: Int) throws -> Validity {
        try Validity(days: days, notBefore: try notBefore.map(CertsDates.parse))
    }

    /// The passphrase to encrypt new keys with, or nil when --encrypt-key is off.
    func newKeyPassphrase() throws -> [UInt8]? {
        guard encryptKey else { return nil }
        return try CertsPassphrase.forNewKey(file: passphraseFile)
    }

    /// Loads the CA in `directory`, asking for its passphrase on a terminal when needed.
    func loadCA(_ directory: String) throws -> CertificateAuthority {
        try CertsPassphrase.loadCA(directory, file: passphraseFile)
    }
}
