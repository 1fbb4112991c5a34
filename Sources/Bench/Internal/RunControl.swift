import NIOCore
import Synchronization

/// State shared by every event loop of a run: request numbering, the request budget,
/// the phase boundaries and the stop flag. Touched with relaxed atomics only.
final class RunControl: Sendable {
    /// The next request number (warm-up requests included).
    private let sequence = Atomic<UInt64>(0)
    /// Measured requests started so far.
    private let tickets = Atomic<Int>(0)
    private let stopFlag = Atomic<Bool>(false)

    let total: Int?
    /// Monotonic nanoseconds when load starts.
    let startNanoseconds: UInt64
    /// When measurement starts (the end of warm-up).
    let measureStartNanoseconds: UInt64
    /// When sending stops (nil: only the budget ends the run).
    let measureEndNanoseconds: UInt64?

    init(total: Int?, start: UInt64, warmupSeconds: Double, durationSeconds: Double?) {
        self.total = total
        self.startNanoseconds = start
        self.measureStartNanoseconds = start + UInt64(warmupSeconds * 1e9)
        self.measureEndNanoseconds = durationSeconds.map { start + UInt64((warmupSeconds + $0) * 1e9) }
    }

    @inline(__always)
    func nextRequestNumber() -> UInt64 {
        sequence.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Takes one measured request from the budget; false when it is spent.
    @inline(__always)
    func takeTicket() -> Bool {
        guard let total else { return true }
        return tickets.wrappingAdd(1, ordering: .relaxed).oldValue < total
    }

    var isBudgetSpent: Bool {
        guard let total else { return false }
        return tickets.load(ordering: .relaxed) >= total
    }

    func requestStop() { stopFlag.store(true, ordering: .relaxed) }

    var stopRequested: Bool { stopFlag.load(ordering: .relaxed) }

    /// Whether no new request may start at `now`.
    @inline(__always)
    func shouldStop(at now: UInt64) -> Bool {
        if stopFlag.load(ordering: .relaxed) { return true }
        if let end = measureEndNanoseconds, now >= end { return true }
        return isBudgetSpent
    }

    @inline(__always)
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
