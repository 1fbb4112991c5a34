import Histogram
import Foundation
import NIOCore
import NIOPosix
import RPC
import Schema
import Synchronization

/// One row of the per-interval report.
public struct IntervalRow: Sendable, Codable, Hashable {
    /// Seconds from the start of measurement to the start of the interval.
    public var start: Double
    public var seconds: Double
    public var calls: Int
    public var succeeded: Int
    public var failed: Int
    public var rps: Double
    /// Latency percentiles and extremes in microseconds.
    public var p50: UInt64
    public var p90: UInt64
    public var p99: UInt64
    public var p999: UInt64
    public var max: UInt64
    public var mean: Double
    /// Load level asked for at the middle of the interval (concurrency or rate).
    public var target: Double

    public init(start: Double, seconds: Double, calls: Int, succeeded: Int, failed: Int, rps: Double,
                p50: UInt64, p90: UInt64, p99: UInt64, p999: UInt64, max: UInt64, mean: Double, target: Double) {
        self.start = start
        self.seconds = seconds
        self.calls = calls
        self.succeeded = succeeded
        self.failed = failed
        self.rps = rps
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
        self.mean = mean
        self.target = target
    }
}

/// The outcome of a run.
public struct BenchResult: Sendable {
    /// Everything measured.
    public var overall: Tally
    public var intervals: [IntervalRow]
    /// Seconds from the start of measurement to the end of the last measured call.
    public var seconds: Double
    /// Unix time when measurement started.
    public var startedAt: Double
    /// Whether the run was stopped early (SIGINT).
    public var interrupted: Bool
    /// Calls still in flight when the drain time ran out.
    public var unfinished: Int
    public var connections: Int
    public var threads: Int

    public init(overall: Tally, intervals: [IntervalRow], seconds: Double, startedAt: Double, interrupted: Bool,
                unfinished: Int, connections: Int, threads: Int) {
        self.overall = overall
        self.intervals = intervals
        self.seconds = seconds
        self.startedAt = startedAt
        self.interrupted = interrupted
        self.unfinished = unfinished
        self.connections = connections
        self.threads = threads
    }
}

/// What the live view shows, updated once per interval.
public struct BenchProgress: Sendable {
    public var elapsed: Double
    /// Seconds of warm-up still to go.
    public var warmupLeft: Double
    public var calls: Int
    public var failed: Int
    public var rps: Double
    public var p99: UInt64
    /// 0...1 when known (from -n or -z).
    public var fraction: Double?
    /// Seconds left when known.
    public var remaining: Double?
}

/// Runs a benchmark: connects, drives load on every event loop, collects one tally per
/// interval, and returns the result.
///
/// ```swift
/// let runner = BenchRunner(configuration: configuration)
/// let result = try await runner.run()
/// ```
public final class BenchRunner: Sendable {
    public let configuration: BenchConfiguration
    private let state = Mutex<State>(State())

    private struct State {
        var control: RunControl?
        var progress: BenchProgress?
        /// A stop asked for before load started (while connecting).
        var stopEarly = false
    }

    public init(configuration: BenchConfiguration) {
        self.configuration = configuration
    }

    /// Stops sending; calls in flight are given the drain time, then the report is made.
    public func stop() {
        state.withLock {
            $0.stopEarly = true
            $0.control?.requestStop()
        }
    }

    /// The latest progress, or nil before the first interval.
    public var progress: BenchProgress? { state.withLock { $0.progress } }

    /// Runs the benchmark.
    ///
    /// - Returns: The result (also for a run where every call failed).
    /// - Throws: ``BenchError`` for a configuration that cannot run, ``RPCError`` when the
    ///   first connections cannot be made.
    public func run() async throws -> BenchResult {
        try configuration.validate()
        let threads = max(1, min(configuration.threads, configuration.connections))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        defer { group.shutdownGracefully { _ in } }
        let loops = Array(group.makeIterator())

        // Connect everything first: an unreachable target fails the run before any load.
        var opened: [(Int, RPCConnection)] = []
        do {
            try await withThrowingTaskGroup(of: (Int, RPCConnection).self) { tasks in
                for i in 0..<configuration.connections {
                    let address = configuration.address(ofConnection: i)
                    let loop = loops[i % threads]
                    let client = configuration.client
                    tasks.addTask { (i, try await RPCConnection.connect(to: address, configuration: client, eventLoopGroup: loop)) }
                }
                for try await pair in tasks { opened.append(pair) }
            }
        } catch {
            for (_, connection) in opened { await connection.close() }
            throw error
        }
        opened.sort { $0.0 < $1.0 }

        let start = RunControl.now()
        let control = RunControl(
            total: configuration.totalRequests, start: start, warmupSeconds: configuration.warmupSeconds,
            durationSeconds: configuration.durationSeconds)
        state.withLock {
            $0.control = control
            if $0.stopEarly { control.requestStop() }
        }
        let startedAt = Date().timeIntervalSince1970 + configuration.warmupSeconds

        if configuration.kind != .unary {
            return try await runStreaming(
                control: control, connections: opened.map(\.1), startedAt: startedAt, threads: threads)
        }

        var drivers: [NIOLoopBound<LoopDriver>] = []
        var doneFutures: [EventLoopFuture<Void>] = []
        for t in 0..<threads {
            let loop = loops[t]
            let promise = loop.makePromise(of: Void.self)
            doneFutures.append(promise.futureResult)
            let mine = opened.filter { $0.0 % threads == t }
            let configuration = self.configuration
            let bound = try await loop.submit {
                let driver = LoopDriver(index: t, threads: threads, loop: loop, configuration: configuration, control: control, done: promise)
                for (i, connection) in mine {
                    driver.add(ConnectionSlot(globalIndex: i, address: connection.address,
                                              target: configuration.target(ofConnection: i), connection: connection))
                }
                driver.start()
                return NIOLoopBound(driver, eventLoop: loop)
            }.get()
            drivers.append(bound)
        }
        let allDone = EventLoopFuture.andAllComplete(doneFutures, on: loops[0])
        let finished = Atomic<Bool>(false)
        allDone.whenComplete { _ in finished.store(true, ordering: .relaxed) }

        // Collect one tally per interval until every driver has finished.
        var overall = Tally()
        var intervals: [IntervalRow] = []
        let interval = UInt64(configuration.intervalSeconds * 1e9)
        var nextCollect = control.measureStartNanoseconds > start ? control.measureStartNanoseconds : start + interval
        var lastCollect = control.measureStartNanoseconds
        var stopSeen: UInt64?
        var unfinished = 0
        while true {
            // Sleep in short steps so the end of the run is noticed promptly.
            let now = RunControl.now()
            if finished.load(ordering: .relaxed) { break }
            if stopSeen == nil && (control.shouldStop(at: now)) { stopSeen = now }
            if let stopSeen, now > stopSeen + UInt64(configuration.drainSeconds * 1e9) {
                for driver in drivers {
                    unfinished += try await driver.eventLoop.submit { driver.value.abandon() }.get()
                }
                break
            }
            if now >= nextCollect {
                let tally = try await collect(drivers)
                if now > control.measureStartNanoseconds {
                    let row = Self.row(tally, from: lastCollect, to: now, measureStart: control.measureStartNanoseconds,
                                       target: target(at: lastCollect / 2 + now / 2, control: control))
                    if tally.calls > 0 || !intervals.isEmpty { intervals.append(row) }
                    overall.merge(tally)
                    lastCollect = now
                }
                nextCollect = max(now, control.measureStartNanoseconds) + interval
                updateProgress(control: control, now: now, overall: overall, last: intervals.last)
            }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let tally = try await collect(drivers)
        var end: UInt64 = 0
        for driver in drivers {
            end = max(end, try await driver.eventLoop.submit { driver.value.lastCompletion }.get())
        }
        end = max(end, lastCollect)
        if tally.calls > 0 {
            intervals.append(Self.row(tally, from: lastCollect, to: end, measureStart: control.measureStartNanoseconds,
                                      target: target(at: lastCollect / 2 + end / 2, control: control)))
        }
        overall.merge(tally)

        for driver in drivers {
            let connections = try await driver.eventLoop.submit { driver.value.connections }.get()
            for connection in connections { await connection.close() }
        }
        let seconds = end > control.measureStartNanoseconds ? Double(end - control.measureStartNanoseconds) / 1e9 : 0
        return BenchResult(
            overall: overall, intervals: intervals, seconds: seconds, startedAt: startedAt,
            interrupted: control.stopRequested, unfinished: unfinished, connections: configuration.connections,
            threads: threads)
    }

    /// Streaming methods: one task per worker on the async face, collected per interval.
    private func runStreaming(control: RunControl, connections: [RPCConnection], startedAt: Double, threads: Int) async throws -> BenchResult {
        let load = StreamingLoad(configuration: configuration, control: control, connections: connections)
        let finished = Atomic<Bool>(false)
        let task = Task {
            await load.run()
            finished.store(true, ordering: .relaxed)
        }
        var overall = Tally(streaming: true)
        var intervals: [IntervalRow] = []
        let interval = UInt64(configuration.intervalSeconds * 1e9)
        var nextCollect = max(control.measureStartNanoseconds, control.startNanoseconds + interval)
        var lastCollect = control.measureStartNanoseconds
        var stopSeen: UInt64?
        var unfinished = 0
        while !finished.load(ordering: .relaxed) {
            let now = RunControl.now()
            if stopSeen == nil && control.shouldStop(at: now) { stopSeen = now }
            if let stopSeen, now > stopSeen + UInt64(configuration.drainSeconds * 1e9) {
                unfinished = load.callsInFlight
                break
            }
            if now >= nextCollect {
                let tally = load.takeTally()
                if now > control.measureStartNanoseconds {
                    if tally.calls > 0 || !intervals.isEmpty {
                        intervals.append(Self.row(tally, from: lastCollect, to: now, measureStart: control.measureStartNanoseconds,
                                                  target: target(at: lastCollect / 2 + now / 2, control: control)))
                    }
                    overall.merge(tally)
                    lastCollect = now
                }
                nextCollect = max(now, control.measureStartNanoseconds) + interval
                updateProgress(control: control, now: now, overall: overall, last: intervals.last)
            }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        for connection in load.currentConnections { await connection.close() }
        task.cancel()
        _ = await task.value
        let tally = load.takeTally()
        let end = max(load.lastCompletionTime, lastCollect)
        if tally.calls > 0 {
            intervals.append(Self.row(tally, from: lastCollect, to: end, measureStart: control.measureStartNanoseconds,
                                      target: target(at: lastCollect / 2 + end / 2, control: control)))
        }
        overall.merge(tally)
        let seconds = end > control.measureStartNanoseconds ? Double(end - control.measureStartNanoseconds) / 1e9 : 0
        return BenchResult(
            overall: overall, intervals: intervals, seconds: seconds, startedAt: startedAt,
            interrupted: control.stopRequested, unfinished: unfinished, connections: configuration.connections,
            threads: threads)
    }

    private func collect(_ drivers: [NIOLoopBound<LoopDriver>]) async throws -> Tally {
        var merged = Tally()
        for driver in drivers {
            merged.merge(try await driver.eventLoop.submit { driver.value.takeTally() }.get())
        }
        return merged
    }

    private func target(at now: UInt64, control: RunControl) -> Double {
        let elapsed = now > control.measureStartNanoseconds ? Double(now - control.measureStartNanoseconds) / 1e9 : 0
        switch configuration.load {
        case .closed(let schedule): return schedule.value(at: elapsed)
        case .open(let schedule): return schedule.value(at: elapsed)
        }
    }

    private func updateProgress(control: RunControl, now: UInt64, overall: Tally, last: IntervalRow?) {
        let elapsed = Double(now - control.startNanoseconds) / 1e9
        let measured = now > control.measureStartNanoseconds ? Double(now - control.measureStartNanoseconds) / 1e9 : 0
        var fraction: Double?
        var remaining: Double?
        if let duration = configuration.durationSeconds {
            fraction = min(1, measured / duration)
            remaining = max(0, duration - measured)
        }
        if let total = configuration.totalRequests {
            let byCount = min(1, Double(overall.calls) / Double(total))
            if fraction == nil || byCount > fraction! {
                fraction = byCount
                let rate = measured > 0 ? Double(overall.calls) / measured : 0
                remaining = rate > 0 ? Double(total - overall.calls) / rate : nil
            }
        }
        let progress = BenchProgress(
            elapsed: elapsed, warmupLeft: max(0, Double(Int64(control.measureStartNanoseconds) - Int64(now)) / 1e9),
            calls: overall.calls, failed: overall.failed, rps: last?.rps ?? 0, p99: last?.p99 ?? 0,
            fraction: fraction, remaining: remaining)
        state.withLock { $0.progress = progress }
    }

    static func row(_ tally: Tally, from: UInt64, to: UInt64, measureStart: UInt64, target: Double) -> IntervalRow {
        let seconds = to > from ? Double(to - from) / 1e9 : 0
        let h = tally.latency
        let empty = h.totalCount == 0
        return IntervalRow(
            start: from > measureStart ? Double(from - measureStart) / 1e9 : 0, seconds: seconds,
            calls: tally.calls, succeeded: tally.succeeded, failed: tally.failed,
            rps: seconds > 0 ? Double(tally.calls) / seconds : 0,
            p50: empty ? 0 : h.valueAtPercentile(50), p90: empty ? 0 : h.valueAtPercentile(90),
            p99: empty ? 0 : h.valueAtPercentile(99), p999: empty ? 0 : h.valueAtPercentile(99.9),
            max: empty ? 0 : h.max, mean: empty ? 0 : h.mean, target: target)
    }
}
