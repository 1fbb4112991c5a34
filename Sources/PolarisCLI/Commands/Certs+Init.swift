import ArgumentParser
import Certs
import Foundation

extension Polarisctl.Certs {
    /// `polarisctl certs init`: a new CA (root, or intermediate with --intermediate).
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Make a certificate authority: ca.crt and ca.key in --out.",
            discussion: """
                A root CA is self-signed (CA:TRUE, pathlen 1 unless --path-length, key usage \
                keyCertSign and cRLSign). With --intermediate, the new CA is signed by the CA \
                in --ca instead, and its ca.crt also holds the intermediates above it.

                Examples:
                  polarisctl certs init --out ca
                  polarisctl certs init --out ca/intermediate --intermediate --ca ca --cn "dev issuing CA"
                """)

        @Option(name: .customLong("out"), help: "Directory to write ca.crt and ca.key to (must exist); default: the current directory.",
                completion: .directory)
        var out = "."

        @Option(name: .customLong("cn"), help: "The CA's common name; default: \"polarisctl CA\" (\"polarisctl intermediate CA\" with --intermediate).")
        var commonName: String?

        @Option(name: .customLong("days"), parsing: .unconditional, help: "Days of validity; default: 3650.")
        var days = 3650

        @Option(name: .customLong("path-length"), parsing: .unconditional,
                help: "How many CAs may follow below this one; default: 1 for a root, 0 for an intermediate.")
        var pathLength: Int?

        @Flag(name: .customLong("intermediate"), help: "Make an intermediate CA signed by the CA in --ca; default: off (a root CA).")
        var intermediate = false

        @Option(name: .customLong("ca"), help: "With --intermediate: the directory holding the signing CA's ca.crt and ca.key.",
                completion: .directory)
        var ca: String?

        @OptionGroup(title: "Key and files") var options: CertsIssueOptions

        func validate() throws {
            if intermediate && ca == nil { throw ValidationError("--intermediate needs --ca DIR (the signing CA)") }
            if !intermediate && ca != nil { throw ValidationError("--ca is only used with --intermediate") }
        }

        func run() async throws {
            let keyType = try options.parsedKeyType()
            let validity = try options.validity(days: days)
            if let pathLength, pathLength < 0 {
                throw CertsError(code: .invalidArgument, message: "--path-length must be 0 or more (got \(pathLength))")
            }
            let made: CertificateAuthority
            if intermediate, let ca {
                let parent = try options.loadCA(ca)
                made = try parent.makeIntermediate(commonName: commonName ?? "polarisctl intermediate CA", keyType: keyType,
                                                   validity: validity, pathLength: pathLength)
            } else {
                made = try CertificateAuthority.makeRoot(commonName: commonName ?? "polarisctl CA", keyType: keyType,
                                                         validity: validity, pathLength: pathLength ?? 1)
            }
            let files = try made.files(in: out, passphrase: try options.newKeyPassphrase())
            try OutputFiles.write(files, overwrite: options.force)
            Terminal.printNote(CertsReport.written(files))
        }
    }
}
