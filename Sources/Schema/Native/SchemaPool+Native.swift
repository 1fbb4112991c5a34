extension SchemaPool {
    /// The compiled plan of a message type.
    ///
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/unknownSymbol``.
    public func messagePlan(_ messageType: String) throws -> MessagePlan {
        guard let plan = plans.plan(for: messageType) else {
            var error = SchemaError(code: .unknownSymbol, message: "unknown message type \"\(messageType)\"")
            error.suggestions = closeNames(to: messageType, among: messageNames)
            throw error
        }
        return plan
    }

    /// An empty message of a type.
    public func makeMessage(_ messageType: String) throws -> DynamicMessage {
        DynamicMessage(plan: try messagePlan(messageType))
    }

    /// Reads the binary encoding of a message.
    ///
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/invalidBinary`` naming
    ///   the fault (truncated, malformed varint, bad wire type, length past the
    ///   end, invalid UTF-8, too deep), or ``SchemaError/Code/unknownSymbol``.
    public func decode(_ bytes: [UInt8], messageType: String) throws -> DynamicMessage {
        try decode(bytes, plan: messagePlan(messageType))
    }

    func decode(_ bytes: [UInt8], plan: MessagePlan) throws -> DynamicMessage {
        var message = DynamicMessage(plan: plan)
        do {
            try bytes.withUnsafeBufferPointer { (buffer) throws(WireError) in
                var decoder = WireDecoder(buffer)
                try decoder.readMessage(into: &message, limit: buffer.count, group: nil, depth: 0)
            }
        } catch {
            throw SchemaError(code: .invalidBinary, message: "not a valid \(plan.fullName) (\(bytes.count) bytes): \(error.reason)")
        }
        return message
    }

    /// The binary encoding of a message: fields in number order, packed where
    /// the schema packs, unknown fields last.
    public func encode(_ message: DynamicMessage) -> [UInt8] {
        var encoder = WireEncoder()
        encoder.message(message)
        return encoder.out
    }

    /// Reads a message from JSON (proto3 JSON mapping) with the native codec.
    ///
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/invalidJSON`` naming
    ///   the JSON path or the line and column.
    public func parseJSON(_ json: [UInt8], messageType: String, options: JSONOptions = .init()) throws -> DynamicMessage {
        let plan = try messagePlan(messageType)
        do {
            let node = try JSONReader.parse(json)
            if case .object = node {} else if plan.wellKnown == .none {
                throw NativeJSONError(message: "the message must be a JSON object")
            }
            return try JSONMapper(options: options, types: plans).message(node, plan)
        } catch let error as NativeJSONError {
            let at = error.path.map { " at \($0)" } ?? ""
            throw SchemaError(code: .invalidJSON, message: "invalid JSON for \(plan.fullName)\(at): \(error.message)", path: error.path)
        }
    }

    /// Writes a message as JSON with the native codec.
    ///
    /// - Throws: ``SchemaError`` when the message holds something the JSON
    ///   mapping cannot express (a timestamp out of range, an `Any` of an
    ///   unknown type).
    public func json(_ message: DynamicMessage, options: JSONOptions = .init()) throws -> String {
        do { return try nativeJSON(message, options: options) } catch let error as NativeUnsupported {
            throw SchemaError(code: .invalidBinary, message: "cannot write \(message.typeName) as JSON: \(error.what)")
        }
    }

    func nativeJSON(_ message: DynamicMessage, options: JSONOptions) throws -> String {
        var printer = JSONPrinter(options: options, types: plans)
        do { try printer.message(message) } catch {
            printer.discard()
            throw error
        }
        return printer.text()
    }

    func streamJSON(_ bytes: [UInt8], plan: MessagePlan, options: JSONOptions) throws -> String {
        // The text starts on the stack; longer text moves to the heap.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { space in
            var printer = JSONPrinter(options: options, types: plans, startingIn: space)
            do {
                try bytes.withUnsafeBufferPointer { buffer in
                    var decoder = WireDecoder(buffer)
                    try printer.stream(&decoder, plan: plan, limit: buffer.count, depth: 0)
                }
            } catch {
                printer.discard()
                throw error
            }
            return printer.text()
        }
    }

    /// JSON to binary in one pass where it can be done so, else through a
    /// ``DynamicMessage`` (the same bytes, or the error naming the JSON path).
    func nativeJSONToBinary(_ json: [UInt8], messageType: String, options: JSONOptions) throws -> [UInt8] {
        if let plan = plans.plan(for: messageType),
           let bytes = JSONWireWriter.convert(json, plan: plan, options: options, types: plans) {
            return bytes
        }
        return try treeJSONToBinary(json, messageType: messageType, options: options)
    }

    /// JSON to binary through a ``DynamicMessage``.
    func treeJSONToBinary(_ json: [UInt8], messageType: String, options: JSONOptions) throws -> [UInt8] {
        encode(try parseJSON(json, messageType: messageType, options: options))
    }
}
