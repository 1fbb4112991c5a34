import NIOCore

/// The fields of one received HEADERS block that the engine interprets, gathered header by
/// header as nghttp2 reports them. Custom metadata is collected into ``metadata``.
struct HeaderFields {
    var httpStatus: Int?
    var method: String?
    var path: String?
    var authority: String?
    var contentTypeIsGRPC = false
    var contentTypePresent = false
    var timeout: TimeAmount?
    var encoding: String?
    var acceptsGzip = false
    var grpcStatus: Int?
    var grpcMessage: [UInt8]?
    var statusDetails: [UInt8]?
    var metadata = Metadata()
    /// The first problem found (bad base64 in a `-bin` value, malformed `grpc-timeout`).
    var problem: String?
    /// Whether any header was added since the last reset (a fresh value needs no reset).
    private var touched = false

    mutating func reset() {
        if touched { self = HeaderFields() }
    }

    /// The gathered fields, leaving this value empty: moved out, not copied.
    mutating func take() -> HeaderFields {
        var taken = HeaderFields()
        swap(&taken, &self)
        return taken
    }

    /// Records one header. Both pointers stay valid only for the duration of the call;
    /// text that becomes a `String` comes from `strings` when the same bytes came before.
    mutating func add(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, strings: inout HeaderStrings) {
        guard let first = name.first else { return }
        touched = true
        if first == UInt8(ascii: ":") {
            if matches(name, ":status") {
                httpStatus = parseInt(value)
            } else if matches(name, ":path") {
                path = strings.string(value)
            } else if matches(name, ":method") {
                method = strings.string(value)
            } else if matches(name, ":authority") {
                authority = strings.string(value)
            }
            return
        }
        if first == UInt8(ascii: "g"), name.count > 5, name[4] == UInt8(ascii: "-"), matchesPrefix(name, "grpc-") {
            if matches(name, "grpc-status") {
                grpcStatus = parseInt(value)
            } else if matches(name, "grpc-message") {
                grpcMessage = Array(value)
            } else if matches(name, "grpc-timeout") {
                timeout = GRPCTimeout.decode(value)
                if timeout == nil { problem = problem ?? "malformed grpc-timeout" }
            } else if matches(name, "grpc-encoding") {
                encoding = strings.string(value)
            } else if matches(name, "grpc-accept-encoding") {
                acceptsGzip = String(decoding: value, as: UTF8.self).split(separator: ",").contains {
                    $0.trimmingSpaces() == "gzip"
                }
            } else if matches(name, "grpc-status-details-bin") {
                statusDetails = Base64.decode(value)
                if statusDetails == nil { problem = problem ?? "invalid base64 in grpc-status-details-bin" }
            }
            // Other grpc- keys are reserved and not exposed.
            return
        }
        if matches(name, "content-type") {
            contentTypePresent = true
            contentTypeIsGRPC = matchesPrefix(value, "application/grpc")
            return
        }
        if matches(name, "te") || matches(name, "content-length") {
            return
        }
        let key = strings.string(name)
        if key.hasSuffix("-bin") {
            if let bytes = Base64.decode(value) {
                metadata.append(Metadata.Element(key: key, value: .binary(bytes)))
            } else {
                problem = problem ?? "invalid base64 in \(key)"
            }
        } else {
            metadata.append(Metadata.Element(key: key, value: .string(strings.string(value))))
        }
    }

    /// The status carried by these fields when they are trailers (or a trailers-only response).
    func status() -> GRPCStatus {
        guard let code = grpcStatus else {
            return GRPCStatus(code: .internal, message: "the server sent no grpc-status", trailers: metadata)
        }
        let message = grpcMessage.map { PercentEncoding.decode($0) } ?? ""
        return GRPCStatus(code: .init(rawValue: code), message: message, details: statusDetails, trailers: metadata)
    }

    private func matches(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base, literal.utf8Start, bytes.count) == 0
    }

    private func matchesPrefix(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count >= literal.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

    private func parseInt(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

/// The strings of recently received header names and values, per connection. A
/// connection's calls repeat their path, authority and metadata, so a repeat is handed the
/// `String` made the first time: no allocation and no UTF-8 validation.
struct HeaderStrings {
    private var strings: [String] = []
    /// The received bytes of each entry, back to back in `bytes`.
    private var spans: [(start: Int, count: Int)] = []
    private var bytes: [UInt8] = []
    static let capacity = 16

    init() {
        strings.reserveCapacity(Self.capacity)
        spans.reserveCapacity(Self.capacity)
        bytes.reserveCapacity(512)
    }

    /// The text of `value` (invalid UTF-8 repaired, as `String(decoding:as:)` does).
    mutating func string(_ value: UnsafeRawBufferPointer) -> String {
        guard let base = value.baseAddress, !value.isEmpty else { return "" }
        let count = value.count
        let hit: Int? = bytes.withUnsafeBufferPointer { stored in
            for i in spans.indices where spans[i].count == count
                && memcmp(stored.baseAddress! + spans[i].start, base, count) == 0 {
                return i
            }
            return nil
        }
        if let hit { return strings[hit] }
        let made = String(decoding: value, as: UTF8.self)
        if strings.count == Self.capacity {
            // A connection whose headers keep changing starts over; most repeat a handful.
            strings.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
        }
        spans.append((bytes.count, count))
        bytes.append(contentsOf: value)
        strings.append(made)
        return made
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
