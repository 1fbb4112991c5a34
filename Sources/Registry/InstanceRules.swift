/// The Polaris server's rules for instance identity and input limits.
public enum InstanceRules {
    /// The longest service name, namespace and host.
    public static let maxNameLength = 128
    /// Metadata limits: entries, key length, value length.
    public static let maxMetadataEntries = 64
    public static let maxMetadataKeyLength = 128
    public static let maxMetadataValueLength = 4096

    /// Whether `name` is a valid service name or namespace (`^[0-9A-Za-z-./:_]+$`, at most 128).
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maxNameLength else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }

    /// Why `metadata` breaks the server's limits, or nil when it fits.
    public static func metadataProblem(_ metadata: [String: String]) -> String? {
        if metadata.count > maxMetadataEntries { return "more than \(maxMetadataEntries) metadata entries" }
        for (key, value) in metadata {
            if key.isEmpty { return "an empty metadata key" }
            if key.utf8.count > maxMetadataKeyLength { return "metadata key '\(key.prefix(20))…' longer than \(maxMetadataKeyLength)" }
            if value.utf8.count > maxMetadataValueLength { return "metadata value of '\(key)' longer than \(maxMetadataValueLength)" }
        }
        return nil
    }

    /// The id a Polaris server gives an instance registered without one:
    /// `hex(sha1("<namespace>##<service>##[<vpc>##]<host>##<port>"))`.
    public static func instanceID(namespace: String, service: String, host: String, port: UInt32, vpcID: String = "") -> String {
        if vpcID.isEmpty {
            return SHA1.hex("\(namespace)##\(service)##\(host)##\(port)")
        }
        return SHA1.hex("\(namespace)##\(service)##\(vpcID)##\(host)##\(port)")
    }

    /// The revision of an empty instance list (sha1 of the empty string).
    public static let emptyRevision = SHA1.hex("")

    /// The TTL the server applies: 0 or above 60 becomes 5.
    public static func clampTTL(_ ttl: UInt32) -> UInt32 {
        ttl == 0 || ttl > 60 ? 5 : ttl
    }
}
