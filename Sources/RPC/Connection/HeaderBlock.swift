internal import CNGHTTP2

/// An outgoing header list, packed into one byte array and handed to nghttp2 as
/// `nghttp2_nv` entries. nghttp2 copies names and values on submit unless the caller keeps
/// the block alive until the frame is written (``withNameValuePairs(kept:_:)``).
struct HeaderBlock {
    private var bytes: [UInt8] = []
    private var entries: [(name: Range<Int>, value: Range<Int>)] = []
    /// Whether every name is lowercase already (nghttp2 lowercases the names it copies;
    /// names it does not copy go out as they are).
    private var namesLowercase = true

    init() {
        bytes.reserveCapacity(256)
        entries.reserveCapacity(12)
    }

    var count: Int { entries.count }

    mutating func add(_ name: String, _ value: String) {
        noteCase(name)
        let nameStart = bytes.count
        bytes.append(contentsOf: name.utf8)
        let valueStart = bytes.count
        bytes.append(contentsOf: value.utf8)
        entries.append((nameStart..<valueStart, valueStart..<bytes.count))
    }

    mutating func add(_ name: String, bytes value: [UInt8]) {
        noteCase(name)
        let nameStart = bytes.count
        bytes.append(contentsOf: name.utf8)
        let valueStart = bytes.count
        bytes.append(contentsOf: value)
        entries.append((nameStart..<valueStart, valueStart..<bytes.count))
    }

    private mutating func noteCase(_ name: String) {
        if namesLowercase, name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            namesLowercase = false
        }
    }

    /// Adds custom metadata: `-bin` values base64-encoded (unpadded), reserved keys skipped.
    mutating func add(metadata: Metadata) {
        for element in metadata {
            if element.key.hasPrefix(":") || element.key.hasPrefix("grpc-") { continue }
            switch element.value {
            case .string(let value):
                add(element.key, value)
            case .binary(let value):
                add(element.key, bytes: Base64.encode(value))
            }
        }
    }

    /// Adds `grpc-status`, `grpc-message`, `grpc-status-details-bin` and the status trailers.
    mutating func add(status: GRPCStatus) {
        add("grpc-status", String(status.code.rawValue))
        if !status.message.isEmpty {
            add("grpc-message", bytes: PercentEncoding.encode(status.message))
        }
        if let details = status.details {
            add("grpc-status-details-bin", bytes: Base64.encode(details))
        }
        add(metadata: status.trailers)
    }

    /// Calls `body` with the entries as an `nghttp2_nv` array pointing into this block's
    /// storage. With `kept`, the caller holds a copy of this block (sharing its storage,
    /// which no one mutates) until nghttp2 has written the frame or dropped the stream,
    /// so nghttp2 need not copy names and values; otherwise it copies them on submit.
    func withNameValuePairs<R>(kept: Bool = false, _ body: (UnsafePointer<nghttp2_nv>?, Int) -> R) -> R {
        let flags = UInt8(truncatingIfNeeded:
            !kept ? NGHTTP2_NV_FLAG_NONE.rawValue
            : namesLowercase ? NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue
            : NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue)
        return bytes.withUnsafeBufferPointer { storage -> R in
            guard let base = storage.baseAddress else { return body(nil, 0) }
            let start = UnsafeMutablePointer(mutating: base)
            return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: entries.count) { nva -> R in
                for (i, entry) in entries.enumerated() {
                    (nva.baseAddress! + i).initialize(to: nghttp2_nv(
                        name: start + entry.name.lowerBound, value: start + entry.value.lowerBound,
                        namelen: entry.name.count, valuelen: entry.value.count, flags: flags))
                }
                return body(nva.baseAddress, entries.count)
            }
        }
    }
}
