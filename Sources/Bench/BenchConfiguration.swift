public import RPC
public import Schema

/// Everything a run needs, prepared before it starts.
public struct BenchConfiguration: Sendable {
    /// How load is generated.
    public enum LoadModel: Sendable {
        /// `concurrency` workers, each sending its next request as soon as the previous one ends.
        case closed(concurrency: Schedule)
        /// Requests sent at `rate` per second regardless of responses; latency counts from
        /// each request's intended send time.
        case open(rate: Schedule)
    }

    /// Settings for streaming methods.
    public struct Streaming: Sendable {
        /// Messages sent per call (client and bidi streams).
        public var messages: Int
        /// Pause between messages, in nanoseconds.
        public var intervalNanoseconds: Int64

        public init(messages: Int = 10, intervalNanoseconds: Int64 = 0) {
            self.messages = messages
            self.intervalNanoseconds = intervalNanoseconds
        }
    }

    /// The servers; connections are spread over them in turn.
    public var addresses: [RPCAddress]

    /// Where connection `i` goes: `addresses[i % addresses.count]`.
    func address(ofConnection i: Int) -> RPCAddress { addresses[i % addresses.count] }

    /// The index of connection `i`'s address, for the per-target report; nil with one target.
    func target(ofConnection i: Int) -> Int? { addresses.count > 1 ? i % addresses.count : nil }
    public var client: ClientConfiguration
    public var path: String
    public var kind: MethodKind
    public var requests: RequestSource
    public var load: LoadModel
    /// Connections in all.
    public var connections: Int
    /// Event loops (threads) driving the connections.
    public var threads: Int
    /// Stop after this many measured requests.
    public var totalRequests: Int?
    /// Stop sending after this many seconds of measurement.
    public var durationSeconds: Double?
    /// Seconds of load before measurement starts; nothing is recorded meanwhile.
    public var warmupSeconds: Double
    /// Per-call deadline.
    public var callOptions: CallOptions
    /// The length of one report interval, in seconds.
    public var intervalSeconds: Double
    /// Open loop: the most calls in flight; further sends are counted as failures.
    public var maximumPending: Int
    /// How long calls still in flight at the end may take before they are abandoned.
    public var drainSeconds: Double
    public var streaming: Streaming
    /// Seed for template randomness.
    public var seed: UInt64

    public init(
        addresses: [RPCAddress], client: ClientConfiguration, path: String, kind: MethodKind,
        requests: RequestSource, load: LoadModel, connections: Int, threads: Int,
        totalRequests: Int?, durationSeconds: Double?, warmupSeconds: Double = 0,
        callOptions: CallOptions = CallOptions(), intervalSeconds: Double = 1, maximumPending: Int = 100_000,
        drainSeconds: Double = 10, streaming: Streaming = Streaming(), seed: UInt64 = 1
    ) {
        self.addresses = addresses
        self.client = client
        self.path = path
        self.kind = kind
        self.requests = requests
        self.load = load
        self.connections = connections
        self.threads = threads
        self.totalRequests = totalRequests
        self.durationSeconds = durationSeconds
        self.warmupSeconds = warmupSeconds
        self.callOptions = callOptions
        self.intervalSeconds = intervalSeconds
        self.maximumPending = maximumPending
        self.drainSeconds = drainSeconds
        self.streaming = streaming
        self.seed = seed
    }

    /// Checks that the run is bounded and its numbers make sense.
    ///
    /// - Throws: ``BenchError`` with ``BenchError/Code/invalidConfiguration``.
    public func validate() throws {
        func fail(_ why: String) -> BenchError { BenchError(code: .invalidConfiguration, message: why) }
        guard totalRequests != nil || durationSeconds != nil else { throw fail("a run needs -n or -z to end") }
        if let totalRequests, totalRequests <= 0 { throw fail("-n must be positive") }
        if let durationSeconds, durationSeconds <= 0 { throw fail("-z must be positive") }
        guard !addresses.isEmpty else { throw fail("no address to load") }
        guard connections >= 1, threads >= 1 else { throw fail("--connections must be positive") }
        guard warmupSeconds >= 0 else { throw fail("--warmup must not be negative") }
        guard intervalSeconds >= 0.05 else { throw fail("--interval must be at least 50ms") }
        switch load {
        case .closed(let schedule):
            guard schedule.start >= 1 || schedule.kind != .constant else { throw fail("-c must be positive") }
        case .open(let schedule):
            guard schedule.start > 0 || schedule.kind != .constant else { throw fail("-r must be positive") }
        }
    }
}
