/// How a load level (requests per second or concurrency) changes during a run.
///
/// `step` changes the level by ``step`` every ``stepDuration`` seconds; `line` changes it
/// continuously at the same average slope. Either stops at ``end`` and stays there.
public struct Schedule: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case constant, step, line
    }

    public var kind: Kind
    public var start: Double
    public var end: Double
    public var step: Double
    /// Seconds between steps.
    public var stepDuration: Double

    /// A level that never changes.
    public static func constant(_ value: Double) -> Schedule {
        Schedule(kind: .constant, start: value, end: value, step: 0, stepDuration: 1)
    }

    /// Creates a schedule, checking that it moves from `start` toward `end`.
    ///
    /// - Parameters:
    ///   - kind: `step` or `line` (or `constant`).
    ///   - start: The level at the start of measurement.
    ///   - end: The level it stops at.
    ///   - step: The change per step (its sign follows `end - start` when zero is not given).
    ///   - stepDuration: Seconds per step.
    ///   - name: The flag, for messages (`--load-schedule`).
    /// - Throws: ``BenchError`` with ``BenchError/Code/invalidSchedule``.
    public init(kind: Kind, start: Double, end: Double, step: Double, stepDuration: Double, name: String = "schedule") throws {
        func fail(_ why: String) -> BenchError { BenchError(code: .invalidSchedule, message: "\(name): \(why)") }
        guard start >= 0, end >= 0, start.isFinite, end.isFinite else { throw fail("start and end must be 0 or more") }
        if kind != .constant {
            guard stepDuration > 0, stepDuration.isFinite else { throw fail("the step duration must be positive") }
            guard step != 0, step.isFinite else { throw fail("the step must not be 0") }
            guard (end - start) * step >= 0 else {
                throw fail("a step of \(step) never goes from \(start) to \(end)")
            }
        }
        self.init(kind: kind, start: start, end: end, step: step, stepDuration: stepDuration)
    }

    private init(kind: Kind, start: Double, end: Double, step: Double, stepDuration: Double) {
        self.kind = kind
        self.start = start
        self.end = end
        self.step = step
        self.stepDuration = stepDuration
    }

    /// The level `elapsed` seconds into the measured part of the run.
    public func value(at elapsed: Double) -> Double {
        let t = max(0, elapsed)
        let raw: Double
        switch kind {
        case .constant: return start
        case .step: raw = start + step * (t / stepDuration).rounded(.down)
        case .line: raw = start + step * t / stepDuration
        }
        return step > 0 ? min(raw, end) : max(raw, end)
    }

    /// The seconds after which the level no longer changes.
    public var rampSeconds: Double {
        kind == .constant || step == 0 ? 0 : abs((end - start) / step) * stepDuration
    }
}
