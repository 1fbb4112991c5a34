import Foundation
import Histogram
import NIOCore
import RPC
import Schema
import Synchronization

/// Closed-loop load for client-, server- and bidi-streaming methods, on the engine's async
/// face (one task per worker, not per message). Records whole-call latency, time to first
/// response, and per-message latency: for bidi the time from sending message i to
/// receiving response i; for server streaming the gap between responses.
final class StreamingLoad: Sendable {
    let configuration: BenchConfiguration
    let control: RunControl
    /// The current connection of each slot, and the slots being reconnected.
    private let pool: Mutex<(connections: [RPCConnection], reconnecting: Set<Int>)>
    private let slotCount: Int
    private let tally = Mutex<Tally>(Tally(streaming: true))
    private let inFlight = Atomic<Int>(0)
    private let lastCompletion = Atomic<UInt64>(0)

    init(configuration: BenchConfiguration, control: RunControl, connections: [RPCConnection]) {
        self.configuration = configuration
        self.control = control
        pool = Mutex((connections, []))
        slotCount = connections.count
    }

    /// Every connection open now (replacements included), for closing at the end.
    var currentConnections: [RPCConnection] { pool.withLock { $0.connections } }

    private func connection(_ index: Int) -> RPCConnection { pool.withLock { $0.connections[index] } }

    /// Replaces slot `index`'s connection when it can no longer start calls (the server
    /// closed it, or sent GOAWAY): once, by whichever worker notices first.
    private func replaceIfGone(_ index: Int, _ stale: RPCConnection) async {
        guard !(await stale.isAcceptingCalls) else { return }
        let claimed = pool.withLock { state -> Bool in
            guard state.connections[index] === stale, !state.reconnecting.contains(index) else { return false }
            state.reconnecting.insert(index)
            return true
        }
        guard claimed else { return }
        do {
            let fresh = try await RPCConnection.connect(
                to: stale.address, configuration: configuration.client, eventLoopGroup: stale.eventLoop)
            pool.withLock { state in
                state.connections[index] = fresh
                state.reconnecting.remove(index)
            }
            tally.withLock { $0.reconnects += 1 }
            await stale.close()
        } catch {
            pool.withLock { _ = $0.reconnecting.remove(index) }
            tally.withLock { $0.countError("reconnect failed: \((error as? RPCError).map(LoopDriver.describe) ?? "\(error)")") }
        }
    }

    func takeTally() -> Tally {
        tally.withLock { current in
            let taken = current
            current = Tally(streaming: true)
            return taken
        }
    }

    var callsInFlight: Int { inFlight.load(ordering: .relaxed) }
    var lastCompletionTime: UInt64 { lastCompletion.load(ordering: .relaxed) }

    /// Runs every worker until the run stops; returns when all have finished.
    func run() async {
        if case .open(let schedule) = configuration.load {
            await openLoop(schedule)
            return
        }
        guard case .closed(let schedule) = configuration.load else { return }
        let workers = Int(max(schedule.start, schedule.end).rounded())
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask { await self.worker(worker, schedule: schedule) }
            }
        }
    }

    private func worker(_ id: Int, schedule: Schedule) async {
        var random = SplitMix64(seed: configuration.seed &+ UInt64(id) &* 0x9E37)
        var connectionIndex = id % slotCount
        while true {
            let now = RunControl.now()
            if control.shouldStop(at: now) { return }
            let elapsed = now > control.measureStartNanoseconds ? Double(now - control.measureStartNanoseconds) / 1e9 : 0
            if id >= Int(schedule.value(at: elapsed).rounded()) {
                try? await Task.sleep(nanoseconds: 20_000_000)
                continue
            }
            let measuring = now >= control.measureStartNanoseconds
            if measuring && !control.takeTicket() { return }
            if await perform(on: connectionIndex, workerID: id, start: now, measuring: measuring, random: &random) {
                // The connection went (or is draining): go on with the next one.
                connectionIndex = (connectionIndex + 1) % slotCount
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
        }
    }

    /// One call on slot `index`: latency from `start` (its send time in a closed loop,
    /// its intended time in an open one); recorded when `measuring`. When the call found
    /// the connection gone (or draining), the slot gets a new one and this returns true.
    @discardableResult
    private func perform(on index: Int, workerID: Int, start: UInt64, measuring: Bool,
                         random: inout SplitMix64) async -> Bool {
        var context = TemplateContext(
            requestNumber: control.nextRequestNumber(), workerID: workerID,
            unixNanoseconds: LoopDriver.wallClockNanoseconds(), random: random)
        let metadata = configuration.requests.metadata(&context)
        inFlight.wrappingAdd(1, ordering: .relaxed)
        let current = connection(index)
        let outcome = await call(on: current, metadata: metadata, context: &context, start: start)
        random = context.random
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        let end = RunControl.now()
        lastCompletion.store(end, ordering: .relaxed)
        if measuring {
            tally.withLock { tally in
                tally.calls += 1
                tally.recordLatency(nanoseconds: end &- start)
                tally.bytesSent += outcome.sent
                tally.bytesReceived += outcome.received
                tally.messagesReceived += outcome.responses
                if let first = outcome.first { _ = tally.firstMessage?.record(nanoseconds: first) }
                for gap in outcome.gaps { _ = tally.messageLatency?.record(nanoseconds: gap) }
                if let status = outcome.status {
                    if status.code == .ok { tally.succeeded += 1 }
                    tally.countStatus(status.code.rawValue, message: status.message)
                } else {
                    tally.countError(outcome.error)
                }
                if let target = configuration.target(ofConnection: index) {
                    tally.recordTarget(target, succeeded: outcome.status?.code == .ok, nanoseconds: end &- start)
                }
            }
        }
        guard outcome.status.map(LoopDriver.notStarted) ?? true else { return false }
        await replaceIfGone(index, current)
        return true
    }

    /// Open loop: calls start at the schedule's rate whatever the server does, each on
    /// its own task, latency measured from the intended start, so a stall shows in
    /// the percentiles; at most --max-pending in flight (the rest are counted as not sent).
    private func openLoop(_ schedule: Schedule) async {
        var nextIntended = control.startNanoseconds
        var random = SplitMix64(seed: configuration.seed)
        var ordinal = 0
        await withDiscardingTaskGroup { group in
            while true {
                let now = RunControl.now()
                if nextIntended > now {
                    try? await Task.sleep(nanoseconds: Swift.min(nextIntended - now, 50_000_000))
                    continue
                }
                if control.shouldStop(at: nextIntended) || control.stopRequested || Task.isCancelled { return }
                let measuring = nextIntended >= control.measureStartNanoseconds
                if measuring && !control.takeTicket() { return }
                if inFlight.load(ordering: .relaxed) >= configuration.maximumPending {
                    if measuring {
                        tally.withLock { tally in
                            tally.calls += 1
                            tally.countError("not sent: --max-pending calls already in flight")
                        }
                    }
                } else {
                    let intended = nextIntended, index = ordinal % slotCount, worker = ordinal
                    var seed = SplitMix64(seed: random.next())
                    ordinal += 1
                    group.addTask {
                        await self.perform(on: index, workerID: worker, start: intended, measuring: measuring, random: &seed)
                    }
                }
                let elapsed = Double(Int64(nextIntended) - Int64(control.measureStartNanoseconds)) / 1e9
                let rate = schedule.value(at: Swift.max(0, elapsed))
                nextIntended += rate > 0.01 ? UInt64(1e9 / rate) : 100_000_000
            }
        }
    }

    struct Outcome {
        var status: GRPCStatus?
        var error = "not started"
        var first: UInt64?
        var gaps: [UInt64] = []
        var sent = 0
        var received = 0
        var responses = 0
    }

    private func call(on connection: RPCConnection, metadata: Metadata, context: inout TemplateContext, start: UInt64) async -> Outcome {
        let count = configuration.kind.clientStreams ? configuration.streaming.messages : 1
        var messages: [ByteBuffer] = []
        for i in 0..<count {
            context.requestNumber &+= UInt64(i == 0 ? 0 : 1)
            messages.append(configuration.requests.message(&context, allocator: ByteBufferAllocator()))
        }
        var outcome = Outcome()
        outcome.sent = messages.reduce(0) { $0 + $1.readableBytes + 5 }
        let call: ClientCall
        do {
            call = try await connection.makeCall(path: configuration.path, metadata: metadata, options: configuration.callOptions)
        } catch {
            outcome.error = (error as? RPCError).map(LoopDriver.describe) ?? "\(error)"
            return outcome
        }
        let sendTimes = Mutex<[UInt64]>([])
        let interval = configuration.streaming.intervalNanoseconds
        let sender = Task {
            for (i, message) in messages.enumerated() {
                if i > 0 && interval > 0 { try? await Task.sleep(nanoseconds: UInt64(interval)) }
                sendTimes.withLock { $0.append(RunControl.now()) }
                do {
                    if i == messages.count - 1 { try await call.sendLast(message) } else { try await call.send(message) }
                } catch { return }
            }
        }
        var previous = start
        var index = 0
        do {
            for try await response in call.responses {
                let now = RunControl.now()
                outcome.received += response.readableBytes + 5
                outcome.responses += 1
                if outcome.first == nil {
                    outcome.first = now &- start
                }
                if configuration.kind == .bidiStreaming {
                    if let sentAt = sendTimes.withLock({ index < $0.count ? $0[index] : nil }) {
                        outcome.gaps.append(now &- sentAt)
                    }
                } else if index > 0 {
                    outcome.gaps.append(now &- previous)
                }
                previous = now
                index += 1
            }
        } catch {
            // The status says why.
        }
        await sender.value
        do {
            outcome.status = try await call.status
        } catch {
            outcome.error = (error as? RPCError).map(LoopDriver.describe) ?? "\(error)"
        }
        return outcome
    }
}
