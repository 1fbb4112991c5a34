import NIOCore

/// The `grpc-timeout` header: at most 8 ASCII digits followed by a unit
/// (`H`, `M`, `S`, `m`, `u`, `n`).
enum GRPCTimeout {
    /// Encodes a timeout with the finest unit that fits in 8 digits (rounding up so a
    /// deadline is never shortened).
    static func encode(_ amount: TimeAmount) -> String {
        let nanos = max(amount.nanoseconds, 0)
        let units: [(Int64, Character)] = [
            (1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"),
            (60_000_000_000, "M"), (3_600_000_000_000, "H"),
        ]
        for (scale, unit) in units {
            let value = (nanos + scale - 1) / scale
            if value <= 99_999_999 { return "\(value)\(unit)" }
        }
        return "99999999H"
    }

    /// Decodes a header value; nil when malformed.
    static func decode<Bytes: BidirectionalCollection>(_ bytes: Bytes) -> TimeAmount? where Bytes.Element == UInt8 {
        guard bytes.count >= 2, bytes.count <= 9, let unit = bytes.last else { return nil }
        var value: Int64 = 0
        for byte in bytes.dropLast() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        switch unit {
        case UInt8(ascii: "n"): return .nanoseconds(value)
        case UInt8(ascii: "u"): return .microseconds(value)
        case UInt8(ascii: "m"): return .milliseconds(value)
        case UInt8(ascii: "S"): return .seconds(value)
        case UInt8(ascii: "M"): return .minutes(value)
        case UInt8(ascii: "H"): return .hours(value)
        default: return nil
        }
    }
}
