import Foundation

/// One self-contained HTML page: inline CSS and SVG, no script, nothing fetched.
enum HTMLReport {
    static func render(_ report: BenchReport) -> String {
        let d = BenchReport.duration
        let l = report.latency
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><title>polarisctl bench: \(escape(report.method))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:980px}
            h1{font-size:20px}h2{font-size:16px;margin-top:28px}
            table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}
            th:first-child,td:first-child{text-align:left}
            svg{background:#fafafa;border:1px solid #ddd}.note{color:#555}
            </style></head><body>
            <h1>\(escape(report.method)) on \(escape(report.target))</h1>
            <p>\(report.loadModel == "open" ? "Open loop at \(escape(report.rate ?? ""))/s" : "Closed loop, concurrency \(escape(report.concurrency ?? ""))"), \
            \(report.connections) connection(s); started \(escape(report.startedAt)); \(String(format: "%.2f", report.seconds)) s measured\(report.interrupted ? " (interrupted)" : "").</p>
            <p class="note">\(escape(report.latencyNote))</p>
            <table id="summary"><tr><th>calls</th><th>OK</th><th>failed</th><th>error rate</th><th>requests/s</th></tr>
            <tr><td>\(report.calls)</td><td>\(report.succeeded)</td><td>\(report.failed)</td>\
            <td>\(String(format: "%.2f%%", report.errorRate * 100))</td><td>\(String(format: "%.1f", report.rps))</td></tr></table>
            <h2>Latency</h2>
            <table id="latency"><tr><th>p50</th><th>p75</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th><th>mean</th><th>stddev</th></tr>
            <tr>\([l.p50, l.p75, l.p90, l.p95, l.p99, l.p999, l.p9999, l.max].map { "<td>\(d(Double($0)))</td>" }.joined())<td>\(d(l.mean))</td><td>\(d(l.stddev))</td></tr></table>

            """
        html += "<h2>Latency percentiles over time</h2>\n"
        html += lineChart(
            id: "chart-percentiles",
            series: [("p50", "#1f77b4", report.intervals.map { Double($0.p50) / 1000 }),
                     ("p90", "#2ca02c", report.intervals.map { Double($0.p90) / 1000 }),
                     ("p99", "#ff7f0e", report.intervals.map { Double($0.p99) / 1000 }),
                     ("max", "#d62728", report.intervals.map { Double($0.max) / 1000 })],
            times: report.intervals.map { $0.start + $0.seconds }, unit: "ms")
        html += "<h2>Requests per second over time</h2>\n"
        html += lineChart(
            id: "chart-rps", series: [("req/s", "#1f77b4", report.intervals.map(\.rps)),
                                      ("errors/s", "#d62728", report.intervals.map { $0.seconds > 0 ? Double($0.failed) / $0.seconds : 0 })],
            times: report.intervals.map { $0.start + $0.seconds }, unit: "/s")
        html += "<h2>Latency distribution</h2>\n"
        html += barChart(id: "chart-distribution", buckets: report.distribution)
        html += "<h2>Status codes</h2>\n<table id=\"statuses\"><tr><th>status</th><th>calls</th></tr>\n"
        for (name, count) in report.statuses.sorted(by: { $0.value > $1.value }) {
            html += "<tr><td>\(escape(name))</td><td>\(count)</td></tr>\n"
        }
        html += "</table>\n"
        if let instances = report.instances {
            html += "<h2>Instances</h2>\n<table id=\"instances\"><tr><th>address</th><th>calls</th><th>failed</th><th>req/s</th><th>p50</th><th>p99</th></tr>\n"
            for instance in instances {
                html += "<tr><td>\(escape(instance.address))</td><td>\(instance.calls)</td><td>\(instance.failed)</td>"
                    + String(format: "<td>%.1f</td>", instance.rps)
                    + "<td>\(BenchReport.duration(Double(instance.latency.p50)))</td><td>\(BenchReport.duration(Double(instance.latency.p99)))</td></tr>\n"
            }
            html += "</table>\n"
        }
        let problems = report.errors.merging(report.statusMessages) { $0 + $1 }
        if !problems.isEmpty {
            html += "<h2>Errors</h2>\n<table id=\"errors\"><tr><th>error</th><th>calls</th></tr>\n"
            for (text, count) in problems.sorted(by: { $0.value > $1.value }).prefix(20) {
                html += "<tr><td>\(escape(text))</td><td>\(count)</td></tr>\n"
            }
            html += "</table>\n"
        }
        if !report.slo.isEmpty {
            html += "<h2>SLO</h2>\n<table id=\"slo\"><tr><th>objective</th><th>measured</th><th>result</th></tr>\n"
            for result in report.slo {
                html += "<tr><td>\(escape(result.objective))</td><td>\(escape(result.measured))</td><td>\(result.passed ? "pass" : "FAIL")</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "</body></html>\n"
        return html
    }

    static let width = 900.0, height = 260.0, left = 60.0, bottom = 30.0, top = 20.0, right = 110.0

    static func lineChart(id: String, series: [(String, String, [Double])], times: [Double], unit: String) -> String {
        let maxY = max(series.flatMap(\.2).max() ?? 0, 1e-9) * 1.1
        let maxX = max(times.last ?? 1, 1e-9)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ t: Double) -> Double { left + t / maxX * plotW }
        func y(_ v: Double) -> Double { top + plotH - v / maxY * plotH }
        var svg = "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
        svg += axes(maxY: maxY, maxX: maxX, unit: unit)
        for (index, (name, color, values)) in series.enumerated() {
            let points = zip(times, values).map { String(format: "%.1f,%.1f", x($0), y($1)) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            let ly = top + 14 + Double(index) * 16
            svg += "<rect x=\"\(Int(width - right + 10))\" y=\"\(Int(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(Int(width - right + 25))\" y=\"\(Int(ly))\" font-size=\"12\">\(escape(name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func axes(maxY: Double, maxX: Double, unit: String) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        var svg = "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#888\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"#888\"/>\n"
        for i in 0...4 {
            let v = maxY * Double(i) / 4
            let yy = top + plotH - Double(i) / 4 * plotH
            svg += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">%@</text>", left - 4, yy + 4,
                          String(format: v < 10 ? "%.2f" : "%.0f", v) + unit)
            svg += String(format: "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#eee\"/>\n", left, yy, left + plotW, yy)
        }
        for i in 0...4 {
            let t = maxX * Double(i) / 4
            svg += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"middle\">%.1fs</text>\n",
                          left + Double(i) / 4 * plotW, top + plotH + 18, t)
        }
        return svg
    }

    static func barChart(id: String, buckets: [BenchReport.Bucket]) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        let peak = Double(buckets.map(\.count).max() ?? 1)
        var svg = "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#888\"/>\n"
        let barW = buckets.isEmpty ? 0 : plotW / Double(buckets.count)
        for (i, bucket) in buckets.enumerated() {
            let h = peak > 0 ? Double(bucket.count) / peak * plotH : 0
            let x = left + Double(i) * barW
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\"><title>≤ %@: %llu</title></rect>\n",
                          x + 1, top + plotH - h, max(1, barW - 2), h, BenchReport.duration(Double(bucket.upTo)), bucket.count)
            svg += String(format: "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"middle\">%@</text>\n",
                          x + barW / 2, top + plotH + 14, BenchReport.duration(Double(bucket.upTo)))
        }
        return svg + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
