public import Foundation
internal import CCertsOpenSSL

/// Everything `certs inspect` shows about one certificate.
public struct CertificateInfo: Sendable, Hashable, Codable {
    /// The subject in RFC 2253 form.
    public var subject: String
    /// The issuer in RFC 2253 form.
    public var issuer: String
    /// The serial number in hex.
    public var serial: String
    /// DNS names from the subjectAltName extension.
    public var dnsNames: [String]
    /// IP addresses from the subjectAltName extension, in text form.
    public var ipAddresses: [String]
    /// Other subjectAltName entries ("email:…", "URI:…").
    public var otherNames: [String]
    /// The public key's algorithm ("EC", "RSA", "Ed25519").
    public var keyAlgorithm: String
    /// The named curve for EC keys.
    public var keyCurve: String?
    /// The key size in bits.
    public var keyBits: Int
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date
    /// The SHA-256 fingerprint of the DER encoding, as colon-separated upper-case hex.
    public var sha256Fingerprint: String
    /// Key usage names (digitalSignature, keyCertSign, …); empty when absent.
    public var keyUsage: [String]
    /// Extended key usage names (serverAuth, clientAuth, …); empty when absent.
    public var extendedKeyUsage: [String]
    /// Whether basicConstraints say CA:TRUE.
    public var isCertificateAuthority: Bool
    /// The CA's path length constraint, nil when unlimited or not a CA.
    public var pathLength: Int?
    /// Whether the certificate is signed by its own key.
    public var isSelfSigned: Bool

    /// Whole days from `now` until ``notAfter`` (negative once expired).
    public func daysUntilExpiry(now: Date) -> Int {
        Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
    }

    /// Whether `now` is past ``notAfter``.
    public func isExpired(now: Date) -> Bool { now > notAfter }

    /// Whether `now` is before ``notBefore``.
    public func isNotYetValid(now: Date) -> Bool { now < notBefore }
}

extension Certificate {
    /// The certificate's fields as plain values.
    public var info: CertificateInfo {
        var dns: [String] = [], ips: [String] = [], others: [String] = []
        let names = CText.read(capacity: 16_384) { ccerts_cert_alt_names(pointer, $0, $1) } ?? ""
        for line in names.split(separator: "\n") {
            if line.hasPrefix("DNS:") { dns.append(String(line.dropFirst(4))) }
            else if line.hasPrefix("IP:") { ips.append(String(line.dropFirst(3))) }
            else { others.append(String(line)) }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        let fingerprint = ccerts_cert_sha256(pointer, &digest) == 1
            ? digest.map { hex($0) }.joined(separator: ":") : ""
        var pathLength = -1
        let isCA = ccerts_cert_is_ca(pointer, &pathLength) == 1
        let key: KeySummary
        if let publicKey = ccerts_cert_public_key(pointer) {
            key = KeySummary(key: publicKey)
            ccerts_key_free(publicKey)
        } else {
            key = KeySummary(algorithm: "unknown", curve: nil, bits: 0)
        }
        let usage = CText.read { ccerts_cert_key_usage(pointer, $0, $1) } ?? ""
        let extUsage = CText.read { ccerts_cert_ext_key_usage(pointer, $0, $1) } ?? ""
        return CertificateInfo(
            subject: subject, issuer: issuer,
            serial: CText.read(capacity: 128) { ccerts_cert_serial(pointer, $0, $1) } ?? "",
            dnsNames: dns, ipAddresses: ips, otherNames: others,
            keyAlgorithm: key.algorithm, keyCurve: key.curve, keyBits: key.bits,
            notBefore: notBefore, notAfter: notAfter, sha256Fingerprint: fingerprint,
            keyUsage: usage.split(separator: ",").map(String.init),
            extendedKeyUsage: extUsage.split(separator: ",").map(String.init),
            isCertificateAuthority: isCA, pathLength: isCA && pathLength >= 0 ? pathLength : nil,
            isSelfSigned: isSelfSigned)
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
}
