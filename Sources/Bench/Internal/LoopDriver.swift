import Foundation
import NIOCore
import RPC
import Schema

/// One connection of a run, on its driver's loop; replaced when the server closes it.
final class ConnectionSlot {
    let globalIndex: Int
    let address: RPCAddress
    /// The index of `address` among several targets, for the per-target report; nil with one.
    let target: Int?
    var connection: RPCConnection?
    /// Bumped whenever the connection is dropped, so late news about an old one is ignored.
    var generation = 0
    var reconnecting = false

    init(globalIndex: Int, address: RPCAddress, target: Int? = nil, connection: RPCConnection) {
        self.globalIndex = globalIndex
        self.address = address
        self.target = target
        self.connection = connection
    }
}

/// Drives the unary load of one event loop: its connections, its workers (closed loop) or
/// its share of the send schedule (open loop), and its tally. Used only on ``loop``: no
/// lock and no task per call.
final class LoopDriver {
    let index: Int
    let loop: any EventLoop
    let configuration: BenchConfiguration
    let control: RunControl
    private let threads: Int
    private var slots: [ConnectionSlot] = []
    private var nextSlot = 0
    private(set) var tally: Tally
    private var random: SplitMix64
    private var scratch = TemplateScratch()
    /// Templated requests are rendered here (the engine copies a message when it is sent).
    private var messageBuffer = ByteBuffer()
    /// Call objects not in flight, reused so a call allocates none.
    private var idleCalls: [BenchCall] = []
    private let templated: Bool
    /// Whether requests need their numbers (templates, or several messages used in turn).
    private let numbered: Bool
    /// The closed loop's worker count when the schedule is constant (most runs).
    private let constantWorkers: Int?

    private var inFlight = 0
    /// Closed loop: workers running (parked ones included) and the ones waiting for a connection.
    private var activeWorkers = 0
    private var parked: [Int] = []
    private var freeWorkerIDs: [Int] = []
    private var nextWorkerOrdinal = 0
    /// Open loop: the intended time of the next request and whether sending goes on.
    private var nextIntended: UInt64 = 0
    private var issuing = true
    private var timer: Scheduled<Void>?
    private var tickTask: Scheduled<Void>?
    private var finished = false
    private let done: EventLoopPromise<Void>
    /// Set once load stops: the monotonic time the last call ended.
    private(set) var lastCompletion: UInt64 = 0

    init(index: Int, threads: Int, loop: any EventLoop, configuration: BenchConfiguration, control: RunControl,
         done: EventLoopPromise<Void>) {
        self.index = index
        self.threads = threads
        self.loop = loop
        self.configuration = configuration
        self.control = control
        self.done = done
        self.tally = Tally()
        self.random = SplitMix64(seed: configuration.seed &+ UInt64(index) &* 0x1000_0001)
        self.templated = configuration.requests.isTemplated
        self.numbered = configuration.requests.usesRequestNumbers
        if case .closed(let schedule) = configuration.load, schedule.kind == .constant {
            constantWorkers = Self.share(of: schedule.value(at: 0), loop: index, of: threads)
        } else {
            constantWorkers = nil
        }
    }

    func add(_ slot: ConnectionSlot) {
        slots.append(slot)
        watch(slot)
    }

    var connections: [RPCConnection] { slots.compactMap(\.connection) }

    // MARK: - Start and stop

    func start() {
        scheduleHousekeeping()
        switch configuration.load {
        case .closed:
            adjustWorkers(now: RunControl.now())
        case .open:
            nextIntended = control.startNanoseconds
            tick()
        }
    }

    /// Takes the tally so far and starts a new one.
    func takeTally() -> Tally {
        let taken = tally
        tally = Tally()
        return taken
    }

    var callsInFlight: Int { inFlight }

    /// Gives up on calls still in flight (the drain time ran out).
    func abandon() -> Int {
        let unfinished = inFlight
        finish()
        return unfinished
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        issuing = false
        timer?.cancel()
        tickTask?.cancel()
        if lastCompletion == 0 { lastCompletion = RunControl.now() }
        idleCalls.removeAll()  // they hold the driver
        done.succeed()
    }

    private func checkFinished() {
        guard !finished else { return }
        switch configuration.load {
        case .closed: if activeWorkers == 0 && inFlight == 0 { finish() }
        case .open: if !issuing && inFlight == 0 { finish() }
        }
    }

    private func scheduleHousekeeping() {
        timer = loop.assumeIsolated().scheduleTask(in: .milliseconds(20)) { [self] in
            self.housekeeping()
            if !self.finished { self.scheduleHousekeeping() }
        }
    }

    private func housekeeping() {
        let now = RunControl.now()
        if control.shouldStop(at: now) {
            issuing = false
            // Parked workers have nothing in flight: they retire now.
            while let worker = parked.popLast() { retire(worker) }
            checkFinished()
            return
        }
        if case .closed = configuration.load { adjustWorkers(now: now) }
    }

    // MARK: - Closed loop

    @inline(__always)
    private func targetWorkers(now: UInt64) -> Int {
        if let constantWorkers { return constantWorkers }
        guard case .closed(let schedule) = configuration.load else { return 0 }
        let elapsed = Double(now &- control.measureStartNanoseconds) / 1e9
        return Self.share(of: schedule.value(at: now < control.measureStartNanoseconds ? 0 : elapsed), loop: index, of: threads)
    }

    /// Loop `loop`'s share of `workers` spread over `threads` loops.
    private static func share(of workers: Double, loop: Int, of threads: Int) -> Int {
        let total = Int(workers.rounded())
        return total / threads + (loop < total % threads ? 1 : 0)
    }

    private func adjustWorkers(now: UInt64) {
        let target = targetWorkers(now: now)
        while activeWorkers < target && !control.shouldStop(at: now) {
            activeWorkers += 1
            let id: Int
            if let reused = freeWorkerIDs.popLast() {
                id = reused
            } else {
                id = nextWorkerOrdinal * threads + index
                nextWorkerOrdinal += 1
            }
            launch(worker: id)
        }
    }

    private func retire(_ worker: Int) {
        activeWorkers -= 1
        freeWorkerIDs.append(worker)
        checkFinished()
    }

    private func launch(worker: Int) {
        let now = RunControl.now()
        if control.shouldStop(at: now) || activeWorkers > targetWorkers(now: now) {
            retire(worker)
            return
        }
        guard let slot = pickSlot() else {
            parked.append(worker)
            return
        }
        let measuring = now >= control.measureStartNanoseconds
        if measuring && !control.takeTicket() {
            retire(worker)
            return
        }
        send(on: slot, worker: worker, start: now, measuring: measuring)
    }

    // MARK: - Open loop

    private func tick() {
        guard issuing, case .open(let schedule) = configuration.load else { return }
        let now = RunControl.now()
        var burst = 0
        while nextIntended <= now && burst < 10_000 {
            if control.shouldStop(at: nextIntended) || control.stopRequested {
                issuing = false
                checkFinished()
                return
            }
            let measuring = nextIntended >= control.measureStartNanoseconds
            if measuring && !control.takeTicket() {
                issuing = false
                checkFinished()
                return
            }
            if inFlight >= max(1, configuration.maximumPending / threads) {
                if measuring {
                    tally.calls += 1
                    tally.countError("not sent: --max-pending calls already in flight")
                }
            } else if let slot = pickSlot() {
                send(on: slot, worker: slot.globalIndex, start: nextIntended, measuring: measuring)
            } else if measuring {
                tally.calls += 1
                tally.countError("not sent: no connection (reconnecting)")
            }
            let elapsed = Double(Int64(nextIntended) - Int64(control.measureStartNanoseconds)) / 1e9
            let rate = schedule.value(at: max(0, elapsed)) / Double(threads)
            nextIntended += rate > 0.01 ? UInt64(1e9 / rate) : 100_000_000
            burst += 1
        }
        let delay = nextIntended > now ? Int64(nextIntended - now) : 0
        tickTask = loop.assumeIsolated().scheduleTask(in: .nanoseconds(delay)) { [self] in self.tick() }
    }

    // MARK: - Calls

    @inline(__always)
    private func pickSlot() -> ConnectionSlot? {
        for _ in 0..<slots.count {
            let slot = slots[nextSlot]
            nextSlot = nextSlot + 1 == slots.count ? 0 : nextSlot + 1
            if slot.connection != nil { return slot }
        }
        return nil
    }

    private func send(on slot: ConnectionSlot, worker: Int, start: UInt64, measuring: Bool) {
        guard let connection = slot.connection else { return }
        var context = TemplateContext(
            requestNumber: numbered ? control.nextRequestNumber() : 0, workerID: worker,
            unixNanoseconds: templated ? Self.wallClockNanoseconds() : 0, random: random)
        let message = configuration.requests.message(&context, scratch: &scratch, reusing: &messageBuffer)
        let metadata = configuration.requests.metadata(&context)
        random = context.random
        let call = idleCalls.popLast() ?? BenchCall(driver: self)
        call.slot = slot
        call.worker = worker
        call.start = start
        call.measuring = measuring
        call.sentBytes = message.readableBytes + 5
        call.generation = slot.generation
        inFlight += 1
        connection.startUnary(
            path: configuration.path, metadata: metadata, message: message, options: configuration.callOptions,
            call: call)
    }

    /// A call of ``send(on:worker:start:measuring:)`` completed; its object is idle again.
    fileprivate func completed(_ call: BenchCall, _ result: Result<UnaryResponse, RPCError>) {
        let slot = call.slot!
        let (worker, start, measuring, sentBytes, generation) =
            (call.worker, call.start, call.measuring, call.sentBytes, call.generation)
        call.slot = nil
        if !finished { idleCalls.append(call) }
        inFlight -= 1
        let end = RunControl.now()
        lastCompletion = end
        if measuring { record(result, nanoseconds: end &- start, sentBytes: sentBytes, target: slot.target) }
        if Self.connectionFailed(result) { drop(slot, generation: generation) }
        if finished { return }
        switch configuration.load {
        case .closed: launch(worker: worker)
        case .open: checkFinished()
        }
    }

    @inline(__always)
    private func record(_ result: Result<UnaryResponse, RPCError>, nanoseconds: UInt64, sentBytes: Int, target: Int?) {
        tally.calls += 1
        tally.bytesSent += sentBytes
        tally.recordLatency(nanoseconds: nanoseconds)
        var ok = false
        switch result {
        case .success(let response):
            if response.status.code == .ok {
                ok = true
                tally.succeeded += 1
                tally.statuses[0] += 1
                tally.bytesReceived += (response.message?.readableBytes ?? 0) + 5
            } else {
                tally.countStatus(response.status.code.rawValue, message: response.status.message)
            }
        case .failure(let error):
            tally.countError(Self.describe(error))
        }
        if let target { tally.recordTarget(target, succeeded: ok, nanoseconds: nanoseconds) }
    }

    static func describe(_ error: RPCError) -> String {
        "\(error.code): \(error.message)"
    }

    /// Whether the call failed because its connection is gone or draining (the engine ends
    /// such calls locally with UNAVAILABLE "the connection is …").
    @inline(__always)
    static func connectionFailed(_ result: Result<UnaryResponse, RPCError>) -> Bool {
        switch result {
        case .failure: return true
        case .success(let response): return response.headers.isEmpty && notStarted(response.status)
        }
    }

    /// The engine's own UNAVAILABLE for a call that could not start on a closed or draining connection.
    @inline(__always)
    static func notStarted(_ status: GRPCStatus) -> Bool {
        status.code == .unavailable && status.message.hasPrefix("the connection is")
    }

    static func wallClockNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    // MARK: - Reconnecting

    private func watch(_ slot: ConnectionSlot) {
        guard let connection = slot.connection else { return }
        let generation = slot.generation
        connection.closeFuture.hop(to: loop).assumeIsolated().whenComplete { [self] _ in
            self.drop(slot, generation: generation)
        }
    }

    private func drop(_ slot: ConnectionSlot, generation: Int) {
        guard slot.generation == generation, slot.connection != nil else { return }
        // A draining connection finishes its calls and closes by itself.
        slot.connection = nil
        slot.generation += 1
        if finished || control.stopRequested { return }
        reconnect(slot)
    }

    private func reconnect(_ slot: ConnectionSlot) {
        guard !slot.reconnecting, !finished else { return }
        slot.reconnecting = true
        let loop = self.loop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let slotBound = NIOLoopBound(slot, eventLoop: loop)
        let address = slot.address
        let client = configuration.client
        Task {
            let result: Result<RPCConnection, any Error>
            do {
                result = .success(try await RPCConnection.connect(to: address, configuration: client, eventLoopGroup: loop))
            } catch {
                result = .failure(error)
            }
            loop.execute { bound.value.reconnected(slotBound.value, result) }
        }
    }

    private func reconnected(_ slot: ConnectionSlot, _ result: Result<RPCConnection, any Error>) {
        slot.reconnecting = false
        switch result {
        case .success(let connection):
            if finished {
                Task { await connection.close() }
                return
            }
            slot.connection = connection
            tally.reconnects += 1
            watch(slot)
            let waiting = parked
            parked.removeAll()
            for worker in waiting { launch(worker: worker) }
        case .failure(let error):
            tally.countError("reconnect failed: \((error as? RPCError).map(Self.describe) ?? "\(error)")")
            guard !finished, !control.shouldStop(at: RunControl.now()) else { return }
            loop.assumeIsolated().scheduleTask(in: .milliseconds(200)) { [self] in self.reconnect(slot) }
        }
    }
}

@available(*, unavailable)
extension LoopDriver: Sendable {}

/// One unary call of a ``LoopDriver`` in flight: what its completion needs to know.
private final class BenchCall: UnaryCall {
    /// Strong: a call still in flight when its run ends keeps the driver until it completes.
    let driver: LoopDriver
    var slot: ConnectionSlot?
    var worker = 0
    var start: UInt64 = 0
    var measuring = false
    var sentBytes = 0
    var generation = 0

    init(driver: LoopDriver) {
        self.driver = driver
    }

    override func completed(_ result: Result<UnaryResponse, RPCError>) {
        driver.completed(self, result)
    }
}
