/// Decodes the embedded descriptor set without pulling Foundation into the
/// module.
enum Base64 {
    /// Decodes standard base64 (`+`, `/`, `=` padding), skipping whitespace.
    ///
    /// The input is a literal written by scripts/generate-protos, so a
    /// malformed character is a generator bug: it trips an assertion in
    /// debug builds and is skipped in release builds.
    ///
    /// - Parameter text: The base64 text.
    /// - Returns: The decoded bytes.
    static func decode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "): continue
            default:
                assertionFailure("invalid base64 character \(byte)")
                continue
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
