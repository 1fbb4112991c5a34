import Certs
import Foundation
import RPC

/// Says why a server's certificate was not accepted: fetches the chain the server
/// presents (without trusting it) and reads it — expired, signed by a CA that is
/// not trusted, issued for another name.
enum TLSDiagnosis {
    /// The system's CA bundle on Debian, used when `--cacert` is not given.
    static let systemBundle = "/etc/ssl/certs/ca-certificates.crt"

    /// `error` with its reason made specific, or `error` as it was when no better
    /// reason can be found.
    static func explain(_ error: RPCError, address: RPCAddress, options: ConnectionOptions) async -> RPCError {
        guard error.code == .tlsHandshakeFailed,
              error.message == TLSFailureText.untrusted || error.message == TLSFailureText.hostMismatch,
              case .tcp(let host, _) = address,
              let chain = try? await TLSProbe.peerChain(at: address, serverName: options.serverName ?? host), !chain.isEmpty,
              let certificates = try? chain.map({ try Certificate(pem: pem($0)) })
        else { return error }
        if error.message == TLSFailureText.hostMismatch {
            let leaf = certificates[0].info
            let names = (leaf.dnsNames + leaf.ipAddresses).joined(separator: ", ")
            let asked = options.serverName ?? host
            return RPCError(
                code: error.code,
                message: "TLS failed: the server's certificate names \(names.isEmpty ? "no host" : names), not \(asked) (--servername sets the name to check)",
                cause: error.cause)
        }
        let bundle = options.caCert ?? systemBundle
        guard let data = FileManager.default.contents(atPath: bundle),
              let trusted = try? Certificate.all(fromPEM: Array(data), path: bundle), !trusted.isEmpty
        else { return error }
        do {
            try ChainVerifier.verify(chain: certificates, trusted: trusted)
            return error
        } catch let failure as CertsError {
            let hint = options.caCert == nil ? " (--cacert names the CA to trust)" : ""
            return RPCError(
                code: error.code,
                message: "TLS failed: the server's certificate did not verify: \(failure.message)\(hint)",
                cause: error.cause)
        } catch {
            return error as? RPCError ?? RPCError(code: .tlsHandshakeFailed, message: "\(error)")
        }
    }

    /// DER as a PEM certificate block.
    static func pem(_ der: [UInt8]) -> [UInt8] {
        let body = BinaryText.base64(der)
        var lines = ["-----BEGIN CERTIFICATE-----"]
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        lines.append("-----END CERTIFICATE-----")
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }
}
