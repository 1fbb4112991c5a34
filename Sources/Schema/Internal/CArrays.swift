/// Calls `body` with a C array of NUL-terminated copies of `strings`, valid for
/// the duration of the call only.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>] = strings.map { string in
        let utf8 = Array(string.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return pointer
    }
    defer { copies.forEach { $0.deallocate() } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }  // never empty: ends with nil
}

/// Calls `body` with C arrays of base pointers and lengths for `buffers`, valid
/// for the duration of the call only.
func withBufferArray<R>(
    _ buffers: [[UInt8]],
    _ body: (UnsafePointer<UnsafePointer<UInt8>?>, UnsafePointer<Int>) -> R
) -> R {
    let copies: [UnsafeMutablePointer<UInt8>] = buffers.map { buffer in
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(buffer.count, 1))
        pointer.initialize(from: buffer, count: buffer.count)
        return pointer
    }
    defer { copies.forEach { $0.deallocate() } }
    let pointers: [UnsafePointer<UInt8>?] = copies.map { UnsafePointer($0) } + [nil]
    let lengths = buffers.map(\.count) + [0]
    return pointers.withUnsafeBufferPointer { p in
        lengths.withUnsafeBufferPointer { l in body(p.baseAddress!, l.baseAddress!) }  // never empty
    }
}
