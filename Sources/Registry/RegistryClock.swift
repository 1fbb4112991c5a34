import Foundation
import Synchronization

/// Where the registry reads the time (seconds since 1970): the system clock, or a clock a
/// test moves by hand.
public struct RegistryClock: Sendable {
    private let read: @Sendable () -> Double

    /// A clock reading `read`.
    public init(_ read: @escaping @Sendable () -> Double) { self.read = read }

    /// The current time in seconds.
    public func now() -> Double { read() }

    /// The wall clock.
    public static let system = RegistryClock { Date().timeIntervalSince1970 }
}

/// A clock that only moves when told to (for tests of TTL judging).
public final class ManualClock: Sendable {
    private let seconds: Mutex<Double>

    public init(start: Double = 1_700_000_000) { seconds = Mutex(start) }

    /// Moves the clock forward.
    public func advance(by delta: Double) { seconds.withLock { $0 += delta } }

    /// The clock as a ``RegistryClock``.
    public var clock: RegistryClock { RegistryClock { self.seconds.withLock { $0 } } }
}
