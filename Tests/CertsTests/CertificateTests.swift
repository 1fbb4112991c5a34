import Certs
import Foundation
import Testing

@Suite("Certificate")
struct CertificateTests {
    @Test("certificates round-trip through PEM; junk is malformed")
    func certificates() throws {
        let ca = try CertificateAuthority.makeRoot(commonName: "Test CA", validity: try Validity(days: 1))
        let pem = try ca.certificate.pem()
        let back = try Certificate.all(fromPEM: pem + pem)
        #expect(back.count == 2)
        #expect(back[0].info == ca.certificate.info)
        #expect { _ = try Certificate(pem: Array("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8)) } throws: {
            ($0 as? CertsError)?.code == .malformedInput
        }
        #expect { _ = try Certificate(pem: []) } throws: { ($0 as? CertsError)?.code == .malformedInput }
    }
}
