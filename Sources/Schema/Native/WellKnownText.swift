/// Text forms of `Timestamp` and `Duration` (RFC 3339 and `1.5s`).
enum Timestamps {
    static let minSeconds: Int64 = -62_135_596_800  // 0001-01-01T00:00:00Z
    static let maxSeconds: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z
    static let maxDurationSeconds: Int64 = 315_576_000_000

    /// Year, month, day of a count of days since 1970-01-01 (proleptic Gregorian).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses `2024-02-29T12:34:56.789Z` or with a `+hh:mm` offset.
    static func parse(_ text: String) -> (Int64, Int32)? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// ``parse(_:)`` of UTF-8 bytes.
    static func parse(utf8 b: UnsafeBufferPointer<UInt8>) -> (Int64, Int32)? {
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int64(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: Unicode.Scalar) -> Bool {
            guard i < b.count, b[i] == UInt8(ascii: c) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2), expect("T"),
              let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month, year), hour < 24, minute < 60, second < 60 else { return nil }
        var nanos: Int64 = 0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            var count = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + Int64(b[i] - 0x30)
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        if expect("Z") {
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
            i += 1
            guard let oh = digits(2), expect(":"), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = days(fromCivil: year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= minSeconds, seconds <= maxSeconds else { return nil }
        return (seconds, Int32(nanos))
    }

    private static func daysIn(_ month: Int64, _ year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Parses `-1.5s`.
    static func parseDuration(_ text: String) -> (Int64, Int32)? {
        var text = text
        return text.withUTF8 { parseDuration(utf8: $0) }
    }

    /// ``parseDuration(_:)`` of UTF-8 bytes.
    static func parseDuration(utf8: UnsafeBufferPointer<UInt8>) -> (Int64, Int32)? {
        var b = utf8[...]
        guard b.last == UInt8(ascii: "s") else { return nil }
        b = b.dropLast()
        var negative = false
        if b.first == UInt8(ascii: "-") { negative = true; b = b.dropFirst() }
        guard let first = b.first, first >= 0x30, first <= 0x39 else { return nil }
        var seconds: Int64 = 0
        while let c = b.first, c >= 0x30, c <= 0x39 {
            seconds = seconds * 10 + Int64(c - 0x30)
            guard seconds <= maxDurationSeconds else { return nil }
            b = b.dropFirst()
        }
        var nanos: Int64 = 0
        if b.first == UInt8(ascii: ".") {
            b = b.dropFirst()
            var count = 0
            while let c = b.first, c >= 0x30, c <= 0x39 {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + Int64(c - 0x30)
                count += 1
                b = b.dropFirst()
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        guard b.isEmpty else { return nil }
        return negative ? (-seconds, Int32(-nanos)) : (seconds, Int32(nanos))
    }
}

/// `FieldMask` paths between `.proto` names (`a_b.c`) and JSON (`aB.c`).
enum FieldMasks {
    static func toJSON(_ path: String) throws -> String {
        var out = ""
        var upper = false
        for c in path {
            if c == "_" {
                guard !upper else { throw NativeUnsupported(what: "field mask path \(path)") }
                upper = true
                continue
            }
            if c.isUppercase { throw NativeUnsupported(what: "field mask path \(path)") }
            if upper {
                guard c.isLowercase else { throw NativeUnsupported(what: "field mask path \(path)") }
                out += c.uppercased()
                upper = false
            } else {
                out.append(c)
            }
        }
        if upper { throw NativeUnsupported(what: "field mask path \(path)") }
        return out
    }

    static func fromJSON(_ path: String) -> String {
        var out = ""
        for c in path {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
