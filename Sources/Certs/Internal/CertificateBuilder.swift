import Foundation
internal import CCertsOpenSSL

/// Builds and signs one certificate.
enum CertificateBuilder {
    static func build(commonName: String, key: PrivateKey, validity: Validity,
                      extensions: [(String, String)], issuer: CertificateAuthority?) throws -> Certificate {
        guard !commonName.isEmpty, !commonName.utf8.contains(0), commonName.utf8.count <= 64 else {
            throw CertsError(code: .invalidArgument,
                             message: "the common name must be 1 to 64 bytes (got \(commonName.utf8.count))")
        }
        guard validity.notAfter > validity.notBefore else {
            throw CertsError(code: .invalidArgument, message: "the validity period ends before it starts")
        }
        guard let made = ccerts_cert_new(commonName, Int64(validity.notBefore.timeIntervalSince1970),
                                         Int64(validity.notAfter.timeIntervalSince1970), key.pointer) else {
            throw CText.internalError("cannot create the certificate")
        }
        let certificate = Certificate(owning: made)
        let issuerPointer = issuer?.certificate.pointer
        let identifiers = [("subjectKeyIdentifier", "hash"), ("authorityKeyIdentifier", "keyid:always")]
        for (name, value) in extensions + identifiers {
            guard ccerts_cert_add_extension(made, issuerPointer, name, value) == 1 else {
                throw CText.internalError("cannot add the \(name) extension \"\(value)\"")
            }
        }
        guard ccerts_cert_sign(made, issuerPointer, issuer?.key.pointer ?? key.pointer) == 1 else {
            throw CText.internalError("cannot sign the certificate")
        }
        return certificate
    }
}
