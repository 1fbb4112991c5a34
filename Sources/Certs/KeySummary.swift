internal import CCertsOpenSSL

/// What kind of key a key or certificate holds.
public struct KeySummary: Hashable, Sendable, CustomStringConvertible {
    /// "EC", "RSA", "Ed25519", or OpenSSL's name for anything else.
    public var algorithm: String
    /// The named curve for EC keys ("P-256"), nil otherwise.
    public var curve: String?
    /// The key size in bits.
    public var bits: Int

    init(key: OpaquePointer) {
        var bits: Int32 = 0
        var algorithm = [CChar](repeating: 0, count: 64)
        var curve = [CChar](repeating: 0, count: 64)
        _ = ccerts_key_describe(key, &algorithm, algorithm.count, &curve, curve.count, &bits)
        algorithm[algorithm.count - 1] = 0
        curve[curve.count - 1] = 0
        self.algorithm = String(decoding: algorithm.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let curveName = String(decoding: curve.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.curve = curveName.isEmpty ? nil : curveName
        self.bits = Int(bits)
    }

    /// "EC P-256 (256 bits)", "RSA (2048 bits)", "Ed25519 (256 bits)".
    public var description: String {
        "\(algorithm)\(curve.map { " " + $0 } ?? "") (\(bits) bits)"
    }
}

extension KeySummary {
    init(algorithm: String, curve: String?, bits: Int) {
        self.algorithm = algorithm
        self.curve = curve
        self.bits = bits
    }
}
