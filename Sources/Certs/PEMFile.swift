/// A PEM file read for inspection: certificates, or a private key.
public struct PEMFile: Sendable {
    /// What a PEM file holds.
    public enum Contents: Sendable {
        /// One or more certificates, in file order.
        case certificates([Certificate])
        /// A private key that could be read.
        case privateKey(KeySummary)
        /// An encrypted private key, not opened (no passphrase given).
        case encryptedPrivateKey
    }

    /// The file name.
    public var path: String
    /// What it holds.
    public var contents: Contents

    /// Reads and classifies a PEM file.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - passphrase: Opens an encrypted private key; without one such a key
    ///     is reported as ``Contents/encryptedPrivateKey``.
    /// - Returns: The file's contents.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/unreadableFile``,
    ///   ``CertsError/Code/malformedInput`` or ``CertsError/Code/wrongPassphrase``.
    public static func read(path: String, passphrase: [UInt8]? = nil) throws -> PEMFile {
        let bytes = try readFile(path, purpose: "file")
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN CERTIFICATE-----") {
            return PEMFile(path: path, contents: .certificates(try Certificate.all(fromPEM: bytes, path: path)))
        }
        if text.contains("PRIVATE KEY-----") {
            do {
                let key = try PrivateKey(pem: bytes, passphrase: passphrase, path: path)
                return PEMFile(path: path, contents: .privateKey(key.summary))
            } catch let error as CertsError where error.code == .passphraseRequired {
                return PEMFile(path: path, contents: .encryptedPrivateKey)
            }
        }
        throw CertsError(code: .malformedInput, message: "\(path): neither a PEM certificate nor a PEM private key", path: path)
    }
}
