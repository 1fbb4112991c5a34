import Certs
import Foundation
import Testing

@Suite("ChainVerifier")
struct ChainVerifierTests {
    let validity: Validity
    init() throws { validity = try Validity(days: 30) }

    @Test("verification names the reason: wrong host, untrusted CA, expired")
    func verificationFailures() throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", validity: validity)
        let other = try CertificateAuthority.makeRoot(commonName: "Other CA", validity: validity)
        let leaf = try ca.issueServer(hosts: try SubjectAltNames(parsing: "api.internal"), validity: validity)
        func reason(_ body: () throws -> Void) -> String? {
            do { try body() } catch let error as CertsError where error.code == .verificationFailed { return error.message } catch {}
            return nil
        }
        #expect(reason { try ChainVerifier.verify(chain: [leaf.certificate], trusted: [ca.certificate], host: "localhost") }?
            .hasPrefix("hostname mismatch") == true)
        #expect(reason { try ChainVerifier.verify(chain: [leaf.certificate], trusted: [other.certificate]) }?
            .hasPrefix("unable to get local issuer certificate") == true)
        let past = Validity(notBefore: Date().addingTimeInterval(-10 * 86_400), notAfter: Date().addingTimeInterval(-86_400))
        let expired = try ca.issueClient(commonName: "old", validity: past)
        #expect(reason { try ChainVerifier.verify(chain: [expired.certificate], trusted: [ca.certificate]) }?
            .hasPrefix("certificate has expired") == true)
        #expect(expired.certificate.info.isExpired(now: Date()))
    }

    @Test("checks validity at the given time")
    func atTime() throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", validity: try Validity(days: 3650))
        let leaf = try ca.issueClient(commonName: "c", validity: validity)
        try ChainVerifier.verify(chain: [leaf.certificate], trusted: [ca.certificate], at: Date().addingTimeInterval(86_400))
        #expect {
            try ChainVerifier.verify(chain: [leaf.certificate], trusted: [ca.certificate], at: Date().addingTimeInterval(40 * 86_400))
        } throws: { ($0 as? CertsError)?.message.hasPrefix("certificate has expired") == true }
        #expect {
            try ChainVerifier.verify(chain: [leaf.certificate], trusted: [ca.certificate], at: Date().addingTimeInterval(-86_400))
        } throws: { ($0 as? CertsError)?.message.hasPrefix("certificate is not yet valid") == true }
    }

    @Test("needs a leaf and a trust anchor")
    func emptyInputs() throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", validity: validity)
        #expect { try ChainVerifier.verify(chain: [], trusted: [ca.certificate]) } throws: {
            ($0 as? CertsError)?.code == .invalidArgument
        }
        #expect { try ChainVerifier.verify(chain: [ca.certificate], trusted: []) } throws: {
            ($0 as? CertsError)?.code == .invalidArgument
        }
    }
}
