import Certs
import Foundation

/// The inspection report and its text form.
enum CertsInspection {
    struct FileReport: Encodable {
        var file: String
        var certificates: [CertificateReport]?
        var privateKey: KeyReport?
        var verification: VerificationReport?
    }

    struct CertificateReport: Encodable {
        var subject: String
        var issuer: String
        var serial: String
        var dnsNames: [String]
        var ipAddresses: [String]
        var otherNames: [String]?
        var key: KeyReport
        var notBefore: String
        var notAfter: String
        var daysUntilExpiry: Int
        var expired: Bool
        var notYetValid: Bool
        var sha256Fingerprint: String
        var keyUsage: [String]
        var extendedKeyUsage: [String]
        var isCA: Bool
        var pathLength: Int?
        var selfSigned: Bool
    }

    struct KeyReport: Encodable {
        var algorithm: String
        var curve: String?
        var bits: Int?
        var encrypted: Bool?
    }

    struct VerificationReport: Encodable {
        var ok: Bool
        var error: String?
    }

    static func trustedCertificates(_ path: String) throws -> [Certificate] {
        guard case .certificates(let certificates) = try PEMFile.read(path: path).contents else {
            throw CertsError(code: .malformedInput, message: "\(path): holds no certificates", path: path)
        }
        return certificates
    }

    static func report(_ file: PEMFile, trusted: [Certificate]?, host: String?, now: Date) -> FileReport {
        switch file.contents {
        case .privateKey(let summary):
            return FileReport(file: file.path, privateKey: KeyReport(algorithm: summary.algorithm, curve: summary.curve, bits: summary.bits))
        case .encryptedPrivateKey:
            return FileReport(file: file.path, privateKey: KeyReport(algorithm: "unknown", encrypted: true))
        case .certificates(let chain):
            var verification: VerificationReport?
            if let trusted {
                do {
                    try ChainVerifier.verify(chain: chain, trusted: trusted, host: host, at: now)
                    verification = VerificationReport(ok: true)
                } catch {
                    verification = VerificationReport(ok: false, error: "\(error)")
                }
            }
            return FileReport(file: file.path, certificates: chain.map { certificate(CertificateReport.self, $0.info, now: now) },
                              verification: verification)
        }
    }

    private static func certificate(_: CertificateReport.Type, _ info: CertificateInfo, now: Date) -> CertificateReport {
        CertificateReport(
            subject: info.subject, issuer: info.issuer, serial: info.serial,
            dnsNames: info.dnsNames, ipAddresses: info.ipAddresses, otherNames: info.otherNames.isEmpty ? nil : info.otherNames,
            key: KeyReport(algorithm: info.keyAlgorithm, curve: info.keyCurve, bits: info.keyBits),
            notBefore: CertsDates.format(info.notBefore), notAfter: CertsDates.format(info.notAfter),
            daysUntilExpiry: info.daysUntilExpiry(now: now), expired: info.isExpired(now: now),
            notYetValid: info.isNotYetValid(now: now), sha256Fingerprint: info.sha256Fingerprint,
            keyUsage: info.keyUsage, extendedKeyUsage: info.extendedKeyUsage,
            isCA: info.isCertificateAuthority, pathLength: info.pathLength, selfSigned: info.isSelfSigned)
    }

    static func text(_ report: FileReport, now: Date) -> String {
        var lines = [report.file + ":"]
        func field(_ name: String, _ value: String, indent: String) {
            lines.append(indent + (name + ":").padding(toLength: 15, withPad: " ", startingAt: 0) + value)
        }
        if let key = report.privateKey {
            if key.encrypted == true {
                field("private key", "encrypted (give --passphrase-file to see its type)", indent: "  ")
            } else {
                field("private key", keyText(key), indent: "  ")
            }
        }
        for (index, cert) in (report.certificates ?? []).enumerated() {
            let indent = "  "
            if (report.certificates?.count ?? 0) > 1 {
                lines.append("  certificate \(index + 1) of \(report.certificates?.count ?? 0)" + (index == 0 ? " (leaf)" : ""))
            }
            field("subject", cert.subject, indent: indent)
            field("issuer", cert.issuer + (cert.selfSigned ? " (self-signed)" : ""), indent: indent)
            let names = cert.dnsNames.map { "DNS:" + $0 } + cert.ipAddresses.map { "IP:" + $0 } + (cert.otherNames ?? [])
            field("names", names.isEmpty ? "(none)" : names.joined(separator: ", "), indent: indent)
            field("key", keyText(cert.key), indent: indent)
            let state = cert.expired ? "EXPIRED" : cert.notYetValid ? "NOT YET VALID"
                : cert.daysUntilExpiry == 1 ? "expires in 1 day" : "expires in \(cert.daysUntilExpiry) days"
            field("valid", "\(cert.notBefore) to \(cert.notAfter) (\(state))", indent: indent)
            field("CA", cert.isCA ? "yes" + (cert.pathLength.map { ", pathlen \($0)" } ?? "") : "no", indent: indent)
            field("key usage", cert.keyUsage.isEmpty ? "(none)" : cert.keyUsage.joined(separator: ", "), indent: indent)
            field("ext key usage", cert.extendedKeyUsage.isEmpty ? "(none)" : cert.extendedKeyUsage.joined(separator: ", "), indent: indent)
            field("serial", cert.serial, indent: indent)
            field("SHA-256", cert.sha256Fingerprint, indent: indent)
        }
        if let verification = report.verification {
            field("verify", verification.ok ? "OK" : "FAILED: " + (verification.error ?? "unknown reason"), indent: "  ")
        }
        return lines.joined(separator: "\n")
    }

    private static func keyText(_ key: KeyReport) -> String {
        key.algorithm + (key.curve.map { " " + $0 } ?? "") + (key.bits.map { " (\($0) bits)" } ?? "")
    }
}
