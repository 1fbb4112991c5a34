import Certs
import Foundation
import Testing

@Suite("CertificateAuthority: making and issuing")
struct CertificateAuthorityTests {
    let validity: Validity
    init() throws { validity = try Validity(days: 30) }

    @Test("a root CA of every key type is a self-signed CA with keyCertSign and pathlen", arguments: KeyType.allCases)
    func root(keyType: KeyType) throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", keyType: keyType, validity: validity)
        let info = ca.certificate.info
        #expect(info.subject == "CN=Test CA")
        #expect(info.isCertificateAuthority)
        #expect(info.isSelfSigned)
        #expect(info.pathLength == 1)
        #expect(info.keyUsage.contains("keyCertSign"))
        #expect(info.keyUsage.contains("cRLSign"))
        let expected: [KeyType: (String, Int)] = [
            .ecP256: ("EC", 256), .ecP384: ("EC", 384), .rsa2048: ("RSA", 2048),
            .rsa3072: ("RSA", 3072), .rsa4096: ("RSA", 4096), .ed25519: ("Ed25519", 256),
        ]
        #expect(info.keyAlgorithm == expected[keyType]?.0)
        if keyType != .ed25519 { #expect(info.keyBits == expected[keyType]?.1) }
        #expect(ca.certificate.matches(ca.key))
    }

    @Test("a server certificate has SANs, serverAuth, a random serial, and verifies for its hosts")
    func server() throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", validity: validity)
        let hosts = try SubjectAltNames(parsing: "localhost,127.0.0.1,::1,*.example.internal")
        let one = try ca.issueServer(hosts: hosts, validity: validity)
        let two = try ca.issueServer(hosts: hosts, validity: validity)
        let info = one.certificate.info
        #expect(info.subject == "CN=localhost")
        #expect(info.issuer == "CN=Test CA")
        #expect(info.dnsNames == ["localhost", "*.example.internal"])
        #expect(info.ipAddresses == ["127.0.0.1", "::1"])
        #expect(info.extendedKeyUsage == ["serverAuth"])
        #expect(info.keyUsage == ["digitalSignature"])
        #expect(!info.isCertificateAuthority)
        #expect(info.serial.count >= 16)  // at least 64 bits
        #expect(info.serial != two.certificate.info.serial)
        #expect(info.sha256Fingerprint.split(separator: ":").count == 32)
        for host in ["localhost", "127.0.0.1", "::1", "api.example.internal"] {
            try ChainVerifier.verify(chain: [one.certificate], trusted: [ca.certificate], host: host)
        }
        #expect(one.chain.isEmpty)
    }

    @Test("RSA leaves also get keyEncipherment; client certificates get clientAuth")
    func usages() throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", validity: validity)
        let rsa = try ca.issueServer(hosts: try SubjectAltNames(parsing: "localhost"), keyType: .rsa2048, validity: validity)
        #expect(rsa.certificate.info.keyUsage == ["digitalSignature", "keyEncipherment"])
        let client = try ca.issueClient(commonName: "billing", validity: validity)
        #expect(client.certificate.info.extendedKeyUsage == ["clientAuth"])
        #expect(client.certificate.info.subject == "CN=billing")
        try ChainVerifier.verify(chain: [client.certificate], trusted: [ca.certificate])
    }

    @Test("an intermediate CA chains up to its root; leaves carry the intermediate")
    func intermediate() throws {
        let root = try CertificateAuthority.makeRoot(commonName: "Root", validity: validity)
        let issuing = try root.makeIntermediate(commonName: "Issuing", validity: validity)
        #expect(issuing.certificate.info.pathLength == 0)
        #expect(!issuing.certificate.isSelfSigned)
        let leaf = try issuing.issueServer(hosts: try SubjectAltNames(parsing: "localhost"), validity: validity)
        #expect(leaf.chain.count == 1)
        try ChainVerifier.verify(chain: [leaf.certificate] + leaf.chain, trusted: [root.certificate], host: "localhost")
        // Without the intermediate the chain is incomplete.
        #expect {
            try ChainVerifier.verify(chain: [leaf.certificate], trusted: [root.certificate])
        } throws: { ($0 as? CertsError)?.message.contains("unable to get local issuer certificate") == true }
        // pathlen 0 forbids another CA below the intermediate.
        #expect {
            _ = try issuing.makeIntermediate(commonName: "Too deep", validity: validity)
        } throws: { ($0 as? CertsError)?.code == .invalidArgument }
    }

    @Test("a CA must be a CA and hold the matching key")
    func caChecks() throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", validity: validity)
        let other = try CertificateAuthority.makeRoot(commonName: "Other CA", validity: validity)
        #expect {
            _ = try CertificateAuthority(certificate: ca.certificate, key: other.key)
        } throws: { ($0 as? CertsError)?.code == .keyMismatch }
        let leaf = try ca.issueClient(commonName: "x", validity: validity)
        #expect {
            _ = try CertificateAuthority(certificate: leaf.certificate, key: leaf.key)
        } throws: { ($0 as? CertsError)?.code == .notACertificateAuthority }
    }

    @Test("a negative path length is refused; nil means no limit")
    func pathLength() throws {
        #expect {
            _ = try CertificateAuthority.makeRoot(commonName: "CA", validity: validity, pathLength: -1)
        } throws: { ($0 as? CertsError)?.code == .invalidArgument }
        let unlimited = try CertificateAuthority.makeRoot(commonName: "CA", validity: validity, pathLength: nil)
        #expect(unlimited.certificate.info.pathLength == nil)
        #expect(unlimited.certificate.isCertificateAuthority)
        let below = try unlimited.makeIntermediate(commonName: "Below", validity: validity, pathLength: nil)
        #expect(below.certificate.info.pathLength == nil)
    }
}
