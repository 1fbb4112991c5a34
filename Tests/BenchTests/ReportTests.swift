import Bench
import Foundation
import Histogram
import RPC
import Schema
import Testing

@Suite struct ReportTests {
    /// A tally with known latencies: 1..1000 ms once each, 10 % failures.
    static func tally() -> Tally {
        var tally = Tally()
        for ms in 1...1000 {
            _ = tally.latency.record(UInt64(ms) * 1000)
            tally.calls += 1
            if ms % 10 == 0 {
                tally.statuses[14] += 1
            } else {
                tally.succeeded += 1
                tally.statuses[0] += 1
            }
        }
        return tally
    }

    static func report(_ tally: Tally, seconds: Double = 2, slo: [SLO] = []) throws -> BenchReport {
        let pool = try #require(MessageTemplateTests.pool)
        let message = try MessageTemplate(json: "{}", messageType: "helloworld.HelloRequest", pool: pool, origin: "-d")
        let configuration = BenchConfiguration(
            addresses: [.tcp(host: "127.0.0.1", port: 1)], client: .init(), path: "/helloworld.Greeter/SayHello",
            kind: .unary, requests: try RequestSource(messages: [message]), load: .closed(concurrency: .constant(4)),
            connections: 1, threads: 1, totalRequests: 1000, durationSeconds: nil)
        let row = IntervalRow(start: 0, seconds: 2, calls: 1000, succeeded: 900, failed: 100, rps: 500,
                              p50: 500_000, p90: 900_000, p99: 990_000, p999: 999_000, max: 1_000_000, mean: 500_500, target: 4)
        let result = BenchResult(overall: tally, intervals: [row, row], seconds: seconds, startedAt: 0, interrupted: false,
                                 unfinished: 0, connections: 1, threads: 1)
        return BenchReport(result: result, configuration: configuration, target: "127.0.0.1:1", objectives: slo)
    }

    @Test func percentilesAndRatesFromTheHistogram() throws {
        let report = try Self.report(Self.tally())
        func near(_ value: UInt64, _ expected: UInt64) -> Bool { abs(Double(value) - Double(expected)) <= Double(expected) * 0.001 + 1 }
        #expect(near(report.latency.p50, 500_000))
        #expect(near(report.latency.p90, 900_000))
        #expect(near(report.latency.p99, 990_000))
        #expect(near(report.latency.max, 1_000_000))
        // Mean and standard deviation are exact (from the recorded values, not the buckets).
        #expect(abs(report.latency.mean - 500_500) < 0.001)
        #expect(abs(report.latency.stddev - 288_674.990) < 0.001)
        #expect(report.rps == 500)
        #expect(report.errorRate == 0.1)
        #expect(report.statuses == ["OK": 900, "UNAVAILABLE": 100])
        #expect(report.distribution.map(\.count).reduce(0, +) == 1000)
    }

    @Test func mergedTalliesEqualOneTally() {
        var a = Tally(), b = Tally(), whole = Tally()
        for v in 1...500 { _ = a.latency.record(UInt64(v)); _ = whole.latency.record(UInt64(v)) }
        for v in 501...1000 { _ = b.latency.record(UInt64(v)); _ = whole.latency.record(UInt64(v)) }
        a.merge(b)
        #expect(a.latency.valueAtPercentile(99) == whole.latency.valueAtPercentile(99))
        #expect(a.latency.totalCount == 1000)
        #expect(a.latency.mean == whole.latency.mean && a.latency.mean == 500.5)
        #expect(abs(a.latency.stdDeviation - whole.latency.stdDeviation) < 1e-9)
    }

    @Test func valuesBeyondTheRangeAreNotCounted() {
        var recorder = LatencyRecorder()
        let inRange = recorder.record(10)
        let beyond = recorder.record(LatencyHistogram.highestMicroseconds * 4)
        #expect(inRange && !beyond)
        #expect(recorder.totalCount == 1 && recorder.mean == 10 && recorder.stdDeviation == 0)
        #expect(LatencyRecorder().mean == 0 && LatencyRecorder().stdDeviation == 0)
    }

    @Test func sloVerdicts() throws {
        let report = try Self.report(Self.tally(), slo: try SLO.parseList("p99<2s,error-rate<5%,rps>100"))
        #expect(report.slo.map(\.passed) == [true, false, true])
        #expect(report.slo[1].measured == "10.00%")
    }

    @Test func formatsRenderTheSameNumbers() throws {
        let report = try Self.report(Self.tally())
        let json = try JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(report).utf8)) as? [String: Any]
        #expect(json?["calls"] as? Int == 1000)
        let csv = ReportFormat.csv.render(report).split(separator: "\n")
        #expect(csv.count == 3)
        #expect(csv[0].split(separator: ",").count == csv[1].split(separator: ",").count)
        let prometheus = ReportFormat.prometheus.render(report)
        #expect(prometheus.contains(#"polarisctl_bench_calls_total{method="/helloworld.Greeter/SayHello",target="127.0.0.1:1",code="UNAVAILABLE"} 100"#))
        let html = ReportFormat.html.render(report)
        #expect(html.contains("<svg id=\"chart-percentiles\""))
        #expect(!html.contains("http://") || !html.contains("<script"))
        #expect(ReportFormat.summary.render(report).contains("Latency distribution:"))
    }
}
