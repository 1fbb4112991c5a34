import Certs
import Foundation
import Testing

@Suite("Validity")
struct ValidityTests {
    @Test("validity must be at least one day", arguments: [0, -1, -365, 36_501])
    func badDays(days: Int) {
        #expect {
            _ = try Validity(days: days)
        } throws: { ($0 as? CertsError)?.code == .invalidArgument }
    }

    @Test("validity starts a few minutes early and ends days after now or --not-before")
    func period() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let plain = try Validity(days: 2, now: now)
        #expect(plain.notBefore == now.addingTimeInterval(-Validity.defaultClockSkew))
        #expect(plain.notAfter == now.addingTimeInterval(2 * 86_400))
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let explicit = try Validity(days: 1, notBefore: start, now: now)
        #expect(explicit.notBefore == start)
        #expect(explicit.notAfter == start.addingTimeInterval(86_400))
    }
}
