public import ArgumentParser
public import Bench

/// `bench`'s load flags: how much, how fast, for how long.
struct BenchLoadOptions: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("concurrency")],
            help: "Closed loop: calls in flight at once; default: 50.")
    var concurrency: Int = 50

    @Option(name: .customLong("connections"),
            help: "HTTP/2 connections to spread the load over; default: one per CPU core or per instance of a polaris:// address, whichever is more (at most -c).")
    var connections: Int?

    @Option(name: [.customShort("n"), .customLong("total")],
            help: "Measured calls to make; default: 1000 when -z is not given. With -z: stops at whichever comes first.")
    var total: Int?

    @Option(name: [.customShort("z"), .customLong("duration")],
            help: ArgumentHelp("Measure for this long (e.g. 30s, 2m, 500ms); with -n: stops at whichever comes first.", valueName: "duration"))
    var duration: String?

    @Option(name: [.customShort("r"), .customLong("rate")],
            help: "Open loop: send this many calls per second whatever the responses (-c is then ignored); latency counts from each call's intended send time.")
    var rate: Double?

    @Option(name: .customLong("warmup"), help: ArgumentHelp("Load before measurement starts, not reported (e.g. 2s); default: none.", valueName: "duration"))
    var warmup: String?

    @Option(name: .customLong("load-schedule"), help: "Open loop: change the rate by 'step' or along a 'line' from --load-start to --load-end; default: constant.")
    var loadSchedule: Schedule.Kind = .constant
    @Option(name: .customLong("load-start"), help: "Rate at the start of the schedule; default: -r.")
    var loadStart: Double?
    @Option(name: .customLong("load-end"), help: "Rate the schedule stops at.")
    var loadEnd: Double?
    @Option(name: .customLong("load-step"), help: "Rate change per step; default: (end-start)/10.")
    var loadStep: Double?
    @Option(name: .customLong("load-step-duration"), help: ArgumentHelp("Time per step; default: 1s.", valueName: "duration"))
    var loadStepDuration: String?

    @Option(name: .customLong("concurrency-schedule"), help: "Closed loop: change concurrency by 'step' or along a 'line' from --concurrency-start to --concurrency-end; default: constant.")
    var concurrencySchedule: Schedule.Kind = .constant
    @Option(name: .customLong("concurrency-start"), help: "Concurrency at the start of the schedule; default: -c.")
    var concurrencyStart: Double?
    @Option(name: .customLong("concurrency-end"), help: "Concurrency the schedule stops at.")
    var concurrencyEnd: Double?
    @Option(name: .customLong("concurrency-step"), help: "Concurrency change per step; default: (end-start)/10.")
    var concurrencyStep: Double?
    @Option(name: .customLong("concurrency-step-duration"), help: ArgumentHelp("Time per step; default: 1s.", valueName: "duration"))
    var concurrencyStepDuration: String?

    @Option(name: .customLong("max-pending"), help: "Open loop: most calls in flight; sends beyond it count as failures; default: 100000.")
    var maxPending: Int = 100_000

    @Option(name: .customLong("interval"), help: ArgumentHelp("Length of one report interval; default: 1s.", valueName: "duration"))
    var interval: String = "1s"

    @Option(name: .customLong("drain"), help: ArgumentHelp("How long calls in flight at the end may take before they are abandoned; default: 10s.", valueName: "duration"))
    var drain: String = "10s"

    @Option(name: .customLong("seed"), help: "Seed for template randomness, so runs repeat; default: 1.")
    var seed: UInt64 = 1

    @Option(name: .customLong("stream-messages"), help: "Client and bidi streams: messages sent per call; default: 10.")
    var streamMessages: Int = 10

    @Option(name: .customLong("stream-interval"), help: ArgumentHelp("Pause between streamed messages; default: 0.", valueName: "duration"))
    var streamInterval: String = "0s"

    func validate() throws {
        if concurrency < 1 { throw ValidationError("-c must be at least 1") }
        if let connections, connections < 1 { throw ValidationError("--connections must be at least 1") }
        if let total, total < 1 { throw ValidationError("-n must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("-r must be positive") }
        if maxPending < 1 { throw ValidationError("--max-pending must be at least 1") }
        if streamMessages < 1 { throw ValidationError("--stream-messages must be at least 1") }
        for (flag, text) in [("-z", duration), ("--warmup", warmup), ("--interval", interval), ("--drain", drain),
                             ("--stream-interval", streamInterval), ("--load-step-duration", loadStepDuration),
                             ("--concurrency-step-duration", concurrencyStepDuration)] {
            if let text, Self.seconds(text) == nil {
                throw ValidationError("\(flag) '\(text)' is not a duration (e.g. 500ms, 10s, 2m, 1h)")
            }
        }
        if loadSchedule != .constant && rate == nil && loadStart == nil {
            throw ValidationError("--load-schedule needs -r or --load-start (it schedules the open loop's rate)")
        }
        if loadSchedule != .constant && loadEnd == nil { throw ValidationError("--load-schedule needs --load-end") }
        if concurrencySchedule != .constant && concurrencyEnd == nil {
            throw ValidationError("--concurrency-schedule needs --concurrency-end")
        }
        if concurrencySchedule != .constant && (rate != nil || loadSchedule != .constant) {
            throw ValidationError("--concurrency-schedule is for the closed loop; it cannot be combined with -r or --load-schedule")
        }
    }

    /// `500ms`, `10s`, `2m`, `1h`, `1.5s` or a plain number of seconds.
    static func seconds(_ text: String) -> Double? {
        for (suffix, scale) in [("ms", 0.001), ("us", 0.000_001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number >= 0, number.isFinite else { return nil }
            return number * scale
        }
        guard let number = Double(text), number >= 0, number.isFinite else { return nil }
        return number
    }

    func loadModel() throws -> BenchConfiguration.LoadModel {
        if rate != nil || loadSchedule != .constant {
            let start = loadStart ?? rate ?? 0
            if loadSchedule == .constant { return .open(rate: .constant(start)) }
            let end = loadEnd ?? start
            return .open(rate: try Schedule(
                kind: loadSchedule, start: start, end: end, step: loadStep ?? (end - start) / 10,
                stepDuration: loadStepDuration.flatMap(Self.seconds) ?? 1, name: "--load-schedule"))
        }
        let start = concurrencyStart ?? Double(concurrency)
        if concurrencySchedule == .constant { return .closed(concurrency: .constant(start)) }
        let end = concurrencyEnd ?? start
        return .closed(concurrency: try Schedule(
            kind: concurrencySchedule, start: start, end: end, step: concurrencyStep ?? (end - start) / 10,
            stepDuration: concurrencyStepDuration.flatMap(Self.seconds) ?? 1, name: "--concurrency-schedule"))
    }

    /// The most workers at once: sizes the default connection count.
    var peakConcurrency: Int {
        Int(max(Double(concurrency), concurrencyStart ?? 0, concurrencyEnd ?? 0))
    }
}

/// `bench`'s report flags.
struct BenchReportOptions: ParsableArguments {
    @Option(name: .customLong("format"), help: "Report format; default: summary.")
    var format: ReportFormat = .summary

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the report to this file (atomically) instead of stdout.",
            completion: .file())
    var output: String?

    @Option(name: .customLong("slo"), help: ArgumentHelp("Objectives to check, e.g. 'p99<50ms,p999<200ms,error-rate<1%,rps>5000'; exit 10 when one fails.", valueName: "list"))
    var slo: String?

    @Flag(name: .customLong("allow-errors"), help: "Exit 0 even when every call failed; default: exit 13 then.")
    var allowErrors = false

    @Flag(name: .customLong("no-progress"), help: "Do not draw the live progress line (drawn only when stderr is a terminal).")
    var noProgress = false

    func validate() throws {
        if let slo {
            do { _ = try SLO.parseList(slo) } catch let error as BenchError { throw ValidationError(error.message) }
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension Schedule.Kind: ExpressibleByArgument {}
