/// gRPC custom metadata: an ordered list of key/value pairs, where keys ending in `-bin`
/// carry binary values (base64 on the wire) and all other keys carry ASCII strings.
///
/// Keys are stored lower-cased. Repeated keys are allowed and keep their order.
///
/// ```swift
/// var metadata: Metadata = ["x-user": "ana"]
/// metadata.addBinary([0, 1, 2], forKey: "trace-bin")
/// ```
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Key = String
    public typealias Value = String

    /// One entry.
    public struct Element: Sendable, Hashable {
        /// The lower-cased key.
        public var key: String
        /// The value.
        public var value: MetadataValue
    }

    private var storage: [Element]

    /// Empty metadata.
    public init() { storage = [] }

    /// Creates metadata from string pairs; a `-bin` key's value is taken as UTF-8 bytes.
    ///
    /// - Parameter elements: Key/value pairs in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(pairs: elements)
    }

    /// Creates metadata from string pairs in order (see ``addString(_:forKey:)``).
    ///
    /// - Parameter pairs: Key/value pairs.
    public init(pairs elements: [(String, String)]) {
        storage = []
        for (key, value) in elements { addString(value, forKey: key) }
    }

    /// The number of entries.
    public var count: Int { storage.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { storage.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> { storage.makeIterator() }

    /// Appends a string value. For a key ending in `-bin` the UTF-8 bytes are stored.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - key: The key (lower-cased on insertion).
    public mutating func addString(_ value: String, forKey key: String) {
        let key = key.lowercased()
        if key.hasSuffix("-bin") {
            storage.append(Element(key: key, value: .binary(Array(value.utf8))))
        } else {
            storage.append(Element(key: key, value: .string(value)))
        }
    }

    /// Appends a binary value. For a key not ending in `-bin` the bytes are stored as a
    /// (lossily decoded) UTF-8 string.
    ///
    /// - Parameters:
    ///   - value: The bytes.
    ///   - key: The key (lower-cased on insertion).
    public mutating func addBinary(_ value: [UInt8], forKey key: String) {
        let key = key.lowercased()
        if key.hasSuffix("-bin") {
            storage.append(Element(key: key, value: .binary(value)))
        } else {
            storage.append(Element(key: key, value: .string(String(decoding: value, as: UTF8.self))))
        }
    }

    /// Appends an entry.
    ///
    /// - Parameter element: The entry; its key must already be lower-case.
    public mutating func append(_ element: Element) { storage.append(element) }

    /// Removes every entry with `key`.
    ///
    /// - Parameter key: The key to remove.
    public mutating func removeAll(forKey key: String) {
        let key = key.lowercased()
        storage.removeAll { $0.key == key }
    }

    /// All string values for `key`, in order.
    ///
    /// - Parameter key: The key.
    /// - Returns: The values (binary values are skipped).
    public func strings(forKey key: String) -> [String] {
        let key = key.lowercased()
        return storage.compactMap { element in
            guard element.key == key, case .string(let value) = element.value else { return nil }
            return value
        }
    }

    /// All binary values for `key`, in order.
    ///
    /// - Parameter key: The key (normally ending in `-bin`).
    /// - Returns: The values (string values are skipped).
    public func binaries(forKey key: String) -> [[UInt8]] {
        let key = key.lowercased()
        return storage.compactMap { element in
            guard element.key == key, case .binary(let value) = element.value else { return nil }
            return value
        }
    }

    /// The first string value for `key`, if any.
    public subscript(key: String) -> String? { strings(forKey: key).first }
}

extension Metadata {
    /// Checks every entry can be sent as custom metadata: valid keys (see
    /// ``isValidCustomKey(_:)``) and printable-ASCII string values.
    ///
    /// - Throws: ``RPCError`` with code ``RPCError/Code/invalidArgument`` naming the entry.
    public func validateForSending() throws {
        for element in storage {
            guard Self.isValidCustomKey(element.key) else {
                throw RPCError(code: .invalidArgument, message: "invalid metadata key '\(element.key)'")
            }
            if case .string(let value) = element.value,
               !value.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) {
                throw RPCError(
                    code: .invalidArgument,
                    message: "metadata '\(element.key)' must be printable ASCII (use a -bin key for binary values)")
            }
        }
    }

    /// Whether `key` is a valid gRPC metadata key: lower-case letters, digits, `-`, `_`, `.`,
    /// not starting with `:` and not reserved for the protocol (`grpc-` prefix).
    ///
    /// - Parameter key: The key to check.
    /// - Returns: `true` if the key may be sent as custom metadata.
    public static func isValidCustomKey(_ key: String) -> Bool {
        guard !key.isEmpty, !key.hasPrefix("grpc-") else { return false }
        return key.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }
}

/// A metadata value.
public enum MetadataValue: Sendable, Hashable {
    /// A printable-ASCII value (any key not ending in `-bin`).
    case string(String)
    /// Raw bytes (keys ending in `-bin`).
    case binary([UInt8])
}
