internal import CCertsOpenSSL

/// A private key (and its public half), held by OpenSSL.
///
/// Values are immutable after creation, so they may be shared between tasks.
public struct PrivateKey: Sendable {
    /// Owns one reference to the OpenSSL key.
    final class Box: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { ccerts_key_free(pointer) }
    }

    let box: Box
    var pointer: OpaquePointer { box.pointer }

    init(owning pointer: OpaquePointer) { box = Box(pointer) }

    /// Generates a fresh key pair.
    ///
    /// - Parameter type: The algorithm and size.
    /// - Returns: The new key.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/internalError`` if
    ///   OpenSSL cannot generate the key.
    public static func generate(_ type: KeyType) throws -> PrivateKey {
        let made: OpaquePointer?
        switch type {
        case .ecP256: made = ccerts_key_generate(Int32(CCERTS_KEY_EC_P256), 0)
        case .ecP384: made = ccerts_key_generate(Int32(CCERTS_KEY_EC_P384), 0)
        case .rsa2048: made = ccerts_key_generate(Int32(CCERTS_KEY_RSA), 2048)
        case .rsa3072: made = ccerts_key_generate(Int32(CCERTS_KEY_RSA), 3072)
        case .rsa4096: made = ccerts_key_generate(Int32(CCERTS_KEY_RSA), 4096)
        case .ed25519: made = ccerts_key_generate(Int32(CCERTS_KEY_ED25519), 0)
        }
        guard let made else { throw CText.internalError("cannot generate a \(type) key") }
        return PrivateKey(owning: made)
    }

    /// Reads a private key from PEM: PKCS#8 (plain or encrypted) or a
    /// traditional RSA/EC key.
    ///
    /// Never prompts for a passphrase: an encrypted key without one fails.
    ///
    /// - Parameters:
    ///   - pem: The file's contents.
    ///   - passphrase: The passphrase for an encrypted key.
    ///   - path: The file name, for messages.
    /// - Returns: The key.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/passphraseRequired``
    ///   or ``CertsError/Code/wrongPassphrase`` for an encrypted key,
    ///   ``CertsError/Code/malformedInput`` otherwise.
    public init(pem: [UInt8], passphrase: [UInt8]? = nil, path: String = "key") throws {
        let text = String(decoding: pem, as: UTF8.self)
        let encrypted = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")
        if encrypted && passphrase == nil {
            throw CertsError(code: .passphraseRequired,
                             message: "\(path): the private key is encrypted and no passphrase was given", path: path)
        }
        let key: OpaquePointer? = pem.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // NUL-terminated so that even an empty passphrase has an address.
                let pass = (passphrase ?? []) + [0]
                return pass.withUnsafeBufferPointer { passBuffer in
                    passBuffer.withMemoryRebound(to: CChar.self) { passChars in
                        ccerts_key_from_pem(chars.baseAddress, chars.count,
                                            passphrase == nil ? nil : passChars.baseAddress, passChars.count - 1)
                    }
                }
            }
        }
        guard let key else {
            let reason = CText.takeError(or: "not a PEM private key")
            if encrypted {
                throw CertsError(code: .wrongPassphrase, message: "\(path): wrong passphrase for the private key", path: path)
            }
            throw CertsError(code: .malformedInput, message: "\(path): not a PEM private key (\(reason))", path: path)
        }
        self.init(owning: key)
    }

    /// The key as PKCS#8 PEM, encrypted (PBES2, AES-256-CBC) when a passphrase is given.
    ///
    /// - Parameter passphrase: Encrypts the key when not nil; must not be empty.
    /// - Returns: PEM text ending in a newline.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidArgument`` for
    ///   an empty passphrase, ``CertsError/Code/internalError`` if OpenSSL fails.
    public func pkcs8PEM(passphrase: [UInt8]? = nil) throws -> [UInt8] {
        if let passphrase, passphrase.isEmpty {
            throw CertsError(code: .invalidArgument, message: "the passphrase is empty")
        }
        var out: UnsafeMutablePointer<CChar>?
        var length = 0
        let ok = (passphrase ?? []).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                ccerts_key_to_pem(pointer, passphrase == nil ? nil : chars.baseAddress, chars.count, &out, &length)
            }
        }
        guard ok == 1, let bytes = CText.takeBuffer(out, length: length) else {
            throw CText.internalError("cannot encode the private key")
        }
        return bytes
    }

    /// The algorithm and size, e.g. "EC P-256", "RSA 2048", "Ed25519".
    public var summary: KeySummary { KeySummary(key: pointer) }
}
