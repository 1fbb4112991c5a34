import Foundation

/// A service-level objective checked against a run: `p99<50ms`, `error-rate<1%`, `rps>5000`.
public struct SLO: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Metric: String, Sendable, Hashable, Codable {
        case p50, p75, p90, p95, p99, p999, p9999, max, mean, errorRate = "error-rate", rps
    }
    public enum Comparison: String, Sendable, Hashable, Codable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    public var metric: Metric
    public var comparison: Comparison
    /// Microseconds for latencies, a fraction (0...1) for error-rate, per second for rps.
    public var threshold: Double
    /// The text as given.
    public var text: String

    public var description: String { text }

    /// Parses a comma-separated list.
    ///
    /// - Throws: ``BenchError`` with ``BenchError/Code/invalidSLO`` naming the bad item.
    public static func parseList(_ text: String) throws -> [SLO] {
        try text.split(separator: ",").map { try SLO(parsing: $0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Parses one objective.
    public init(parsing text: String) throws {
        func fail(_ why: String) -> BenchError {
            BenchError(code: .invalidSLO, message: "--slo '\(text)': \(why)")
        }
        guard let opIndex = text.firstIndex(where: { $0 == "<" || $0 == ">" }) else {
            throw fail("expected METRIC<VALUE or METRIC>VALUE, e.g. p99<50ms")
        }
        let name = text[..<opIndex].trimmingCharacters(in: .whitespaces).lowercased()
        var rest = text[opIndex...]
        var op = String(rest.removeFirst())
        if rest.first == "=" { op.append(rest.removeFirst()) }
        guard let metric = Metric(rawValue: name == "p99.9" ? "p999" : name == "p99.99" ? "p9999" : name) else {
            throw fail("unknown metric '\(name)' (p50 p75 p90 p95 p99 p999 p9999 max mean error-rate rps)")
        }
        guard let comparison = Comparison(rawValue: op) else { throw fail("unknown comparison '\(op)'") }
        let value = rest.trimmingCharacters(in: .whitespaces)
        let threshold: Double
        switch metric {
        case .errorRate:
            guard value.hasSuffix("%"), let number = Double(value.dropLast()), number >= 0 else {
                throw fail("error-rate takes a percentage, e.g. error-rate<1%")
            }
            threshold = number / 100
        case .rps:
            guard let number = Double(value), number >= 0 else { throw fail("rps takes a number, e.g. rps>5000") }
            threshold = number
        default:
            guard let micros = Self.microseconds(value) else {
                throw fail("a latency takes a duration with a unit: us, ms or s (e.g. 50ms)")
            }
            threshold = micros
        }
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.text = text
    }

    static func microseconds(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 1.0), ("µs", 1.0), ("ms", 1000.0), ("s", 1_000_000.0)] where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number >= 0 else { return nil }
            return number * scale
        }
        return nil
    }

    /// The measured value for this objective, in its units.
    public func measured(in report: BenchReport) -> Double {
        let l = report.latency
        switch metric {
        case .p50: return Double(l.p50)
        case .p75: return Double(l.p75)
        case .p90: return Double(l.p90)
        case .p95: return Double(l.p95)
        case .p99: return Double(l.p99)
        case .p999: return Double(l.p999)
        case .p9999: return Double(l.p9999)
        case .max: return Double(l.max)
        case .mean: return l.mean
        case .errorRate: return report.errorRate
        case .rps: return report.rps
        }
    }

    /// Whether `value` meets the objective.
    public func isMet(by value: Double) -> Bool {
        switch comparison {
        case .less: return value < threshold
        case .lessOrEqual: return value <= threshold
        case .greater: return value > threshold
        case .greaterOrEqual: return value >= threshold
        }
    }

    /// The value as a person reads it (`12.3ms`, `0.50%`, `5012/s`).
    public func format(_ value: Double) -> String {
        switch metric {
        case .errorRate: return String(format: "%.2f%%", value * 100)
        case .rps: return String(format: "%.0f/s", value)
        default: return BenchReport.duration(value)
        }
    }
}

/// The verdict on one objective.
public struct SLOResult: Sendable, Hashable, Codable {
    public var objective: String
    public var measured: String
    public var passed: Bool
}
