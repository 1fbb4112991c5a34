import Foundation

/// The host names and IP addresses a server certificate is valid for.
///
/// Parsed from a comma-separated list such as
/// `localhost,127.0.0.1,::1,*.example.internal`: entries that parse as IPv4 or
/// IPv6 addresses become IP entries, everything else must be a DNS name.
public struct SubjectAltNames: Hashable, Sendable {
    /// DNS names, in the order given (a wildcard only as the whole leftmost label).
    public var dnsNames: [String]
    /// IP addresses in text form, in the order given.
    public var ipAddresses: [String]

    /// Parses a comma-separated host list.
    ///
    /// - Parameter list: Host names and addresses separated by commas; spaces
    ///   around entries are ignored; IPv6 addresses may be bracketed (`[::1]`).
    /// - Returns: The names, with duplicates removed.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidHost`` naming
    ///   the first bad entry, or when the list is empty.
    public init(parsing list: String) throws {
        try self.init(hosts: list.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }

    /// Validates and sorts hosts into DNS and IP entries.
    ///
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidHost``.
    public init(hosts: [String]) throws {
        dnsNames = []
        ipAddresses = []
        for raw in hosts {
            let host = raw.trimmingCharacters(in: .whitespaces)
            guard !host.isEmpty else {
                throw CertsError(code: .invalidHost, message: "empty host name in the host list")
            }
            if let address = SubjectAltNames.ipAddress(host) {
                if !ipAddresses.contains(address) { ipAddresses.append(address) }
            } else {
                try SubjectAltNames.checkDNSName(host)
                if !dnsNames.contains(host) { dnsNames.append(host) }
            }
        }
        if dnsNames.isEmpty && ipAddresses.isEmpty {
            throw CertsError(code: .invalidHost, message: "the host list is empty")
        }
    }

    /// All entries, DNS names first: what a certificate's CN defaults to and
    /// what messages list.
    public var all: [String] { dnsNames + ipAddresses }

    /// The extension value in openssl.cnf syntax ("DNS:a,IP:127.0.0.1").
    var extensionValue: String {
        (dnsNames.map { "DNS:" + $0 } + ipAddresses.map { "IP:" + $0 }).joined(separator: ",")
    }

    /// The canonical text form when `text` is an IPv4 or IPv6 address.
    static func ipAddress(_ text: String) -> String? {
        var candidate = text
        if candidate.hasPrefix("[") && candidate.hasSuffix("]") && candidate.count > 2 {
            candidate = String(candidate.dropFirst().dropLast())
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, candidate, &v4) == 1 { return candidate }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, candidate, &v6) == 1 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count - 1)) != nil else { return candidate }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Checks a DNS name: 1–63 character labels of letters, digits and inner
    /// hyphens, 253 characters at most, a wildcard only as the whole leftmost
    /// label followed by at least two labels, and a top-level label that is
    /// not all digits (so that a mistyped IPv4 address is not taken as a name).
    static func checkDNSName(_ name: String) throws {
        func bad(_ why: String) -> CertsError {
            CertsError(code: .invalidHost, message: "invalid host \"\(name)\": \(why)")
        }
        if name.contains(":") { throw bad("not a valid IP address or DNS name") }
        guard name.utf8.count <= 253 else { throw bad("longer than 253 characters") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if label.isEmpty { throw bad("empty label") }
            if label == "*" {
                if index != 0 { throw bad("a wildcard may only be the leftmost label") }
                if labels.count < 3 { throw bad("a wildcard needs at least two labels after it (*.example.com)") }
                continue
            }
            guard label.utf8.count <= 63 else { throw bad("label longer than 63 characters") }
            for byte in label.utf8 {
                let ok = (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2d
                if !ok {
                    let shown = byte == 0x2a ? "'*' is only allowed as a whole leftmost label"
                        : "character '\(String(decoding: [byte], as: UTF8.self))' is not allowed"
                    throw bad(shown)
                }
            }
            if label.hasPrefix("-") || label.hasSuffix("-") { throw bad("a label may not start or end with '-'") }
        }
        if let last = labels.last, last.allSatisfy(\.isNumber), labels.count > 1 {
            throw bad("not a valid IP address")
        }
    }
}
