import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `polarisctl bench` against independent servers: the Python grpcio bench server
/// (delays, failures, stalls) and the grpc-go greeter.
@Suite(.serialized) struct BenchCommandTests {
    static let proto = CLI.examples + "/greeter.proto"
    static let method = "helloworld.Greeter/SayHello"

    func bench(_ address: String, _ extra: [String]) throws -> CLI.Result {
        try CLI.run(["bench", "--plaintext", address, Self.method, "--proto", Self.proto] + extra)
    }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr)")
    }

    @Test func exactCountsAndStatusDistribution() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--fail-every", "4"])
        defer { server.stop() }
        let result = try bench(server.address, ["-d", #"{"name":"x"}"#, "-n", "400", "-c", "8", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result)
        #expect(report["calls"] as? Int == 400)
        #expect(report["succeeded"] as? Int == 300)
        #expect(report["statuses"] as? [String: Int] == ["OK": 300, "RESOURCE_EXHAUSTED": 100])
        #expect(report["errorRate"] as? Double == 0.25)
        let latency = try #require(report["latency"] as? [String: Any])
        for key in ["p50", "p75", "p90", "p95", "p99", "p999", "p9999", "max", "mean", "stddev", "count"] {
            #expect(latency[key] != nil, "latency.\(key)")
        }
        #expect(latency["count"] as? Int == 400)
        // HelloRequest{name:"x"} is 3 bytes + 5 of framing.
        #expect(report["bytesSent"] as? Int == 400 * 8)
    }

    @Test("the live view redraws on a terminal a few times a second, and is absent when stderr is not one")
    func liveViewOnATerminalOnly() throws {
        let server = try PeerServer(script: "bench_server.py")
        defer { server.stop() }
        let arguments = ["bench", "--plaintext", server.address, Self.method, "--proto", Self.proto,
                         "-d", #"{"name":"x"}"#, "-z", "2s", "-c", "2"]
        let terminal = try CLI.run([CLI.root + "/Tests/Peers/python/pty_drive.py", "--", CLI.binary] + arguments,
                                   executable: "/usr/bin/python3")
        let run = try #require(try JSONSerialization.jsonObject(with: terminal.stdout) as? [String: Any], "\(terminal.output)")
        #expect(run["status"] as? Int == 0, "\(run)")
        let output = run["output"] as? String ?? ""
        let frames = output.components(separatedBy: "\r\u{1B}[2K").filter { $0.contains(" req/s  p99 ") }
        #expect(frames.count >= 4, "\(output)")                      // every 250 ms over 2 s
        #expect(frames.contains { $0.contains("█") && $0.contains("errors 0") && $0.contains("s left") }, "\(frames)")
        #expect(output.contains("Summary: /helloworld.Greeter/SayHello"))

        let piped = try bench(server.address, ["-d", #"{"name":"x"}"#, "-z", "1s", "-c", "2"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("\u{1B}") && !piped.stderr.contains("req/s  p99"), "\(piped.stderr)")
    }

    @Test func openLoopRateAndStallVisibleInTail() throws {
        // The server holds every call that arrives between 1.0 s and 1.6 s after the first one.
        let server = try PeerServer(script: "bench_server.py", arguments: ["--stall-at", "1.0", "--stall-ms", "600"])
        defer { server.stop() }
        let result = try bench(server.address, ["-r", "200", "-z", "3s", "--format", "json", "--connections", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result)
        let calls = try #require(report["calls"] as? Int)
        #expect(abs(calls - 600) <= 30, "calls \(calls)")
        let rps = try #require(report["rps"] as? Double)
        #expect(abs(rps - 200) <= 10, "rps \(rps)")
        let latency = try #require(report["latency"] as? [String: Any])
        let max = try #require(latency["max"] as? Int)
        let p99 = try #require(latency["p99"] as? Int)
        // The first call held waits the whole stall; ~20% of calls are held, so p99 shows it too.
        #expect(max >= 550_000 && max < 1_500_000, "max \(max)")
        #expect(p99 >= 400_000, "p99 \(p99)")
        #expect((report["latencyNote"] as? String)?.contains("intended send time") == true)
    }

    @Test func sloPassAndFailExitCodes() throws {
        let server = try PeerServer(script: "bench_server.py")
        defer { server.stop() }
        let pass = try bench(server.address, ["-n", "100", "-c", "4", "--slo", "error-rate<1%,p99<5s,rps>1"])
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.output.contains("pass  p99<5s"))
        let fail = try bench(server.address, ["-n", "100", "-c", "4", "--slo", "p99<1us,error-rate<1%"])
        #expect(fail.status == 10)
        #expect(fail.stderr.contains("SLO failed: p99<1us"))
        #expect(!fail.stderr.contains("error-rate<1%"))
        let bad = try bench(server.address, ["-n", "10", "--slo", "p98<1ms"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("p98"))
    }

    @Test func allFailingTargetExits13UnlessAllowed() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--fail-all"])
        defer { server.stop() }
        let failing = try bench(server.address, ["-n", "50", "-c", "4"])
        #expect(failing.status == 13)
        #expect(failing.stderr.contains("all 50 calls failed"))
        #expect(failing.output.contains("UNAVAILABLE"))
        let allowed = try bench(server.address, ["-n", "50", "-c", "4", "--allow-errors"])
        #expect(allowed.status == 0)
    }

    @Test func unreachableTargetAndBadTemplateFailBeforeLoad() throws {
        let unreachable = try bench("127.0.0.1:1", ["-n", "10"])
        #expect(unreachable.status == 5)
        #expect(unreachable.stderr.contains("connection refused by 127.0.0.1:1"), "\(unreachable.stderr)")
        let directory = try CLI.temporaryDirectory()
        let log = directory + "/names.log"
        let server = try PeerServer(script: "bench_server.py", arguments: ["--log", log])
        let bad = try bench(server.address, ["-n", "10", "-d", #"{"name":"{{.Nope}}"}"#])
        server.stop()
        #expect(bad.status == 4)
        #expect(bad.stderr.contains("{{.Nope}}") && bad.stderr.contains("unknown variable"))
        #expect((try? String(contentsOfFile: log, encoding: .utf8)) ?? "" == "")
    }

    @Test("contradictory or malformed load flags are usage errors (exit 2) naming the flag", arguments: [
        (["-n", "0"], "-n must be at least 1"),
        (["-z", "soon"], "-z 'soon' is not a duration"),
        (["-r", "0"], "-r must be positive"),
        (["--concurrency-schedule", "step", "--concurrency-end", "8", "-r", "10"],
         "--concurrency-schedule is for the closed loop; it cannot be combined with -r"),
        (["--load-schedule", "line", "--load-end", "20"], "--load-schedule needs -r or --load-start"),
    ])
    func badLoadFlags(_ extra: [String], _ message: String) throws {
        let result = try bench("127.0.0.1:1", extra)  // checked before any connection
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    /// As documented: with -n and -z the run stops at whichever comes first; with -r, -n
    /// bounds the open loop's count (and -c is ignored).
    @Test func countDurationAndRateTogether() throws {
        let server = try PeerServer(script: "bench_server.py")
        defer { server.stop() }
        let byCount = try json(bench(server.address, ["-n", "40", "-z", "30s", "-c", "4", "--format", "json"]))
        #expect(byCount["calls"] as? Int == 40)
        #expect((byCount["seconds"] as? Double ?? 99) < 10)
        let byTime = try json(bench(server.address, ["-n", "10000000", "-z", "1s", "-c", "2", "--format", "json"]))
        let calls = try #require(byTime["calls"] as? Int)
        #expect(calls > 0 && calls < 10_000_000)
        #expect(abs((byTime["seconds"] as? Double ?? 0) - 1) < 0.5, "\(byTime["seconds"] ?? "")")
        let open = try json(bench(server.address, ["-r", "50", "-n", "20", "-c", "1", "--format", "json"]))
        #expect(open["calls"] as? Int == 20)
        #expect(open["succeeded"] as? Int == 20)
        // 20 calls at 50/s are sent over 0.38 s: the rate is kept, not -c 1's pace.
        #expect((open["seconds"] as? Double ?? 0) > 0.3, "\(open["seconds"] ?? "")")
    }

    @Test func templatesProduceDistinctValues() throws {
        let directory = try CLI.temporaryDirectory()
        let log = directory + "/names.log"
        let server = try PeerServer(script: "bench_server.py", arguments: ["--log", log])
        let result = try bench(server.address, [
            "-n", "60", "-c", "3", "--connections", "1", "-d", #"{"name":"req-{{.RequestNumber}}"}"#,
            "-H", "x-id: w{{.WorkerID}}-{{randomInt 1 1}}",
        ])
        server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(lines.count == 60)
        #expect(Set(lines.map { String($0[0]) }) == Set((0..<60).map { "req-\($0)" }))
        #expect(Set(lines.map { String($0[1]) }) == ["w0-1", "w1-1", "w2-1"])
    }

    @Test func ndjsonFileMessagesAreUsedInTurn() throws {
        let directory = try CLI.temporaryDirectory()
        let log = directory + "/names.log"
        let input = directory + "/requests.ndjson"
        try CLI.write("{\"name\":\"a\"}\n{\"name\":\"b-{{.RequestNumber}}\"}\n{\"name\":\"c\"}\n", to: input)
        let server = try PeerServer(script: "bench_server.py", arguments: ["--log", log])
        let result = try bench(server.address, ["-n", "9", "-c", "1", "-d", "@" + input])
        server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        let names = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(names == ["a", "b-1", "c", "a", "b-4", "c", "a", "b-7", "c"])
        // A bad line is reported with its file and line before any load.
        try CLI.write("{\"name\":\"a\"}\n{\"nope\":1}\n", to: input)
        let bad = try bench("127.0.0.1:1", ["-n", "9", "-d", "@" + input])
        #expect(bad.status == 4)
        #expect(bad.stderr.contains("requests.ndjson:2: ") && bad.stderr.contains("nope"), "\(bad.stderr)")
    }

    @Test func everyReportFormatParsesBack() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--delay-ms", "2"])
        defer { server.stop() }
        let directory = try CLI.temporaryDirectory()
        let common = ["-z", "2.2s", "-c", "4", "--interval", "500ms"]

        let csv = try bench(server.address, common + ["--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.output.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.map(String.init) == ["start_s", "seconds", "calls", "succeeded", "failed", "rps", "p50_us", "p90_us",
                                               "p99_us", "p999_us", "max_us", "mean_us", "target"])
        #expect(rows.count >= 5)
        #expect(rows.dropFirst().allSatisfy { $0.count == 13 && Double($0[5]) != nil })

        let html = directory + "/report.html"
        let written = try bench(server.address, common + ["--format", "html", "-o", html])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.output.isEmpty)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        for id in ["chart-percentiles", "chart-rps", "chart-distribution"] { #expect(page.contains("<svg id=\"\(id)\"")) }
        #expect(!page.contains("<script") && !page.contains("<link"))
        let parser = XMLParser(data: Data(page.utf8))
        #expect(parser.parse(), "HTML is not well-formed: \(String(describing: parser.parserError))")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
            // Opened the way a person would: a real browser, offline, rendering to a screenshot.
            let png = directory + "/report.png"
            let browser = Process()
            browser.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
            browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,1400",
                                 "--user-data-dir=" + directory + "/chromium", "--screenshot=" + png, "file://" + html]
            browser.standardOutput = FileHandle.nullDevice
            browser.standardError = FileHandle.nullDevice
            try browser.run()
            let deadline = Date().addingTimeInterval(60)
            while browser.isRunning && Date() < deadline { usleep(100_000) }
            if browser.isRunning { kill(browser.processIdentifier, SIGKILL) }
            browser.waitUntilExit()
            let image = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(image.count > 20_000, "a blank page compresses to a few KB")
        }

        let prometheus = try bench(server.address, common + ["--format", "prometheus"])
        #expect(prometheus.status == 0)
        for line in prometheus.output.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && Double(parts[1]) != nil, "\(line)")
        }
        #expect(prometheus.output.contains("polarisctl_bench_latency_seconds{"))

        let summary = try bench(server.address, common)
        #expect(summary.output.contains("Latency distribution:") && summary.output.contains("Requests/s:"))
    }

    @Test(.enabled(if: GoGreeter.isAvailable)) func exactCountsAgainstGrpcGo() throws {
        let server = try GoGreeter()
        defer { server.stop() }
        let result = try bench(server.address, ["-d", #"{"name":"go"}"#, "-n", "5000", "-c", "20", "--connections", "2",
                                                "--format", "json", "--warmup", "200ms"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result)
        #expect(report["calls"] as? Int == 5000)
        #expect(report["statuses"] as? [String: Int] == ["OK": 5000])
        // HelloReply{message:"Hello go"}: 10 bytes + 5 of framing.
        #expect(report["bytesReceived"] as? Int == 5000 * 15)
    }
}

/// Streaming methods under load: per-message latency and time to first message.
@Suite(.serialized) struct BenchStreamingTests {
    static let proto = CLI.examples + "/route_guide.proto"

    func bench(_ address: String, _ method: String, _ extra: [String]) throws -> [String: Any] {
        let result = try CLI.run(["bench", "--plaintext", address, "routeguide.RouteGuide/" + method, "--proto", Self.proto,
                                  "--format", "json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr)")
    }

    @Test("open loop for a streaming method: calls start at the rate asked, however long each takes")
    func streamingOpenLoop() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--stream-gap-ms", "60"])
        defer { server.stop() }
        // Each call lasts ~300 ms (5 messages 60 ms apart); 40 calls/s for 1 s keep ~12 in flight.
        let report = try bench(server.address, "ListFeatures", ["-r", "40", "-z", "1s", "-d", "{}"])
        #expect(report["loadModel"] as? String == "open")
        let calls = try #require(report["calls"] as? Int)
        #expect((36...44).contains(calls), "calls \(calls)")
        #expect(report["succeeded"] as? Int == calls)
        #expect(report["messagesReceived"] as? Int == calls * 5)
        let whole = try #require(report["latency"] as? [String: Any])
        #expect((whole["p50"] as? Int ?? 0) >= 240_000, "\(whole)")
    }

    @Test("streaming load makes a connection again when the server closes it (GOAWAY after a max age)")
    func streamingReconnects() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--stream-gap-ms", "5", "--max-connection-age-ms", "800"])
        defer { server.stop() }
        let report = try bench(server.address, "ListFeatures", ["-z", "2.5s", "-c", "4", "--connections", "2", "-d", "{}", "--allow-errors"])
        #expect((report["reconnects"] as? Int ?? 0) >= 2, "\(report)")
        let calls = try #require(report["calls"] as? Int)
        let succeeded = try #require(report["succeeded"] as? Int)
        #expect(calls > 20 && succeeded > calls * 9 / 10, "\(succeeded) of \(calls)")
    }

    @Test func serverStreamingGapsAndFirstMessage() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--stream-gap-ms", "30"])
        defer { server.stop() }
        let report = try bench(server.address, "ListFeatures", ["-n", "20", "-c", "4", "-d", "{}"])
        #expect(report["calls"] as? Int == 20)
        #expect(report["messagesReceived"] as? Int == 100)
        let gaps = try #require(report["messageLatency"] as? [String: Any])
        #expect(gaps["count"] as? Int == 80)
        let p50 = try #require(gaps["p50"] as? Int)
        #expect(p50 >= 25_000 && p50 < 80_000, "gap p50 \(p50)")
        let first = try #require(report["firstMessage"] as? [String: Any])
        #expect((first["p50"] as? Int ?? .max) < 25_000)
        let whole = try #require(report["latency"] as? [String: Any])
        #expect((whole["p50"] as? Int ?? 0) >= 120_000)
    }

    @Test func bidiPerMessageLatencyAndClientStreaming() throws {
        let server = try PeerServer(script: "bench_server.py")
        defer { server.stop() }
        let bidi = try bench(server.address, "RouteChat", [
            "-n", "10", "-c", "2", "--stream-messages", "5", "--stream-interval", "10ms", "-d", #"{"message":"m{{.RequestNumber}}"}"#,
        ])
        #expect(bidi["calls"] as? Int == 10)
        #expect(bidi["messagesReceived"] as? Int == 50)
        #expect((bidi["messageLatency"] as? [String: Any])?["count"] as? Int == 50)
        let record = try bench(server.address, "RecordRoute", ["-n", "6", "-c", "2", "--stream-messages", "7", "-d", #"{"latitude":1}"#])
        #expect(record["statuses"] as? [String: Int] == ["OK": 6])
        // Point{latitude:1} is 2 bytes + 5 of framing, 7 per call.
        #expect(record["bytesSent"] as? Int == 6 * 7 * 7)
    }
}

/// Schedules, reconnects and Ctrl-C.
@Suite(.serialized) struct BenchLifecycleTests {
    func bench(_ address: String, _ extra: [String]) throws -> CLI.Result {
        try CLI.run(["bench", "--plaintext", address, BenchCommandTests.method, "--proto", BenchCommandTests.proto] + extra)
    }

    @Test func concurrencyStepScheduleRaisesThroughput() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--delay-ms", "20"])
        defer { server.stop() }
        let result = try bench(server.address, [
            "--concurrency-schedule", "step", "--concurrency-start", "1", "--concurrency-end", "4", "--concurrency-step", "1",
            "--concurrency-step-duration", "600ms", "-z", "2.4s", "--interval", "600ms", "--format", "csv", "--connections", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.output.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let targets = rows.compactMap { Double($0[12]) }
        let rps = rows.compactMap { Double($0[5]) }
        #expect(Array(targets.prefix(4)) == [1, 2, 3, 4], "\(targets)")
        #expect(rps.count >= 4 && rps[3] > rps[0] * 2.5, "\(rps)")
    }

    @Test func loadLineScheduleSendsTheIntegralOfTheRate() throws {
        let server = try PeerServer(script: "bench_server.py")
        defer { server.stop() }
        // 50/s rising by 50 every 0.5 s to 200/s, for 2 s: 0.5*(50+200)/2*3 + 0.5*200 ≈ 287 calls.
        let result = try bench(server.address, [
            "--load-schedule", "line", "--load-start", "50", "--load-end", "200", "--load-step", "50",
            "--load-step-duration", "500ms", "-z", "2s", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let calls = try #require(report["calls"] as? Int)
        #expect(abs(calls - 287) <= 25, "calls \(calls)")
    }

    @Test func reconnectsWhenTheServerClosesConnections() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--max-connection-age-ms", "400"])
        defer { server.stop() }
        let result = try bench(server.address, ["-z", "2.5s", "-c", "4", "--connections", "2", "--format", "json", "--allow-errors"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect((report["reconnects"] as? Int ?? 0) >= 2)
        let calls = try #require(report["calls"] as? Int)
        let succeeded = try #require(report["succeeded"] as? Int)
        #expect(succeeded > calls * 9 / 10, "\(succeeded) of \(calls)")
    }

    @Test func interruptPrintsTheReportForWhatRan() throws {
        let server = try PeerServer(script: "bench_server.py", arguments: ["--delay-ms", "5"])
        defer { server.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["bench", "--plaintext", server.address, BenchCommandTests.method, "--proto", BenchCommandTests.proto,
                             "-z", "60s", "-c", "2", "--format", "json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(1_500_000)
        kill(process.processIdentifier, SIGINT)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["interrupted"] as? Bool == true)
        #expect((report["calls"] as? Int ?? 0) > 20)
        #expect((report["seconds"] as? Double ?? 99) < 5)
    }
}
