/// The kinds of key pair polarisctl makes.
public enum KeyType: String, CaseIterable, Sendable, CustomStringConvertible {
    /// ECDSA on NIST P-256 (the default: small, fast, accepted everywhere).
    case ecP256 = "ec-p256"
    /// ECDSA on NIST P-384.
    case ecP384 = "ec-p384"
    /// RSA, 2048-bit modulus.
    case rsa2048 = "rsa-2048"
    /// RSA, 3072-bit modulus.
    case rsa3072 = "rsa-3072"
    /// RSA, 4096-bit modulus.
    case rsa4096 = "rsa-4096"
    /// EdDSA on Curve25519.
    case ed25519 = "ed25519"

    /// The key type used when none is given.
    public static let `default` = KeyType.ecP256

    /// Parses a key type name as typed on the command line.
    ///
    /// - Parameter name: One of the raw values (`ec-p256`, `rsa-2048`, …), case-insensitive.
    /// - Returns: The key type.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidArgument``,
    ///   naming the accepted values.
    public static func parse(_ name: String) throws -> KeyType {
        if let type = KeyType(rawValue: name.lowercased()) { return type }
        let accepted = allCases.map(\.rawValue).joined(separator: ", ")
        throw CertsError(code: .invalidArgument, message: "unknown key type \"\(name)\" (expected one of: \(accepted))")
    }

    /// Whether keys of this type encrypt (RSA) rather than only sign, which
    /// decides whether a TLS leaf gets the keyEncipherment usage.
    var isRSA: Bool { self == .rsa2048 || self == .rsa3072 || self == .rsa4096 }

    public var description: String { rawValue }
}
