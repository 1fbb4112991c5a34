internal import CProtoBridge

extension SchemaPool {
    /// Prints a binary message in protobuf text format (`field: value` lines;
    /// `Any` payloads expanded when their type is in the pool), after checking
    /// the bytes are a valid encoding of the type.
    ///
    /// - Parameters:
    ///   - bytes: The binary message.
    ///   - messageType: Fully qualified type name.
    /// - Returns: The text, without a trailing newline (empty for an empty message).
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/invalidBinary`` or
    ///   ``SchemaError/Code/unknownSymbol``.
    public func binaryToText(_ bytes: [UInt8], messageType: String) throws -> String {
        var error = cpb_error()
        var out: UnsafeMutablePointer<CChar>?
        var length = 0
        let rc = bytes.withUnsafeBufferPointer { buffer in
            cpb_binary_to_text(handle, messageType, buffer.baseAddress, buffer.count, &out, &length, &error)
        }
        guard rc == 0, let out else {
            var failure = SchemaError(taking: &error)
            if failure.code == .unknownSymbol { failure.suggestions = closeNames(to: messageType, among: messageNames) }
            throw failure
        }
        defer { cpb_free(out) }
        return String(cString: out)
    }
}
