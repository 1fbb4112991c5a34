import Certs
import Foundation
import Testing

@Suite("PEMFile and CA directories")
struct PEMFileTests {
    @Test("a CA written to a directory loads back, with an encrypted key too")
    func caDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let passphrase = Array("pass phrase".utf8)
        let root = try CertificateAuthority.makeRoot(commonName: "Root", validity: try Validity(days: 10))
        try OutputFiles.write(try root.files(in: directory.path, passphrase: passphrase))
        #expect(directory.contents() == ["ca.crt", "ca.key"])
        #expect(TemporaryDirectory.mode(directory.path + "/ca.key") == 0o600)
        let loaded = try CertificateAuthority.load(directory: directory.path, passphrase: passphrase)
        #expect(loaded.certificate.info == root.certificate.info)
        #expect(loaded.intermediates.isEmpty)
        #expect { _ = try CertificateAuthority.load(directory: directory.path) } throws: {
            ($0 as? CertsError)?.code == .passphraseRequired
        }
        #expect { _ = try CertificateAuthority.load(directory: directory.path + "/nope") } throws: {
            ($0 as? CertsError)?.code == .unreadableFile
        }
    }

    @Test("an intermediate's ca.crt carries its chain and loads back with it")
    func intermediateDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = try CertificateAuthority.makeRoot(commonName: "Root", validity: try Validity(days: 10))
        let issuing = try root.makeIntermediate(commonName: "Issuing", validity: try Validity(days: 10))
        try OutputFiles.write(try issuing.files(in: directory.path))
        let loaded = try CertificateAuthority.load(directory: directory.path)
        #expect(loaded.certificate.subject == "CN=Issuing")
        #expect(loaded.chainBelowRoot.count == 1)
    }

    @Test("classifies certificates, keys, encrypted keys and junk")
    func classify() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try CertificateAuthority.makeRoot(commonName: "Root", keyType: .rsa2048, validity: try Validity(days: 10))
        let files = [
            OutputFile(path: directory.path + "/c.crt", contents: try ca.certificate.pem(), isSecret: false),
            OutputFile(path: directory.path + "/k.key", contents: try ca.key.pkcs8PEM(), isSecret: true),
            OutputFile(path: directory.path + "/e.key", contents: try ca.key.pkcs8PEM(passphrase: [0x61]), isSecret: true),
            OutputFile(path: directory.path + "/junk", contents: Array("hello".utf8), isSecret: false),
        ]
        try OutputFiles.write(files)
        guard case .certificates(let certificates) = try PEMFile.read(path: directory.path + "/c.crt").contents else {
            Issue.record("not read as certificates")
            return
        }
        #expect(certificates.count == 1)
        guard case .privateKey(let summary) = try PEMFile.read(path: directory.path + "/k.key").contents else {
            Issue.record("not read as a key")
            return
        }
        #expect(summary.description == "RSA (2048 bits)")
        guard case .encryptedPrivateKey = try PEMFile.read(path: directory.path + "/e.key").contents else {
            Issue.record("not read as an encrypted key")
            return
        }
        guard case .privateKey = try PEMFile.read(path: directory.path + "/e.key", passphrase: [0x61]).contents else {
            Issue.record("encrypted key not opened")
            return
        }
        #expect { _ = try PEMFile.read(path: directory.path + "/junk") } throws: { ($0 as? CertsError)?.code == .malformedInput }
    }
}
