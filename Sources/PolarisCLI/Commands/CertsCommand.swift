import ArgumentParser

extension Polarisctl {
    /// `polarisctl certs`: make and inspect the certificates mutual TLS needs.
    struct Certs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "certs",
            abstract: "Make a CA, server and client certificates for (mutual) TLS, and inspect certificates.",
            discussion: """
                Files are PEM; private keys are PKCS#8, mode 0600. Nothing is overwritten \
                without --force, and a command that fails leaves no files behind.

                Examples:
                  polarisctl certs quick --hosts localhost,127.0.0.1 --out certs
                  polarisctl certs init --out ca --cn "dev CA"
                  polarisctl certs issue server --ca ca --out ca --hosts api.internal,10.0.0.5
                  polarisctl certs issue client --ca ca --out ca --cn billing
                  polarisctl certs inspect ca/server.crt --verify --ca ca/ca.crt
                """,
            subcommands: [Init.self, Issue.self, Quick.self, Inspect.self])
    }
}
