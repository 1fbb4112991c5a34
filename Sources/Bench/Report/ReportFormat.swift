import Foundation

/// The ways a report can be written.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Text for a person, with a latency histogram drawn in characters.
    case summary
    /// The whole ``BenchReport`` as JSON.
    case json
    /// One row per interval.
    case csv
    /// One self-contained page with SVG charts.
    case html
    /// Prometheus text exposition.
    case prometheus

    /// Renders `report`.
    public func render(_ report: BenchReport) -> String {
        switch self {
        case .summary: return SummaryText.render(report)
        case .json: return JSONReport.render(report)
        case .csv: return CSVReport.render(report)
        case .html: return HTMLReport.render(report)
        case .prometheus: return PrometheusReport.render(report)
        }
    }
}

enum JSONReport {
    static func render(_ report: BenchReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

enum CSVReport {
    static let header = "start_s,seconds,calls,succeeded,failed,rps,p50_us,p90_us,p99_us,p999_us,max_us,mean_us,target"

    static func render(_ report: BenchReport) -> String {
        var lines = [header]
        for row in report.intervals {
            lines.append(String(
                format: "%.3f,%.3f,%d,%d,%d,%.1f,%llu,%llu,%llu,%llu,%llu,%.1f,%g",
                row.start, row.seconds, row.calls, row.succeeded, row.failed, row.rps,
                row.p50, row.p90, row.p99, row.p999, row.max, row.mean, row.target))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

enum PrometheusReport {
    static func render(_ report: BenchReport) -> String {
        let labels = "method=\"\(escape(report.method))\",target=\"\(escape(report.target))\""
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (extra, value) in samples {
                out += "\(name){\(labels)\(extra.isEmpty ? "" : "," + extra)} \(format(value))\n"
            }
        }
        let l = report.latency
        metric("polarisctl_bench_latency_seconds", "summary", "Whole-call latency.",
               [("quantile=\"0.5\"", Double(l.p50)), ("quantile=\"0.75\"", Double(l.p75)),
                ("quantile=\"0.9\"", Double(l.p90)), ("quantile=\"0.95\"", Double(l.p95)),
                ("quantile=\"0.99\"", Double(l.p99)), ("quantile=\"0.999\"", Double(l.p999)),
                ("quantile=\"0.9999\"", Double(l.p9999))].map { ($0.0, $0.1 / 1e6) })
        out += "polarisctl_bench_latency_seconds_sum{\(labels)} \(format(l.mean * Double(l.count) / 1e6))\n"
        out += "polarisctl_bench_latency_seconds_count{\(labels)} \(l.count)\n"
        metric("polarisctl_bench_latency_max_seconds", "gauge", "Largest whole-call latency.", [("", Double(l.max) / 1e6)])
        metric("polarisctl_bench_calls_total", "counter", "Calls by gRPC status.",
               report.statuses.sorted { $0.key < $1.key }.map { ("code=\"\($0.key)\"", Double($0.value)) })
        metric("polarisctl_bench_errors_total", "counter", "Calls that failed without a status.",
               [("", Double(report.errors.values.reduce(0, +)))])
        metric("polarisctl_bench_requests_per_second", "gauge", "Calls per second over the measured time.", [("", report.rps)])
        metric("polarisctl_bench_duration_seconds", "gauge", "Measured time.", [("", report.seconds)])
        metric("polarisctl_bench_sent_bytes_total", "counter", "gRPC message bytes sent.", [("", Double(report.bytesSent))])
        metric("polarisctl_bench_received_bytes_total", "counter", "gRPC message bytes received.", [("", Double(report.bytesReceived))])
        metric("polarisctl_bench_reconnects_total", "counter", "Connections made again after the server closed one.",
               [("", Double(report.reconnects))])
        if let instances = report.instances {
            metric("polarisctl_bench_instance_calls_total", "counter", "Calls per instance of the target.",
                   instances.map { ("instance=\"\(escape($0.address))\"", Double($0.calls)) })
            metric("polarisctl_bench_instance_failed_total", "counter", "Failed calls per instance of the target.",
                   instances.map { ("instance=\"\(escape($0.address))\"", Double($0.failed)) })
            metric("polarisctl_bench_instance_latency_p99_seconds", "gauge", "99th percentile latency per instance.",
                   instances.map { ("instance=\"\(escape($0.address))\"", Double($0.latency.p99) / 1e6) })
        }
        if !report.slo.isEmpty {
            metric("polarisctl_bench_slo_passed", "gauge", "1 when the objective was met.",
                   report.slo.map { ("objective=\"\(escape($0.objective))\"", $0.passed ? 1 : 0) })
        }
        return out
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.9g", value)
    }
}

enum SummaryText {
    static func render(_ report: BenchReport) -> String {
        let d = BenchReport.duration
        var lines: [String] = []
        lines.append("Summary: \(report.method) on \(report.target)")
        let load = report.loadModel == "open"
            ? "open loop, rate \(report.rate ?? "?")/s" : "closed loop, concurrency \(report.concurrency ?? "?")"
        lines.append("  Load:          \(load), \(report.connections) connection(s), \(report.threads) thread(s)")
        lines.append(String(format: "  Calls:         %d (%d OK, %d failed, %.2f%% errors)%@",
                            report.calls, report.succeeded, report.failed, report.errorRate * 100,
                            report.interrupted ? " — interrupted" : ""))
        lines.append(String(format: "  Time:          %.2fs", report.seconds))
        lines.append(String(format: "  Requests/s:    %.1f", report.rps))
        let l = report.latency
        lines.append("  Latency:       mean \(d(l.mean)), stddev \(d(l.stddev)), min \(d(Double(l.min))), max \(d(Double(l.max)))")
        lines.append("  Percentiles:   p50 \(d(Double(l.p50)))  p75 \(d(Double(l.p75)))  p90 \(d(Double(l.p90)))  p95 \(d(Double(l.p95)))")
        lines.append("                 p99 \(d(Double(l.p99)))  p99.9 \(d(Double(l.p999)))  p99.99 \(d(Double(l.p9999)))")
        if let m = report.firstMessage {
            lines.append("  First message: p50 \(d(Double(m.p50)))  p99 \(d(Double(m.p99)))  max \(d(Double(m.max)))")
        }
        if let m = report.messageLatency {
            lines.append("  Per message:   p50 \(d(Double(m.p50)))  p99 \(d(Double(m.p99)))  max \(d(Double(m.max))) (\(report.messagesReceived) messages)")
        }
        lines.append("  Bytes:         \(report.bytesSent) sent, \(report.bytesReceived) received")
        if report.reconnects > 0 { lines.append("  Reconnects:    \(report.reconnects)") }
        if report.unfinished > 0 { lines.append("  Unfinished:    \(report.unfinished) call(s) still in flight at the end") }
        if report.outOfRange > 0 { lines.append("  Out of range:  \(report.outOfRange) latencies above 1h") }
        lines.append("  Note:          \(report.latencyNote)")
        if let instances = report.instances {
            lines.append("")
            lines.append("Instances:")
            let width = max(8, instances.map(\.address.count).max() ?? 0)
            for instance in instances {
                lines.append(String(format: "  %@ %8d calls %7d failed %10.1f req/s   p50 %@  p99 %@",
                                    instance.address.padding(toLength: width, withPad: " ", startingAt: 0) as NSString,
                                    instance.calls, instance.failed, instance.rps,
                                    d(Double(instance.latency.p50)) as NSString, d(Double(instance.latency.p99)) as NSString))
            }
        }
        lines.append("")
        lines.append("Status codes:")
        for (name, count) in report.statuses.sorted(by: { $0.value > $1.value }) {
            lines.append("  " + name.padding(toLength: 20, withPad: " ", startingAt: 0) + " \(count)")
        }
        if report.statuses.isEmpty { lines.append("  (none)") }
        if !report.errors.isEmpty || !report.statusMessages.isEmpty {
            lines.append("")
            lines.append("Errors:")
            for (text, count) in (report.errors.merging(report.statusMessages) { $0 + $1 }).sorted(by: { $0.value > $1.value }).prefix(10) {
                lines.append("  \(count)\t\(text)")
            }
        }
        lines.append("")
        lines.append("Latency distribution:")
        let peak = report.distribution.map(\.count).max() ?? 0
        for bucket in report.distribution where peak > 0 {
            let width = Int((Double(bucket.count) / Double(peak) * 40).rounded(.up))
            lines.append(String(format: "  ≤ %@ %@ %d", d(Double(bucket.upTo)).padding(toLength: 8, withPad: " ", startingAt: 0) as NSString,
                                String(repeating: "■", count: width).padding(toLength: 40, withPad: " ", startingAt: 0) as NSString,
                                bucket.count))
        }
        if !report.slo.isEmpty {
            lines.append("")
            lines.append("SLO:")
            for result in report.slo {
                lines.append("  \(result.passed ? "pass" : "FAIL")  \(result.objective) (measured \(result.measured))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
