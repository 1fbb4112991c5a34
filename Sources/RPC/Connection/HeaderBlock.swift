internal import CNGHTTP2
import NIOCore

/// An outgoing header list, packed into one byte array and handed to nghttp2 as
/// `nghttp2_nv` entries: copied by nghttp2 on submit (``withNameValuePairs(_:)``), or laid
/// out once as ``PreparedHeaders`` that nghttp2 reads in place.
struct HeaderBlock {
    fileprivate var bytes: [UInt8] = []
    fileprivate var entries: [(name: Range<Int>, value: Range<Int>)] = []
    /// Whether every name is lowercase already (nghttp2 lowercases the names it copies;
    /// names it does not copy go out as they are).
    fileprivate var namesLowercase = true

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
    /// storage; nghttp2 copies names and values on submit.
    func withNameValuePairs<R>(_ body: (UnsafePointer<nghttp2_nv>?, Int) -> R) -> R {
        bytes.withUnsafeBufferPointer { storage -> R in
            guard let base = storage.baseAddress else { return body(nil, 0) }
            return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: entries.count) { nva -> R in
                Self.fill(nva.baseAddress!, entries, base: base, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
                return body(nva.baseAddress, entries.count)
            }
        }
    }

    fileprivate static func fill(
        _ nva: UnsafeMutablePointer<nghttp2_nv>, _ entries: [(name: Range<Int>, value: Range<Int>)],
        base: UnsafePointer<UInt8>, flags: UInt8
    ) {
        let start = UnsafeMutablePointer(mutating: base)
        for (i, entry) in entries.enumerated() {
            (nva + i).initialize(to: nghttp2_nv(
                name: start + entry.name.lowerBound, value: start + entry.value.lowerBound,
                namelen: entry.name.count, valuelen: entry.value.count, flags: flags))
        }
    }
}

/// A request's header block laid out once for nghttp2: the names and values in one
/// allocation and the `nghttp2_nv` array pointing into it. nghttp2 reads them in place
/// (it copies neither) while the stream's slot holds this object, and a client connection
/// reuses its last one for every call with the same path, timeout and metadata.
final class PreparedHeaders {
    let path: String
    let timeout: TimeAmount?
    let metadata: Metadata
    private let text: UnsafeMutableBufferPointer<UInt8>
    private let pairs: UnsafeMutableBufferPointer<nghttp2_nv>

    init(path: String, timeout: TimeAmount?, metadata: Metadata, block: HeaderBlock) {
        self.path = path
        self.timeout = timeout
        self.metadata = metadata
        text = .allocate(capacity: max(1, block.bytes.count))
        _ = text.initialize(from: block.bytes)
        pairs = .allocate(capacity: max(1, block.entries.count))
        // nghttp2 lowercases the names it copies; names it does not copy go out as they are.
        let flags = UInt8(truncatingIfNeeded: block.namesLowercase
            ? NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue
            : NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue)
        HeaderBlock.fill(pairs.baseAddress!, block.entries, base: text.baseAddress!, flags: flags)
        count = block.entries.count
    }

    deinit {
        text.deallocate()
        pairs.deallocate()
    }

    /// The `nghttp2_nv` entries, valid while this object lives.
    var nameValuePairs: UnsafePointer<nghttp2_nv> { UnsafePointer(pairs.baseAddress!) }
    let count: Int
}
