import ArgumentParser
import Certs
import Foundation

/// How `certs inspect` prints.
enum CertsInspectFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

extension Polarisctl.Certs {
    /// `polarisctl certs inspect`: what certificates and keys hold, optionally verified.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show the subject, issuer, names, key, validity, fingerprint and usages of certificates.",
            discussion: """
                A file may hold a chain (leaf first) or a private key. With --verify, each \
                file's first certificate is checked up to the trusted certificates in --ca, \
                using the file's other certificates as intermediates; a failure names the \
                reason and exits with the TLS code.

                Examples:
                  polarisctl certs inspect certs/server.crt
                  polarisctl certs inspect certs/*.crt --verify --ca certs/ca.crt --format json
                  polarisctl certs inspect certs/server.crt --verify --ca certs/ca.crt --host api.internal
                """)

        @Argument(help: "PEM files: certificates (one or a chain) or private keys.", completion: .file())
        var files: [String]

        @Flag(name: .customLong("verify"), help: "Verify each certificate chain against --ca; default: off.")
        var verify = false

        @Option(name: .customLong("ca"), help: "With --verify: PEM file of trusted CA certificates.", completion: .file())
        var ca: String?

        @Option(name: .customLong("host"), help: "With --verify: also check the leaf is valid for this DNS name or IP address.")
        var host: String?

        @Option(name: .customLong("passphrase-file"), help: "Passphrase (first line) to open encrypted private keys; default: report them as encrypted.",
                completion: .file())
        var passphraseFile: String?

        @Option(name: .customLong("format"), help: "Output format: text or json; default: text.")
        var format: CertsInspectFormat = .text

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one file to inspect") }
            if verify && ca == nil { throw ValidationError("--verify needs --ca FILE (the trusted CA certificates)") }
            if !verify && (ca != nil || host != nil) { throw ValidationError("--ca and --host are only used with --verify") }
        }

        func run() async throws {
            let passphrase = try CertsPassphrase.given(file: passphraseFile)
            let trusted = try ca.map { try CertsInspection.trustedCertificates($0) }
            let now = Date()
            var reports: [CertsInspection.FileReport] = []
            for file in files {
                let pem = try PEMFile.read(path: file, passphrase: passphrase)
                reports.append(CertsInspection.report(pem, trusted: verify ? trusted : nil, host: host, now: now))
            }
            switch format {
            case .json:
                print(try JSONText.encode(reports, pretty: Terminal.stdoutIsTerminal))
            case .text:
                print(reports.map { CertsInspection.text($0, now: now) }.joined(separator: "\n\n"))
            }
            let failures = reports.compactMap { report in report.verification?.error.map { "\(report.file): \($0)" } }
            if let first = failures.first {
                let more = failures.count > 1 ? " (and \(failures.count - 1) more)" : ""
                throw CertsError(code: .verificationFailed, message: "verification failed: " + first + more)
            }
        }
    }
}
