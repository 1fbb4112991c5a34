public import Foundation

/// When a certificate is valid: from ``notBefore`` to ``notAfter``.
public struct Validity: Hashable, Sendable {
    /// Default back-dating of the start, so that peers whose clocks run a little
    /// behind accept a certificate made a moment ago.
    public static let defaultClockSkew: TimeInterval = 5 * 60
    /// The longest validity accepted (100 years).
    public static let maximumDays = 36_500

    public var notBefore: Date
    public var notAfter: Date

    /// A validity of `days` days.
    ///
    /// The period ends `days` days after `notBefore` when one is given, else
    /// `days` days after `now`; it starts at `notBefore`, else at `now` minus
    /// ``defaultClockSkew``.
    ///
    /// - Parameters:
    ///   - days: Length in days, 1...``maximumDays``.
    ///   - notBefore: An explicit start.
    ///   - now: The current time.
    /// - Throws: ``CertsError`` with code ``CertsError/Code/invalidArgument``
    ///   when `days` is out of range.
    public init(days: Int, notBefore: Date? = nil, now: Date = Date()) throws {
        guard days >= 1 else {
            throw CertsError(code: .invalidArgument, message: "the validity must be at least 1 day (got \(days))")
        }
        guard days <= Validity.maximumDays else {
            throw CertsError(code: .invalidArgument,
                             message: "the validity must be at most \(Validity.maximumDays) days (got \(days))")
        }
        let start = notBefore ?? now
        self.notBefore = notBefore ?? now.addingTimeInterval(-Validity.defaultClockSkew)
        self.notAfter = start.addingTimeInterval(TimeInterval(days) * 86_400)
    }

    /// An explicit period.
    public init(notBefore: Date, notAfter: Date) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}
