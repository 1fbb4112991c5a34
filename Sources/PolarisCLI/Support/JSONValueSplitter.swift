/// Splits text holding a sequence of JSON values (NDJSON, concatenated
/// objects, or pretty-printed objects one after another) into the values.
///
/// Only the structure is tracked (brackets, strings, escapes); each value is
/// checked by the schema when converted.
struct JSONValueSplitter {
    struct Value {
        var bytes: [UInt8]
        /// 1-based line where the value starts.
        var line: Int
    }

    enum Failure: Error {
        /// Text after the last complete value that does not complete one.
        case incomplete(line: Int)
    }

    /// All values in `text`.
    static func split(_ text: [UInt8]) throws -> [Value] {
        var splitter = JSONValueSplitter()
        var values: [Value] = []
        for byte in text {
            if let value = splitter.feed(byte) { values.append(value) }
        }
        if let value = try splitter.finish() { values.append(value) }
        return values
    }

    private var current: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var line = 1
    private var startLine = 1

    /// Feeds one byte; returns a value when one is complete.
    mutating func feed(_ byte: UInt8) -> Value? {
        defer { if byte == 0x0a { line += 1 } }
        if current.isEmpty {
            if byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09 { return nil }
            startLine = line
        }
        current.append(byte)
        if inString {
            if escaped { escaped = false }
            else if byte == 0x5c { escaped = true }
            else if byte == 0x22 { inString = false; if depth == 0 { return take() } }
            return nil
        }
        switch byte {
        case 0x22: inString = true
        case 0x7b, 0x5b: depth += 1
        case 0x7d, 0x5d:
            depth -= 1
            if depth <= 0 { return take() }
        case 0x20, 0x0a, 0x0d, 0x09, 0x2c:
            // A bare scalar (number, true, null) ends at whitespace or a comma.
            if depth == 0 {
                current.removeLast()
                return take()
            }
        default: break
        }
        return nil
    }

    /// Bytes of the value being read.
    var pendingCount: Int { current.count }

    /// Ends the input: a pending bare scalar is a value; an open object is an error.
    mutating func finish() throws -> Value? {
        guard !current.isEmpty else { return nil }
        if depth > 0 || inString { throw Failure.incomplete(line: startLine) }
        return take()
    }

    private mutating func take() -> Value {
        let value = Value(bytes: current, line: startLine)
        current = []
        depth = 0
        return value
    }
}
