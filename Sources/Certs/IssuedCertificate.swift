/// A leaf certificate with its key, as issued by a ``CertificateAuthority``.
public struct IssuedCertificate: Sendable {
    /// The new certificate.
    public var certificate: Certificate
    /// Its private key.
    public var key: PrivateKey
    /// The intermediates to send after it (empty when a root CA issued it).
    public var chain: [Certificate]

    /// The certificate followed by its intermediates, as PEM: the file a
    /// server or client presents.
    ///
    /// - Throws: ``CertsError`` with code ``CertsError/Code/internalError``.
    public func chainPEM() throws -> [UInt8] {
        try ([certificate] + chain).flatMap { try $0.pem() }
    }
}
