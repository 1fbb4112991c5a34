public import Foundation
internal import CCertsOpenSSL

/// An X.509 certificate, held by OpenSSL.
///
/// Values are immutable, so they may be shared between tasks.
public struct Certificate: Sendable {
    /// Owns one reference to the OpenSSL certificate.
    final class Box: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { ccerts_cert_free(pointer) }
    }

    let box: Box
    var pointer: OpaquePointer { box.pointer }

    init(owning pointer: OpaquePointer) { box = Box(pointer) }

    /// Reads every certificate in a PEM file, in file order (leaf first for a chain).
    ///
    /// - Parameters:
    ///   - pem: The file's contents.
    ///   - path: The file name, for messages.
    /// - Returns: At least one certificate.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/malformedInput`` when
    ///   the text holds no certificate or a damaged one.
    public static func all(fromPEM pem: [UInt8], path: String = "certificate") throws -> [Certificate] {
        let maximum = 64
        var pointers = [OpaquePointer?](repeating: nil, count: maximum)
        let count = pem.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                ccerts_certs_from_pem(chars.baseAddress, chars.count, &pointers, Int32(maximum))
            }
        }
        guard count > 0 else {
            let reason = CText.takeError(or: "no certificate found")
            let detail = count < 0 ? "a damaged certificate (\(reason))" : "not a PEM certificate (\(reason))"
            throw CertsError(code: .malformedInput, message: "\(path): \(detail)", path: path)
        }
        return pointers.prefix(Int(count)).compactMap { $0 }.map(Certificate.init(owning:))
    }

    /// Reads the first certificate of a PEM file.
    ///
    /// - Throws: ``CertsError`` with code ``CertsError/Code/malformedInput``.
    public init(pem: [UInt8], path: String = "certificate") throws {
        let all = try Certificate.all(fromPEM: pem, path: path)
        guard let first = all.first else {
            throw CertsError(code: .malformedInput, message: "\(path): no certificate found", path: path)
        }
        self = first
    }

    /// The certificate as PEM text.
    ///
    /// - Throws: ``CertsError`` with code ``CertsError/Code/internalError`` if OpenSSL fails.
    public func pem() throws -> [UInt8] {
        var out: UnsafeMutablePointer<CChar>?
        var length = 0
        guard ccerts_cert_to_pem(pointer, &out, &length) == 1, let bytes = CText.takeBuffer(out, length: length) else {
            throw CText.internalError("cannot encode the certificate")
        }
        return bytes
    }

    /// Whether `key` is the private half of this certificate's public key.
    public func matches(_ key: PrivateKey) -> Bool {
        ccerts_cert_matches_key(pointer, key.pointer) == 1
    }

    /// Whether basicConstraints say CA:TRUE.
    public var isCertificateAuthority: Bool {
        var pathLength = -1
        return ccerts_cert_is_ca(pointer, &pathLength) == 1
    }

    /// Whether the certificate is signed by its own key.
    public var isSelfSigned: Bool { ccerts_cert_self_signed(pointer) == 1 }

    /// The subject in RFC 2253 form ("CN=polarisctl CA").
    public var subject: String { CText.read { ccerts_cert_name(pointer, 0, $0, $1) } ?? "" }

    /// The issuer in RFC 2253 form.
    public var issuer: String { CText.read { ccerts_cert_name(pointer, 1, $0, $1) } ?? "" }

    /// The end of the validity period.
    public var notAfter: Date {
        var seconds: Int64 = 0
        _ = ccerts_cert_time(pointer, 1, &seconds)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The start of the validity period.
    public var notBefore: Date {
        var seconds: Int64 = 0
        _ = ccerts_cert_time(pointer, 0, &seconds)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
