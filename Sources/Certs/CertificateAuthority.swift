import Foundation
internal import CCertsOpenSSL

/// A certificate authority: a CA certificate, its private key, and the
/// intermediates between it and its root.
///
/// Makes root and intermediate CAs and issues server and client certificates.
public struct CertificateAuthority: Sendable {
    /// The CA's own certificate.
    public var certificate: Certificate
    /// The CA's private key.
    public var key: PrivateKey
    /// The certificates that issued ``certificate``, nearest first, without
    /// the self-signed root. Empty for a root CA.
    public var intermediates: [Certificate]

    /// Pairs a CA certificate with its key, checking that they belong together.
    ///
    /// - Parameters:
    ///   - certificate: A certificate whose basicConstraints say CA:TRUE.
    ///   - key: Its private key.
    ///   - intermediates: Issuers of `certificate` up to (not including) the root.
    ///   - path: The certificate's file name, for messages.
    /// - Throws: ``CertsError`` with code
    ///   ``CertsError/Code/notACertificateAuthority`` (no CA:TRUE, or a key
    ///   usage without keyCertSign) or ``CertsError/Code/keyMismatch``.
    public init(certificate: Certificate, key: PrivateKey, intermediates: [Certificate] = [], path: String = "CA certificate") throws {
        guard certificate.isCertificateAuthority else {
            throw CertsError(code: .notACertificateAuthority,
                             message: "\(path): \"\(certificate.subject)\" is not a CA certificate (no CA:TRUE basic constraint)",
                             path: path)
        }
        let usage = certificate.info.keyUsage
        guard usage.isEmpty || usage.contains("keyCertSign") else {
            throw CertsError(code: .notACertificateAuthority,
                             message: "\(path): \"\(certificate.subject)\" may not sign certificates (key usage lacks keyCertSign)",
                             path: path)
        }
        guard certificate.matches(key) else {
            throw CertsError(code: .keyMismatch,
                             message: "\(path): the CA private key does not match the CA certificate", path: path)
        }
        self.certificate = certificate
        self.key = key
        self.intermediates = intermediates
    }

    /// Makes a new self-signed root CA.
    ///
    /// The certificate has basicConstraints `critical,CA:TRUE,pathlen:N`, key
    /// usage `critical,keyCertSign,cRLSign,digitalSignature`, and subject and
    /// authority key identifiers.
    ///
    /// - Parameters:
    ///   - commonName: The subject CN.
    ///   - keyType: The kind of key to generate.
    ///   - validity: The validity period.
    ///   - pathLength: How many intermediate CAs may follow; nil for no limit.
    /// - Returns: The new CA.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidArgument`` for
    ///   an empty name or negative path length, ``CertsError/Code/internalError``
    ///   if OpenSSL fails.
    public static func makeRoot(commonName: String, keyType: KeyType = .default, validity: Validity,
                                pathLength: Int? = 1) throws -> CertificateAuthority {
        try checkPathLength(pathLength)
        let key = try PrivateKey.generate(keyType)
        let certificate = try CertificateBuilder.build(
            commonName: commonName, key: key, validity: validity,
            extensions: caExtensions(pathLength: pathLength), issuer: nil)
        return try CertificateAuthority(certificate: certificate, key: key)
    }

    /// Makes an intermediate CA signed by this CA.
    ///
    /// - Parameters: as for ``makeRoot(commonName:keyType:validity:pathLength:)``.
    /// - Returns: The new CA, whose ``intermediates`` lead back to this CA's root.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidArgument``
    ///   when this CA's path length forbids another CA below it, or as
    ///   ``makeRoot(commonName:keyType:validity:pathLength:)``.
    public func makeIntermediate(commonName: String, keyType: KeyType = .default, validity: Validity,
                                 pathLength: Int? = 0) throws -> CertificateAuthority {
        try CertificateAuthority.checkPathLength(pathLength)
        let limit = certificate.info.pathLength
        if let limit, limit < 1 {
            throw CertsError(code: .invalidArgument,
                             message: "the CA \"\(certificate.subject)\" has pathlen \(limit) and cannot sign another CA")
        }
        if let limit, let pathLength, pathLength >= limit {
            throw CertsError(code: .invalidArgument,
                             message: "the intermediate's path length must be below its CA's (\(limit)), got \(pathLength)")
        }
        let key = try PrivateKey.generate(keyType)
        let made = try CertificateBuilder.build(
            commonName: commonName, key: key, validity: validity,
            extensions: CertificateAuthority.caExtensions(pathLength: pathLength ?? limit.map { $0 - 1 }), issuer: self)
        return try CertificateAuthority(certificate: made, key: key, intermediates: chainBelowRoot)
    }

    /// Issues a TLS server certificate (extendedKeyUsage serverAuth) for `hosts`.
    ///
    /// - Parameters:
    ///   - hosts: The DNS names and IP addresses, written as subjectAltName entries.
    ///   - commonName: The subject CN; default: the first host.
    ///   - keyType: The kind of key to generate.
    ///   - validity: The validity period.
    /// - Returns: The certificate, its key, and the chain a server should send.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidArgument`` or
    ///   ``CertsError/Code/internalError``.
    public func issueServer(hosts: SubjectAltNames, commonName: String? = nil, keyType: KeyType = .default,
                            validity: Validity) throws -> IssuedCertificate {
        try issue(commonName: commonName ?? hosts.all.first ?? "server", keyType: keyType, validity: validity,
                  extensions: CertificateAuthority.leafExtensions(keyType: keyType, usage: "serverAuth")
                      + [("subjectAltName", hosts.extensionValue)])
    }

    /// Issues a TLS client certificate (extendedKeyUsage clientAuth).
    ///
    /// - Parameters:
    ///   - commonName: The subject CN, which servers usually take as the client's identity.
    ///   - keyType: The kind of key to generate.
    ///   - validity: The validity period.
    /// - Returns: The certificate, its key, and the chain a client should send.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidArgument`` or
    ///   ``CertsError/Code/internalError``.
    public func issueClient(commonName: String, keyType: KeyType = .default, validity: Validity) throws -> IssuedCertificate {
        try issue(commonName: commonName, keyType: keyType, validity: validity,
                  extensions: CertificateAuthority.leafExtensions(keyType: keyType, usage: "clientAuth"))
    }

    /// This CA's certificate and intermediates, without a self-signed root:
    /// what a leaf it issues sends after its own certificate.
    public var chainBelowRoot: [Certificate] {
        ([certificate] + intermediates).filter { !$0.isSelfSigned }
    }

    private func issue(commonName: String, keyType: KeyType, validity: Validity,
                       extensions: [(String, String)]) throws -> IssuedCertificate {
        let key = try PrivateKey.generate(keyType)
        let certificate = try CertificateBuilder.build(
            commonName: commonName, key: key, validity: validity, extensions: extensions, issuer: self)
        return IssuedCertificate(certificate: certificate, key: key, chain: chainBelowRoot)
    }

    private static func checkPathLength(_ pathLength: Int?) throws {
        if let pathLength, pathLength < 0 {
            throw CertsError(code: .invalidArgument, message: "the path length must be 0 or more (got \(pathLength))")
        }
    }

    static func caExtensions(pathLength: Int?) -> [(String, String)] {
        [
            ("basicConstraints", "critical,CA:TRUE" + (pathLength.map { ",pathlen:\($0)" } ?? "")),
            ("keyUsage", "critical,keyCertSign,cRLSign,digitalSignature"),
        ]
    }

    static func leafExtensions(keyType: KeyType, usage: String) -> [(String, String)] {
        [
            ("basicConstraints", "critical,CA:FALSE"),
            ("keyUsage", keyType.isRSA ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"),
            ("extendedKeyUsage", usage),
        ]
    }
}
