import ArgumentParser
import Certs
import Foundation

extension Polarisctl.Certs {
    /// `polarisctl certs quick`: CA, server and client certificates in one go.
    struct Quick: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "quick",
            abstract: "Make a CA, a server and a client certificate in one go, and print the flags that use them.",
            discussion: """
                Writes ca.crt, ca.key, server.crt, server.key, client.crt and client.key to \
                --out, all or nothing.

                Examples:
                  polarisctl certs quick
                  polarisctl certs quick --hosts localhost,127.0.0.1,::1,api.internal --out certs
                """)

        @Option(name: .customLong("hosts"), help: "Comma-separated DNS names and IP addresses for the server certificate; default: localhost,127.0.0.1,::1.")
        var hosts = "localhost,127.0.0.1,::1"

        @Option(name: .customLong("out"), help: "Directory to write the six files to (must exist); default: the current directory.",
                completion: .directory)
        var out = "."

        @Option(name: .customLong("cn"), help: "The CA's common name; default: \"polarisctl CA\".")
        var commonName = "polarisctl CA"

        @Option(name: .customLong("client-cn"), help: "The client certificate's common name; default: polarisctl-client.")
        var clientCommonName = "polarisctl-client"

        @Option(name: .customLong("days"), parsing: .unconditional, help: "Days of validity of all three; default: 365.")
        var days = 365

        @OptionGroup(title: "Key and files") var options: CertsIssueOptions

        func run() async throws {
            let hostNames = try SubjectAltNames(parsing: hosts)
            let keyType = try options.parsedKeyType()
            let validity = try options.validity(days: days)
            let passphrase = try options.newKeyPassphrase()
            let ca = try CertificateAuthority.makeRoot(commonName: commonName, keyType: keyType, validity: validity)
            let server = try ca.issueServer(hosts: hostNames, keyType: keyType, validity: validity)
            let client = try ca.issueClient(commonName: clientCommonName, keyType: keyType, validity: validity)
            let files = try ca.files(in: out, passphrase: passphrase)
                + server.files(in: out, name: "server", passphrase: passphrase)
                + client.files(in: out, name: "client", passphrase: passphrase)
            try OutputFiles.write(files, overwrite: options.force)
            Terminal.printNote(CertsReport.written(files))
            let path = { (name: String) in CertsReport.shellQuoted(CertsReport.path(out, name)) }
            let host = hostNames.dnsNames.first ?? hostNames.ipAddresses.first.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "localhost"
            Terminal.printNote("""

                Serve with mutual TLS:
                  polarisctl serve --tls-cert \(path("server.crt")) --tls-key \(path("server.key")) --client-ca \(path("ca.crt"))
                Call it:
                  polarisctl call --cacert \(path("ca.crt")) --cert \(path("client.crt")) --key \(path("client.key")) \(host):PORT
                """)
        }
    }
}
