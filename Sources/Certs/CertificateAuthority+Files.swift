import Foundation

extension CertificateAuthority {
    /// File names inside a CA directory.
    public enum FileName {
        /// The CA certificate, followed by its intermediates (not the root).
        public static let certificate = "ca.crt"
        /// The CA private key (PKCS#8 PEM, mode 0600).
        public static let key = "ca.key"
    }

    /// Loads the CA kept in `directory` (`ca.crt` and `ca.key`).
    ///
    /// - Parameters:
    ///   - directory: The CA directory.
    ///   - passphrase: Opens an encrypted `ca.key`.
    /// - Returns: The CA, checked as in ``init(certificate:key:intermediates:path:)``.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/unreadableFile``,
    ///   ``CertsError/Code/malformedInput``, ``CertsError/Code/passphraseRequired``,
    ///   ``CertsError/Code/wrongPassphrase``, ``CertsError/Code/notACertificateAuthority``
    ///   or ``CertsError/Code/keyMismatch``.
    public static func load(directory: String, passphrase: [UInt8]? = nil) throws -> CertificateAuthority {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CertsError(code: .unreadableFile, message: "CA directory \(directory): no such directory", path: directory)
        }
        let certificatePath = join(directory, FileName.certificate)
        let keyPath = join(directory, FileName.key)
        let certificates = try Certificate.all(fromPEM: try readFile(certificatePath, purpose: "CA certificate"),
                                               path: certificatePath)
        let key = try PrivateKey(pem: try readFile(keyPath, purpose: "CA key"), passphrase: passphrase, path: keyPath)
        guard let first = certificates.first else {
            throw CertsError(code: .malformedInput, message: "\(certificatePath): no certificate found", path: certificatePath)
        }
        return try CertificateAuthority(certificate: first, key: key, intermediates: Array(certificates.dropFirst()),
                                        path: certificatePath)
    }

    /// The files that keep this CA in `directory`.
    ///
    /// - Parameters:
    ///   - directory: Where to put them.
    ///   - passphrase: Encrypts the key when not nil.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/internalError`` or
    ///   ``CertsError/Code/invalidArgument`` (empty passphrase).
    public func files(in directory: String, passphrase: [UInt8]? = nil) throws -> [OutputFile] {
        [
            OutputFile(path: join(directory, FileName.certificate),
                       contents: try ([certificate] + intermediates.filter { !$0.isSelfSigned }).flatMap { try $0.pem() },
                       isSecret: false),
            OutputFile(path: join(directory, FileName.key), contents: try key.pkcs8PEM(passphrase: passphrase), isSecret: true),
        ]
    }
}

extension IssuedCertificate {
    /// The files for this certificate: `NAME.crt` (certificate and chain) and
    /// `NAME.key` (mode 0600) in `directory`.
    ///
    /// - Throws: ``CertsError`` with code ``CertsError/Code/internalError`` or
    ///   ``CertsError/Code/invalidArgument`` (empty passphrase).
    public func files(in directory: String, name: String, passphrase: [UInt8]? = nil) throws -> [OutputFile] {
        [
            OutputFile(path: join(directory, name + ".crt"), contents: try chainPEM(), isSecret: false),
            OutputFile(path: join(directory, name + ".key"), contents: try key.pkcs8PEM(passphrase: passphrase), isSecret: true),
        ]
    }
}
