internal import CCertsOpenSSL

/// Helpers for the C API's buffers and error queue.
enum CText {
    /// Calls `body` with a zeroed buffer of `capacity` bytes and returns the
    /// NUL-terminated text it wrote, or nil when `body` returned 0.
    static func read(capacity: Int = 1024, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: capacity)
        let ok = buffer.withUnsafeMutableBufferPointer { pointer -> Int32 in
            guard let base = pointer.baseAddress else { return 0 }
            return body(base, pointer.count)
        }
        guard ok != 0 else { return nil }
        buffer[capacity - 1] = 0
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The reason OpenSSL last recorded (clearing its queue), or `fallback`.
    static func takeError(or fallback: String) -> String {
        let text = read(capacity: 256) { buffer, length in
            ccerts_take_error(buffer, length)
            return 1
        } ?? ""
        return text.isEmpty ? fallback : text
    }

    /// Copies a malloc'd buffer from the C API into bytes and frees it.
    static func takeBuffer(_ pointer: UnsafeMutablePointer<CChar>?, length: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        defer { ccerts_free(pointer) }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// An internal error carrying OpenSSL's reason.
    static func internalError(_ what: String) -> CertsError {
        CertsError(code: .internalError, message: "\(what): \(takeError(or: "unknown OpenSSL error"))")
    }
}
