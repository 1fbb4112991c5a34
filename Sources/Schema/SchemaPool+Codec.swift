internal import CProtoBridge

extension SchemaPool {
    /// Converts JSON to the binary encoding of a message type, following the
    /// proto3 JSON mapping.
    ///
    /// - Parameters:
    ///   - json: UTF-8 JSON text of one message.
    ///   - messageType: Fully qualified type name (`pkg.Message`; a leading dot is accepted).
    ///   - options: Only ``JSONOptions/ignoreUnknownFields`` applies.
    /// - Returns: The binary encoding.
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/invalidJSON`` (naming the
    ///   position or JSON path) or ``SchemaError/Code/unknownSymbol``.
    public func jsonToBinary(_ json: [UInt8], messageType: String, options: JSONOptions = .init()) throws -> [UInt8] {
        // The native codec answers what it can; anything it rejects or does not
        // support goes to libprotobuf, whose wording the errors keep.
        if codec == .native, let bytes = try? nativeJSONToBinary(json, messageType: messageType, options: options) {
            return bytes
        }
        return try libprotobufJSONToBinary(json, messageType: messageType, options: options)
    }

    func libprotobufJSONToBinary(_ json: [UInt8], messageType: String, options: JSONOptions) throws -> [UInt8] {
        var error = cpb_error()
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let rc = json.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cpb_json_to_binary(
                    handle, messageType, chars.baseAddress, chars.count, options.cFlags, &out, &length, &error)
            }
        }
        guard rc == 0, let out else {
            var failure = SchemaError(taking: &error)
            if failure.code == .invalidJSON { failure = JSONErrorText.refine(failure, json: json, type: messageType) }
            else if failure.code == .unknownSymbol { failure.suggestions = closeNames(to: messageType, among: messageNames) }
            throw failure
        }
        defer { cpb_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }

    /// Converts JSON text to binary; see ``jsonToBinary(_:messageType:options:)``.
    public func jsonToBinary(_ json: String, messageType: String, options: JSONOptions = .init()) throws -> [UInt8] {
        try jsonToBinary(Array(json.utf8), messageType: messageType, options: options)
    }

    /// Converts the binary encoding of a message to JSON, after checking that the
    /// bytes are a valid encoding of the type.
    ///
    /// - Parameters:
    ///   - bytes: The binary message.
    ///   - messageType: Fully qualified type name.
    ///   - options: Printing options.
    /// - Returns: JSON text (no trailing newline).
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/invalidBinary`` or
    ///   ``SchemaError/Code/unknownSymbol``.
    public func binaryToJSON(_ bytes: [UInt8], messageType: String, options: JSONOptions = .init()) throws -> String {
        guard codec == .native, let plan = plans.plan(for: messageType) else {
            return try libprotobufBinaryToJSON(bytes, messageType: messageType, options: options)
        }
        // Canonical input prints straight from the wire; anything else goes through a decoded tree.
        if !options.emitDefaults, let text = try? streamJSON(bytes, plan: plan, options: options) { return text }
        let message: DynamicMessage
        do {
            message = try decode(bytes, plan: plan)
        } catch let failure as SchemaError {
            // Rejected here: libprotobuf's validation decides; its success wins, else our more precise reason.
            if let text = try? libprotobufBinaryToJSON(bytes, messageType: messageType, options: options) { return text }
            throw failure
        }
        if let text = try? nativeJSON(message, options: options) { return text }
        return try libprotobufBinaryToJSON(bytes, messageType: messageType, options: options)
    }

    func libprotobufBinaryToJSON(_ bytes: [UInt8], messageType: String, options: JSONOptions) throws -> String {
        var error = cpb_error()
        var out: UnsafeMutablePointer<CChar>?
        var length = 0
        let rc = bytes.withUnsafeBufferPointer { buffer in
            cpb_binary_to_json(handle, messageType, buffer.baseAddress, buffer.count, options.cFlags, &out, &length, &error)
        }
        guard rc == 0, let out else {
            var failure = SchemaError(taking: &error)
            if failure.code == .unknownSymbol { failure.suggestions = closeNames(to: messageType, among: messageNames) }
            throw failure
        }
        defer { cpb_free(out) }
        let text = String(cString: out)
        return options.indent ? Self.doubleIndent(text) : text
    }

    /// libprotobuf indents by one space per level; two read better. JSON strings
    /// hold no raw newlines, so working line by line is safe.
    static func doubleIndent(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count * 3 / 2)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !out.isEmpty { out += "\n" }
            let spaces = line.prefix { $0 == " " }.count
            out += String(repeating: " ", count: spaces * 2)
            out += line.dropFirst(spaces)
        }
        return out
    }
}

/// The converter between JSON and binary.
public enum SchemaCodec: String, Sendable, CaseIterable {
    /// The Swift codec in this module (the default); it hands what it does not
    /// support to libprotobuf.
    case native
    /// libprotobuf's own JSON converter.
    case libprotobuf
}

extension JSONOptions {
    var cFlags: UInt32 {
        var flags: UInt32 = 0
        if emitDefaults { flags |= UInt32(CPB_JSON_EMIT_DEFAULTS) }
        if useProtoNames { flags |= UInt32(CPB_JSON_PROTO_NAMES) }
        if enumsAsNumbers { flags |= UInt32(CPB_JSON_ENUMS_AS_INTS) }
        if indent { flags |= UInt32(CPB_JSON_INDENT) }
        if ignoreUnknownFields { flags |= UInt32(CPB_JSON_IGNORE_UNKNOWN) }
        return flags
    }
}
