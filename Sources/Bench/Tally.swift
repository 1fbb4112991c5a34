public import Histogram

/// Latency histograms in microseconds, 1 µs to 1 hour, three significant digits: every
/// histogram of a run comes from here so they can be merged.
public enum LatencyHistogram {
    public static let highestMicroseconds: UInt64 = 3_600_000_000

    public static func make() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds, numberOfSignificantValueDigits: .three)
    }
}

/// Latencies in microseconds: an HDR histogram for percentiles and buckets, plus the exact
/// sum and sum of squares of the recorded values for the mean and standard deviation (the
/// histogram library computes those by walking every bucket, which costs a report more
/// than the rest of it together).
public struct LatencyRecorder: Sendable {
    public private(set) var histogram = LatencyHistogram.make()
    private var sum: Double = 0
    private var sumOfSquares: Double = 0

    public init() {}

    /// Records one value; false (nothing recorded) when it is beyond the histogram's range.
    @inline(__always)
    public mutating func record(_ micros: UInt64) -> Bool {
        guard histogram.record(micros) else { return false }
        let value = Double(micros)
        sum += value
        sumOfSquares += value * value
        return true
    }

    /// Records a duration in nanoseconds as whole microseconds (at least 1).
    @inline(__always)
    public mutating func record(nanoseconds: UInt64) -> Bool {
        record(Swift.max(1, nanoseconds / 1000))
    }

    /// Adds another recorder's values.
    public mutating func add(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    public var totalCount: UInt64 { histogram.totalCount }
    public var min: UInt64 { histogram.min }
    public var max: UInt64 { histogram.max }
    public func valueAtPercentile(_ percentile: Double) -> UInt64 { histogram.valueAtPercentile(percentile) }
    public func count(within range: ClosedRange<UInt64>) -> UInt64 { histogram.count(within: range) }

    /// The exact mean of the recorded values (0 when there are none).
    public var mean: Double { totalCount > 0 ? sum / Double(totalCount) : 0 }

    /// The exact (population) standard deviation of the recorded values.
    public var stdDeviation: Double {
        guard totalCount > 0 else { return 0 }
        let mean = self.mean
        return (Swift.max(0, sumOfSquares / Double(totalCount) - mean * mean)).squareRoot()
    }
}

/// What happened during one stretch of a run, on one event loop or merged: counts, not
/// one record per call, so memory stays flat however long the run.
public struct Tally: Sendable {
    /// Whole-call latency.
    public var latency = LatencyRecorder()
    /// Streaming only: time from sending a message to its response (bidi), or between
    /// responses (server streaming).
    public var messageLatency: LatencyRecorder?
    /// Streaming only: time from the call's start to its first response.
    public var firstMessage: LatencyRecorder?
    /// Calls that ended (any outcome).
    public var calls = 0
    /// Calls with status OK.
    public var succeeded = 0
    /// Calls by gRPC status code (index 0...16); others fold into UNKNOWN.
    public var statuses = [Int](repeating: 0, count: 17)
    /// Failures that have no status (connection lost, not started, …) by kind.
    public var errors: [String: Int] = [:]
    /// Non-OK status messages by text (bounded: extra kinds fold into one entry).
    public var statusMessages: [String: Int] = [:]
    /// gRPC message bytes sent and received (5-byte prefix included).
    public var bytesSent = 0
    public var bytesReceived = 0
    /// Latencies above the histogram's range.
    public var outOfRange = 0
    /// Response messages received (streams).
    public var messagesReceived = 0
    /// Times a connection was lost and made again.
    public var reconnects = 0
    /// With several targets (the instances of a `polaris://` service): calls, successes
    /// and latency per target, by index into the configuration's addresses.
    public var targets: [TargetTally] = []

    /// One target's share of the calls.
    public struct TargetTally: Sendable {
        public var calls = 0
        public var succeeded = 0
        public var latency = LatencyRecorder()
    }

    static let maximumErrorKinds = 50

    public init(streaming: Bool = false) {
        if streaming {
            messageLatency = LatencyRecorder()
            firstMessage = LatencyRecorder()
        }
    }

    public var failed: Int { calls - succeeded }

    /// Counts one call of target `index`.
    mutating func recordTarget(_ index: Int, succeeded ok: Bool, nanoseconds: UInt64) {
        while targets.count <= index { targets.append(TargetTally()) }
        targets[index].calls += 1
        if ok { targets[index].succeeded += 1 }
        _ = targets[index].latency.record(nanoseconds: nanoseconds)
    }

    @inline(__always)
    mutating func recordLatency(nanoseconds: UInt64) {
        if !latency.record(nanoseconds: nanoseconds) { outOfRange += 1 }
    }

    mutating func countError(_ kind: String) {
        Self.bump(&errors, kind)
    }

    mutating func countStatus(_ code: Int, message: String) {
        statuses[code >= 0 && code < 17 ? code : 2] += 1
        if code != 0 { Self.bump(&statusMessages, message) }
    }

    private static func bump(_ table: inout [String: Int], _ key: String) {
        if table[key] == nil && table.count >= maximumErrorKinds {
            table["(other)", default: 0] += 1
        } else {
            table[key, default: 0] += 1
        }
    }

    /// Adds another tally's counts.
    public mutating func merge(_ other: Tally) {
        latency.add(other.latency)
        if let theirs = other.messageLatency {
            if messageLatency == nil { messageLatency = LatencyRecorder() }
            messageLatency?.add(theirs)
        }
        if let theirs = other.firstMessage {
            if firstMessage == nil { firstMessage = LatencyRecorder() }
            firstMessage?.add(theirs)
        }
        calls += other.calls
        succeeded += other.succeeded
        for i in 0..<17 { statuses[i] += other.statuses[i] }
        for (k, v) in other.errors { errors[k, default: 0] += v }
        for (k, v) in other.statusMessages { statusMessages[k, default: 0] += v }
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
        outOfRange += other.outOfRange
        messagesReceived += other.messagesReceived
        reconnects += other.reconnects
        while targets.count < other.targets.count { targets.append(TargetTally()) }
        for (i, theirs) in other.targets.enumerated() {
            targets[i].calls += theirs.calls
            targets[i].succeeded += theirs.succeeded
            targets[i].latency.add(theirs.latency)
        }
    }
}
