public import Foundation
internal import CCertsOpenSSL

/// Checks certificate chains the way a TLS peer would (OpenSSL's
/// `X509_verify_cert`, as `openssl verify` does).
public enum ChainVerifier {
    /// Verifies `chain[0]` up to one of `trusted`.
    ///
    /// - Parameters:
    ///   - chain: The leaf first, then any intermediates it came with.
    ///   - trusted: Trust anchors (usually one self-signed root).
    ///   - host: A DNS name or IP address the leaf must be valid for; nil to skip.
    ///   - time: The moment to check validity at; nil for now.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/verificationFailed``
    ///   and OpenSSL's reason ("certificate has expired", "unable to get local
    ///   issuer certificate", "hostname mismatch", …) with the failing certificate's subject;
    ///   ``CertsError/Code/invalidArgument`` when `chain` or `trusted` is empty.
    public static func verify(chain: [Certificate], trusted: [Certificate], host: String? = nil, at time: Date? = nil) throws {
        guard let leaf = chain.first else {
            throw CertsError(code: .invalidArgument, message: "no certificate to verify")
        }
        guard !trusted.isEmpty else {
            throw CertsError(code: .invalidArgument, message: "no trusted CA certificate to verify against")
        }
        let untrusted: [OpaquePointer?] = chain.dropFirst().map(\.pointer)
        let anchors: [OpaquePointer?] = trusted.map(\.pointer)
        var depth: Int32 = -1
        var reason = [CChar](repeating: 0, count: 256)
        let seconds = time.map { Int64($0.timeIntervalSince1970) } ?? 0
        let ok = untrusted.withUnsafeBufferPointer { untrustedBuffer in
            anchors.withUnsafeBufferPointer { anchorBuffer in
                ccerts_verify(leaf.pointer, untrustedBuffer.baseAddress, Int32(untrustedBuffer.count),
                              anchorBuffer.baseAddress, Int32(anchorBuffer.count), host, seconds,
                              &reason, reason.count, &depth)
            }
        }
        // Keep the certificates alive until OpenSSL is done with their pointers.
        withExtendedLifetime((chain, trusted)) {}
        guard ok != 1 else { return }
        reason[reason.count - 1] = 0
        let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var message = text.isEmpty ? "verification failed" : text
        if depth >= 0 {
            let index = Int(depth)
            let subject = index < chain.count ? chain[index].subject : nil
            message += subject.map { " (at depth \(depth): \($0))" } ?? " (at depth \(depth))"
        }
        throw CertsError(code: .verificationFailed, message: message)
    }
}
