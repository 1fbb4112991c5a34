import NIOCore

/// A structural check of protobuf binary: tags, varints, lengths and groups are well formed
/// and stay inside the buffer. It allocates nothing; the server uses it to refuse garbage
/// without decoding when no stub needs the request's fields.
enum WireScan {
    /// Nil when `bytes` is well formed, else the reason.
    static func problem(in bytes: ByteBuffer) -> String? {
        bytes.withUnsafeReadableBytes { raw in
            var index = 0
            var groups: [UInt64] = []
            func varint() -> UInt64? {
                var value: UInt64 = 0
                var shift: UInt64 = 0
                while index < raw.count, shift < 64 {
                    let byte = raw[index]
                    index += 1
                    value |= UInt64(byte & 0x7f) << shift
                    if byte & 0x80 == 0 { return value }
                    shift += 7
                }
                return nil
            }
            while index < raw.count {
                guard let tag = varint() else { return "truncated or overlong varint at byte \(index)" }
                let field = tag >> 3
                guard field > 0, field <= 536_870_911 else { return "invalid field number \(field) at byte \(index)" }
                switch tag & 7 {
                case 0:
                    guard varint() != nil else { return "truncated varint for field \(field)" }
                case 1:
                    guard raw.count - index >= 8 else { return "truncated fixed64 for field \(field)" }
                    index += 8
                case 2:
                    guard let length = varint(), length <= UInt64(raw.count - index) else {
                        return "length of field \(field) runs past the end of the message"
                    }
                    index += Int(length)
                case 3:
                    guard groups.count < 64 else { return "groups nested too deeply" }
                    groups.append(field)
                case 4:
                    guard groups.last == field else { return "unmatched end-group for field \(field)" }
                    groups.removeLast()
                case 5:
                    guard raw.count - index >= 4 else { return "truncated fixed32 for field \(field)" }
                    index += 4
                default:
                    return "invalid wire type \(tag & 7) for field \(field)"
                }
            }
            return groups.isEmpty ? nil : "unterminated group"
        }
    }
}
