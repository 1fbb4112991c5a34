import ArgumentParser
import Certs
import Foundation

extension Polarisctl.Certs {
    /// `polarisctl certs issue`: server and client certificates signed by a CA.
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue a server or client certificate signed by a CA.",
            subcommands: [Server.self, Client.self])
    }
}

/// Flags of both `issue` subcommands.
struct CertsLeafOptions: ParsableArguments {
    @Option(name: .customLong("ca"), help: "Directory holding the CA's ca.crt and ca.key; default: the current directory.",
            completion: .directory)
    var ca = "."

    @Option(name: .customLong("out"), help: "Directory to write NAME.crt and NAME.key to (must exist); default: the current directory.",
            completion: .directory)
    var out = "."

    @Option(name: .customLong("days"), parsing: .unconditional, help: "Days of validity; default: 365.")
    var days = 365
}

extension Polarisctl.Certs.Issue {
    /// `polarisctl certs issue server`: a serverAuth certificate for some hosts.
    struct Server: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "server",
            abstract: "Issue a TLS server certificate (serverAuth) for --hosts.",
            discussion: """
                Host names become DNS subject alternative names (a wildcard only as the \
                leftmost label), addresses become IP entries. NAME.crt holds the certificate \
                followed by any intermediate CAs, ready for a server to send.

                Examples:
                  polarisctl certs issue server --hosts localhost,127.0.0.1,::1
                  polarisctl certs issue server --ca ca --out ca --hosts '*.example.internal' --name wildcard
                """)

        @Option(name: .customLong("hosts"), help: "Comma-separated DNS names and IP addresses the server answers to.")
        var hosts: String

        @Option(name: .customLong("name"), help: "Base name of the files (NAME.crt, NAME.key); default: server.")
        var name = "server"

        @Option(name: .customLong("cn"), help: "The subject's common name; default: the first host.")
        var commonName: String?

        @OptionGroup(title: "CA and output") var leaf: CertsLeafOptions
        @OptionGroup(title: "Key and files") var options: CertsIssueOptions

        func validate() throws { try CertsNames.check(name) }

        func run() async throws {
            let hostNames = try SubjectAltNames(parsing: hosts)
            let keyType = try options.parsedKeyType()
            let validity = try options.validity(days: leaf.days)
            let ca = try options.loadCA(leaf.ca)
            let issued = try ca.issueServer(hosts: hostNames, commonName: commonName, keyType: keyType, validity: validity)
            let files = try issued.files(in: leaf.out, name: name, passphrase: try options.newKeyPassphrase())
            try OutputFiles.write(files, overwrite: options.force)
            Terminal.printNote(CertsReport.written(files))
        }
    }

    /// `polarisctl certs issue client`: a clientAuth certificate.
    struct Client: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "client",
            abstract: "Issue a TLS client certificate (clientAuth) for mutual TLS.",
            discussion: """
                Examples:
                  polarisctl certs issue client --cn billing
                  polarisctl certs issue client --ca ca --out ca --cn ci-runner --name ci
                """)

        @Option(name: .customLong("cn"), help: "The client's common name (its identity to servers).")
        var commonName: String

        @Option(name: .customLong("name"), help: "Base name of the files (NAME.crt, NAME.key); default: client.")
        var name = "client"

        @OptionGroup(title: "CA and output") var leaf: CertsLeafOptions
        @OptionGroup(title: "Key and files") var options: CertsIssueOptions

        func validate() throws { try CertsNames.check(name) }

        func run() async throws {
            let keyType = try options.parsedKeyType()
            let validity = try options.validity(days: leaf.days)
            let ca = try options.loadCA(leaf.ca)
            let issued = try ca.issueClient(commonName: commonName, keyType: keyType, validity: validity)
            let files = try issued.files(in: leaf.out, name: name, passphrase: try options.newKeyPassphrase())
            try OutputFiles.write(files, overwrite: options.force)
            Terminal.printNote(CertsReport.written(files))
        }
    }
}

/// Checks file base names given with --name.
enum CertsNames {
    static func check(_ name: String) throws {
        if name.isEmpty || name.contains("/") || name.hasPrefix(".") {
            throw ValidationError("--name must be a plain file name without '/' or a leading '.' (got \"\(name)\")")
        }
    }
}
