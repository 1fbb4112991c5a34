import Certs
import Foundation
import Testing

@Suite("PrivateKey")
struct PrivateKeyTests {
    @Test("keys are PKCS#8; encrypted keys need the right passphrase")
    func keys() throws {
        let key = try PrivateKey.generate(.ecP256)
        let plain = String(decoding: try key.pkcs8PEM(), as: UTF8.self)
        #expect(plain.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let encrypted = try key.pkcs8PEM(passphrase: Array("s3cret".utf8))
        #expect(String(decoding: encrypted, as: UTF8.self).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        let back = try PrivateKey(pem: encrypted, passphrase: Array("s3cret".utf8))
        #expect(back.summary.description == "EC P-256 (256 bits)")
        #expect { _ = try PrivateKey(pem: encrypted, passphrase: Array("nope".utf8)) } throws: {
            ($0 as? CertsError)?.code == .wrongPassphrase
        }
        #expect { _ = try PrivateKey(pem: encrypted) } throws: { ($0 as? CertsError)?.code == .passphraseRequired }
        #expect { _ = try PrivateKey(pem: Array("junk".utf8)) } throws: { ($0 as? CertsError)?.code == .malformedInput }
    }
}
