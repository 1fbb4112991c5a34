import Certs
import Foundation
import Testing

@Suite("SubjectAltNames: host lists")
struct SubjectAltNamesTests {
    @Test("splits DNS names and IP addresses, keeping order and dropping duplicates")
    func splits() throws {
        let names = try SubjectAltNames(parsing: "localhost, 127.0.0.1,::1,*.example.internal,[fe80::1],localhost")
        #expect(names.dnsNames == ["localhost", "*.example.internal"])
        #expect(names.ipAddresses == ["127.0.0.1", "::1", "fe80::1"])
        #expect(names.all.first == "localhost")
    }

    @Test("rejects malformed hosts", arguments: [
        ("", "empty"),
        ("localhost,,x", "empty host name"),
        ("bad_host", "character '_' is not allowed"),
        ("a..b", "empty label"),
        ("-a.example", "may not start or end with '-'"),
        ("*.com", "at least two labels"),
        ("foo.*.example.com", "only be the leftmost label"),
        ("f*o.example.com", "'*' is only allowed"),
        ("999.1.1.1", "not a valid IP address"),
        ("1.2.3.4.5", "not a valid IP address"),
        ("::1::2", "not a valid IP address or DNS name"),
        (String(repeating: "a", count: 64) + ".example", "longer than 63"),
    ])
    func rejects(host: String, reason: String) {
        #expect {
            _ = try SubjectAltNames(parsing: host)
        } throws: { error in
            guard let error = error as? CertsError else { return false }
            return error.code == .invalidHost && error.message.contains(reason)
        }
    }
}
