import ArgumentParser
import Foundation
import NIOCore
import RPC
import Schema

/// Runs one call of any kind for `call` and `stream`: sends the input messages
/// (paced, half-closing as asked) while printing responses as they arrive,
/// then reports the status. Ctrl-C and SIGTERM cancel the call.
struct CallRunner {
    var session: RemoteSession
    var method: MethodInfo
    var input: InputSource
    var connection: ConnectionOptions
    var output: OutputOptions
    var stream: StreamOptions
    var allowUnknownFields: Bool
    var verbose: Bool
    var formatError: Bool
    var outputFile: String?

    /// What the sender saw.
    private final class SendState: @unchecked Sendable {
        let lock = NSLock()
        var sent = 0
        var failure: (any Error)?
        var finished = false
    }

    func run() async throws {
        let call = try await session.connection.makeCall(
            path: method.path, metadata: connection.rpcMetadata, options: connection.callOptions)
        let signals = SignalCancellation { call.cancel() }
        defer { signals.restore() }

        let started = Date()
        let state = SendState()
        let sender = Task { await send(on: call, state: state) }

        // Envelope messages are embedded compactly; the document is indented as a whole.
        var messageOptions = output.jsonOptions
        if stream.envelope { messageOptions.indent = false }
        let text = output.effectiveFormat == .text
        var printer = try ResponsePrinter(file: outputFile, blankLineBetween: text, colorJSON: !text)
        var messages: [String] = []
        var count = 0
        var stoppedAtLimit = false
        do {
            for try await message in call.responses {
                count += 1
                let json = try output.render(
                    Array(buffer: message), messageType: method.outputType, pool: session.pool,
                    jsonOptions: messageOptions)
                if stream.envelope {
                    messages.append(json)
                } else if stream.timestamps && text {
                    try printer.write(Self.stampedText(json, at: Date(), since: started))
                } else if stream.timestamps {
                    try printer.write(Self.stamped(json, at: Date(), since: started, pretty: output.effectiveFormat == .json))
                } else {
                    try printer.write(json)
                }
                if let limit = stream.maxMessages, count >= limit {
                    stoppedAtLimit = true
                    call.cancel()
                    break
                }
            }
        } catch let error as RPCError where error.code == .callEnded || Self.lostConnection(error) != nil {
            // The status below says why (a lost connection fails it with the same error).
        }
        let status: GRPCStatus
        do {
            status = try await call.status
        } catch let error as RPCError {
            guard let unavailable = Self.lostConnection(error) else { throw error }
            status = unavailable
        }
        sender.cancel()
        // The sender counts a message once the engine has taken it, which may be just
        // after the answer arrived: give it a moment to finish (it never blocks on
        // input here: cancelled, it stops waiting).
        for _ in 0..<200 where !state.lock.withLock({ state.finished }) {
            try? await Task.sleep(for: .milliseconds(1))
        }
        let headers = (try? await call.headers) ?? Metadata()
        let (sent, sendFailure) = state.lock.withLock { (state.sent, state.failure) }

        if stream.envelope {
            try printer.write(Envelope.render(headers: headers, messages: messages, status: status,
                                              pretty: output.effectiveFormat == .json))
        }
        try printer.finish()
        if verbose {
            Terminal.standardError("server: \(session.connection.address)")
            Terminal.standardError(MetadataText.block("response headers", headers))
            Terminal.standardError(MetadataText.block("response trailers", status.trailers))
            Terminal.standardError("sent \(sent) request\(sent == 1 ? "" : "s") and received \(count) response\(count == 1 ? "" : "s")")
        }
        if let sendFailure { throw sendFailure }
        if stoppedAtLimit { return }
        if status.code != .ok {
            if formatError && !stream.envelope {
                print(StatusText.json(status, pretty: Terminal.stdoutIsTerminal))
            }
            if formatError || stream.envelope {
                throw ExitCode(ExitStatus.grpcStatus(status.code.rawValue).rawValue)
            }
            throw RPCStatusFailure(status: status)
        }
    }

    /// Reads, converts and sends the input; on bad input cancels the call.
    ///
    /// A method that takes one request gets it with END_STREAM on the same
    /// frame, after the input is known to hold exactly one value.
    private func send(on call: ClientCall, state: SendState) async {
        defer { state.lock.withLock { state.finished = true } }
        var ordinal = 0
        do {
            var values = InputMessages(input).makeAsyncIterator()
            if !method.kind.clientStreams {
                guard let first = try await values.next() else {
                    throw CLIError.input("\(input.displayName): no request message")
                }
                if let second = try await values.next() {
                    throw CLIError.input("\(method.fullName) takes one request message; \(input.displayName) holds more (the second starts on line \(second.line))")
                }
                let bytes = try encode(first, ordinal: 1)
                if stream.halfClose == .never {
                    try await call.send(ByteBuffer(bytes: bytes))
                } else {
                    try await call.sendLast(ByteBuffer(bytes: bytes))
                }
                state.lock.withLock { state.sent += 1 }
                return
            }
            if let interval = stream.interval {
                while let value = try await values.next() {
                    ordinal += 1
                    let bytes = try encode(value, ordinal: ordinal)
                    if ordinal > 1 { try await Task.sleep(for: interval) }
                    try await call.send(ByteBuffer(bytes: bytes))
                    state.lock.withLock { state.sent += 1 }
                }
            } else {
                // Values read together are sent together: one hand-over to the connection.
                while case let batch = try await values.nextBatch(), !batch.isEmpty {
                    var messages: [ByteBuffer] = []
                    messages.reserveCapacity(batch.count)
                    var failure: (any Error)?
                    for value in batch {
                        ordinal += 1
                        do {
                            messages.append(ByteBuffer(bytes: try encode(value, ordinal: ordinal)))
                        } catch {
                            failure = error
                            break
                        }
                    }
                    if !messages.isEmpty {
                        try await call.send(contentsOf: messages)
                        state.lock.withLock { state.sent += messages.count }
                    }
                    if let failure { throw failure }
                }
            }
            if stream.halfClose != .never { call.finishSending() }
        } catch is CancellationError {
        } catch let error as RPCError where error.code == .callEnded || Self.lostConnection(error) != nil {
            // The server ended the call, or the connection went: the status says why.
        } catch let incomplete as InputMessages.Incomplete {
            fail(call, state, CLIError.input("\(input.displayName): the JSON value starting on line \(incomplete.line) is not complete"))
        } catch {
            fail(call, state, error)
        }
    }

    private func encode(_ value: JSONValueSplitter.Value, ordinal: Int) throws -> [UInt8] {
        do {
            return try session.pool.jsonToBinary(
                value.bytes, messageType: method.inputType, options: JSONOptions(ignoreUnknownFields: allowUnknownFields))
        } catch var error as SchemaError {
            if method.kind.clientStreams {
                error.message = "request \(ordinal) (line \(value.line)): " + error.message
            }
            throw error
        }
    }

    /// A connection lost while the call runs ends it with UNAVAILABLE, as in
    /// every gRPC implementation; exit 5 stays for connections that fail before
    /// the call starts.
    static func lostConnection(_ error: RPCError) -> GRPCStatus? {
        [.connectionClosed, .keepaliveTimeout].contains(error.code)
            ? GRPCStatus(code: .unavailable, message: error.message) : nil
    }

    private func fail(_ call: ClientCall, _ state: SendState, _ error: any Error) {
        state.lock.withLock { state.failure = error }
        call.cancel()
    }

    /// `{"time": …, "elapsed": …, "message": …}` for `--timestamps`.
    static func stamped(_ json: String, at time: Date, since start: Date, pretty: Bool) -> String {
        let (stamp, elapsed) = stamps(time, since: start)
        if pretty {
            let message = json.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
            return "{\n  \"time\": \"\(stamp)\",\n  \"elapsed\": \"\(elapsed)\",\n  \"message\": \(message)\n}"
        }
        return "{\"time\":\"\(stamp)\",\"elapsed\":\"\(elapsed)\",\"message\":\(json)}"
    }
}

extension CallRunner {
    /// A text-format message preceded by a comment line with its arrival time.
    static func stampedText(_ text: String, at time: Date, since start: Date) -> String {
        let (stamp, elapsed) = stamps(time, since: start)
        return "# time: \(stamp) elapsed: \(elapsed)" + (text.isEmpty ? "" : "\n" + text)
    }

    private static func stamps(_ time: Date, since start: Date) -> (time: String, elapsed: String) {
        (Timestamps.iso8601(time), String(format: "%.6fs", time.timeIntervalSince(start)))
    }
}

/// RFC 3339 UTC times with microseconds.
enum Timestamps {
    static func iso8601(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = Int((seconds - Double(whole)) * 1e6)
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                      parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, micros)
    }
}

/// The `--envelope` document.
enum Envelope {
    static func render(headers: Metadata, messages: [String], status: GRPCStatus, pretty: Bool) -> String {
        func object(_ metadata: Metadata) -> String {
            var fields: [String] = []
            for element in metadata {
                fields.append("\(quote(element.key)):\(quote(MetadataText.text(element.value)))")
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
        let text = "{\"headers\":\(object(headers)),\"messages\":[\(messages.joined(separator: ","))],\"trailers\":\(object(status.trailers)),\"status\":\(StatusText.json(status, pretty: false))}"
        guard pretty, let data = text.data(using: .utf8),
              let parsed = try? JSONSerialization.jsonObject(with: data),
              let again = try? JSONSerialization.data(withJSONObject: parsed, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: again, as: UTF8.self)
    }

    static func quote(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}

/// Turns SIGINT and SIGTERM into a call cancellation while a call runs.
final class SignalCancellation: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(_ cancel: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { cancel() }
            source.resume()
            sources.append(source)
        }
    }

    func restore() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
