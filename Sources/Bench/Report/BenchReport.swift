import Foundation
import Histogram
import RPC

/// A run's result in the shape every report format renders: plain numbers and tables.
public struct BenchReport: Sendable, Codable {
    public struct Latency: Sendable, Codable, Hashable {
        public var count: UInt64
        public var p50, p75, p90, p95, p99, p999, p9999: UInt64
        public var min, max: UInt64
        public var mean, stddev: Double
    }
    public struct Bucket: Sendable, Codable, Hashable {
        /// Upper bound of the bucket in microseconds.
        public var upTo: UInt64
        public var count: UInt64
    }

    public var method: String
    public var target: String
    /// `closed` or `open`.
    public var loadModel: String
    public var concurrency: String?
    public var rate: String?
    public var connections: Int
    public var threads: Int
    public var startedAt: String
    public var seconds: Double
    public var interrupted: Bool
    public var unfinished: Int
    public var calls: Int
    public var succeeded: Int
    public var failed: Int
    public var errorRate: Double
    public var rps: Double
    /// Whole-call latency in microseconds.
    public var latency: Latency
    /// Streaming: per-message latency and time to first message.
    public var messageLatency: Latency?
    public var firstMessage: Latency?
    public var messagesReceived: Int
    /// Calls by status name (OK, UNAVAILABLE, …).
    public var statuses: [String: Int]
    /// Non-OK status messages by text.
    public var statusMessages: [String: Int]
    /// Failures without a status, by kind.
    public var errors: [String: Int]
    public var bytesSent: Int
    public var bytesReceived: Int
    public var reconnects: Int
    public var outOfRange: Int
    /// How latency is measured.
    public var latencyNote: String
    public var distribution: [Bucket]
    public var intervals: [IntervalRow]
    public var slo: [SLOResult]
    /// With several targets (a `polaris://` service's instances): each one's share.
    public var instances: [Instance]?

    /// One target's calls, requests/s and latency.
    public struct Instance: Sendable, Codable, Hashable {
        public var address: String
        public var calls: Int
        public var succeeded: Int
        public var failed: Int
        public var rps: Double
        public var latency: Latency
    }

    /// Builds the report.
    ///
    /// - Parameters:
    ///   - result: The run.
    ///   - configuration: Its settings.
    ///   - target: The address as the user typed it.
    ///   - objectives: `--slo` objectives to check.
    public init(result: BenchResult, configuration: BenchConfiguration, target: String, objectives: [SLO] = []) {
        let overall = result.overall
        method = configuration.path
        self.target = target
        switch configuration.load {
        case .closed(let schedule):
            loadModel = "closed"
            concurrency = Self.describe(schedule)
            latencyNote = "closed loop: latency is measured from each call's actual send time; a stalled server slows the senders, so compare with an open-loop run (-r) for latency under a fixed arrival rate"
        case .open(let schedule):
            loadModel = "open"
            rate = Self.describe(schedule)
            latencyNote = "open loop: latency is measured from each request's intended send time, so a server stall shows in the percentiles (no coordinated omission)"
        }
        connections = result.connections
        threads = result.threads
        startedAt = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: result.startedAt))
        seconds = result.seconds
        interrupted = result.interrupted
        unfinished = result.unfinished
        calls = overall.calls
        succeeded = overall.succeeded
        failed = overall.failed
        errorRate = overall.calls > 0 ? Double(overall.failed) / Double(overall.calls) : 0
        rps = result.seconds > 0 ? Double(overall.calls) / result.seconds : 0
        latency = Self.summary(overall.latency)
        messageLatency = overall.messageLatency.map(Self.summary)
        firstMessage = overall.firstMessage.map(Self.summary)
        messagesReceived = overall.messagesReceived
        var statuses: [String: Int] = [:]
        for (code, count) in overall.statuses.enumerated() where count > 0 {
            statuses[GRPCStatus.Code(rawValue: code).description] = count
        }
        self.statuses = statuses
        statusMessages = overall.statusMessages
        errors = overall.errors
        bytesSent = overall.bytesSent
        bytesReceived = overall.bytesReceived
        reconnects = overall.reconnects
        outOfRange = overall.outOfRange
        distribution = Self.buckets(overall.latency)
        intervals = result.intervals
        instances = configuration.addresses.count > 1 ? configuration.addresses.enumerated().map { i, address in
            let share = i < overall.targets.count ? overall.targets[i] : Tally.TargetTally()
            return Instance(address: address.description, calls: share.calls, succeeded: share.succeeded,
                            failed: share.calls - share.succeeded,
                            rps: result.seconds > 0 ? Double(share.calls) / result.seconds : 0,
                            latency: Self.summary(share.latency))
        } : nil
        slo = []
        slo = objectives.map { objective in
            let value = objective.measured(in: self)
            return SLOResult(objective: objective.text, measured: objective.format(value), passed: objective.isMet(by: value))
        }
    }

    /// Whether every objective passed.
    public var sloPassed: Bool { slo.allSatisfy(\.passed) }

    static func describe(_ schedule: Schedule) -> String {
        switch schedule.kind {
        case .constant: return String(format: "%g", schedule.start)
        case .step, .line:
            return String(format: "%@ %g→%g by %g every %gs", schedule.kind.rawValue, schedule.start, schedule.end,
                          schedule.step, schedule.stepDuration)
        }
    }

    static func summary(_ h: LatencyRecorder) -> Latency {
        guard h.totalCount > 0 else {
            return Latency(count: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0, p9999: 0, min: 0, max: 0, mean: 0, stddev: 0)
        }
        return Latency(
            count: h.totalCount,
            p50: h.valueAtPercentile(50), p75: h.valueAtPercentile(75), p90: h.valueAtPercentile(90),
            p95: h.valueAtPercentile(95), p99: h.valueAtPercentile(99), p999: h.valueAtPercentile(99.9),
            p9999: h.valueAtPercentile(99.99), min: h.min, max: h.max, mean: h.mean, stddev: h.stdDeviation)
    }

    /// Logarithmic buckets (×2) from the smallest recorded value up to the largest.
    static func buckets(_ h: LatencyRecorder) -> [Bucket] {
        guard h.totalCount > 0 else { return [] }
        var out: [Bucket] = []
        var upper: UInt64 = 1
        while upper < h.min { upper *= 2 }
        var lower: UInt64 = 0
        while lower <= h.max && out.count < 64 {
            let count = h.count(within: (lower == 0 ? 0 : lower + 1)...upper)
            out.append(Bucket(upTo: upper, count: count))
            lower = upper
            upper *= 2
        }
        return out
    }

    /// Microseconds as a short duration: `850µs`, `12.3ms`, `1.20s`.
    public static func duration(_ micros: Double) -> String {
        if micros < 1000 { return String(format: "%.0fµs", micros) }
        if micros < 1_000_000 { return String(format: micros < 10_000 ? "%.2fms" : "%.1fms", micros / 1000) }
        return String(format: "%.2fs", micros / 1_000_000)
    }
}
