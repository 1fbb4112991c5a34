import ArgumentParser

/// When the client closes its side of a stream.
enum HalfClose: String, ExpressibleByArgument, CaseIterable {
    /// Close the send side when the input ends (the default).
    case auto
    /// The same, spelled out.
    case afterInput = "after-input"
    /// Never close it: the call lasts until the server ends it, --max-messages, the deadline, or Ctrl-C.
    case never
}

/// Flags that shape a call's message flow and its output; shared by `call` and `stream`.
struct StreamOptions: ParsableArguments {
    @Option(name: .customLong("send-interval"),
            help: ArgumentHelp("Pause between request messages, e.g. 100ms, 1.5s; default: none.", valueName: "duration"))
    var sendInterval: String?

    @Option(name: .customLong("half-close"), help: "When to close the send side: auto, after-input or never; default: auto (when the input ends).")
    var halfClose: HalfClose = .auto

    @Option(name: .customLong("max-messages"), help: ArgumentHelp("Stop after this many responses: cancel the call and exit 0; default: no limit.", valueName: "n"))
    var maxMessages: Int?

    @Flag(name: .customLong("timestamps"), help: "Wrap each response with its arrival time and the time since the call started; default: off.")
    var timestamps = false

    @Flag(name: .customLong("envelope"), help: "Print one JSON document per call: response headers, messages, trailers and status; default: off.")
    var envelope = false

    func validate() throws {
        if let sendInterval, Duration.parse(sendInterval) == nil {
            throw ValidationError("--send-interval '\(sendInterval)' is not a duration (e.g. 250ms, 2s)")
        }
        if let maxMessages, maxMessages < 1 { throw ValidationError("--max-messages must be at least 1") }
        if envelope && timestamps { throw ValidationError("--envelope and --timestamps cannot be combined") }
    }

    var interval: Duration? { sendInterval.flatMap(Duration.parse) }
}

extension Duration {
    /// Parses `250ms`, `1.5s`, `2m`, `1h`, `500us`, `10ns`; a bare number is seconds.
    static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var number = text
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let candidate = String(text.dropLast(suffix.count))
            if Double(candidate) != nil {
                number = candidate
                scale = factor
                break
            }
        }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        let seconds = value * scale
        return .nanoseconds(Int64(seconds * 1e9))
    }
}

extension StreamOptions: QuickReadable {
    /// The same options read by ``QuickReader`` (names and defaults as above).
    init(quick reader: inout QuickReader) throws {
        self = try reader.filled { read, reader in
            read.sendInterval = try reader.option("send-interval")
            read.halfClose = try reader.option("half-close", default: .auto)
            read.maxMessages = try reader.option("max-messages")
            read.timestamps = try reader.flag("timestamps")
            read.envelope = try reader.flag("envelope")
        }
    }
}
