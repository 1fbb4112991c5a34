import ArgumentParser
import Bench
import Foundation
import RPC
import Schema

/// `polarisctl bench`: load-test one method and report latency, throughput and errors.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load-test a gRPC method with HDR latency histograms.",
        discussion: """
            Closed loop (default): -c calls in flight over --connections HTTP/2 connections, each \
            worker sending its next call when the previous one ends. Open loop (-r): calls are sent \
            at a fixed rate whatever the responses, and latency counts from each call's intended \
            send time, so a stalled server shows in the percentiles. A run always ends by itself: \
            -n calls, -z time, or whichever comes first when both are given (with -r too); neither \
            means -n 1000. Ctrl-C stops early and still prints the report.

            -d takes one JSON message, or @file with several (NDJSON; used in turn). Templates are \
            compiled once at start: {{.RequestNumber}} {{.WorkerID}} {{.UUID}} {{.Timestamp}} \
            {{randomInt A B}} {{randomString N}} inside JSON strings, or unquoted in place of an \
            integer; header values may hold them too. An unknown one is an error before any load.

            Exit status: 0; 10 when an --slo objective fails; 13 when every call failed (unless \
            --allow-errors); connection, schema and input errors as for 'call'.

            Examples:
              polarisctl bench --plaintext 127.0.0.1:50051 helloworld.Greeter/SayHello -d '{"name":"x"}' -c 50 -z 30s
              polarisctl bench --plaintext 127.0.0.1:50051 helloworld.Greeter/SayHello -d '{"name":"{{.UUID}}"}' -r 2000 -z 1m --slo 'p99<50ms'
              polarisctl bench --plaintext 127.0.0.1:50051 helloworld.Greeter/SayHello -n 100000 --format html -o report.html
            """).directlyParsed

    @Argument(help: "The server: host:port, [v6]:port, unix:/path or polaris://[namespace/]service; http:// or https:// may precede a host:port.",
              completion: .serverAddresses)
    var address: String

    @Argument(help: "The method: pkg.Service/Method, pkg.Service.Method or /pkg.Service/Method.", completion: .rpcMethods)
    var method: String

    @Option(name: [.customShort("d"), .customLong("data")],
            help: "Request JSON (may hold templates): text, @file (several messages: used in turn); default: {}.")
    var data: String?

    @OptionGroup(title: "Load") var load: BenchLoadOptions
    @OptionGroup(title: "Report") var report: BenchReportOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Schema") var schema: SchemaOptions

    @Option(name: .customLong("use-reflection"), help: "Fetch the schema by server reflection when no --proto/--protoset is given; default: true.")
    var useReflection: Bool = true

    func run() async throws {
        let objectives = try report.slo.map(SLO.parseList) ?? []
        let target = try await BenchTarget.resolve(address, connection: connection)
        let pool: SchemaPool
        if schema.isGiven {
            pool = try schema.load()
        } else {
            let session = try await RemoteSession.open(
                address: address, connection: connection, schema: schema, symbols: [method], useReflection: useReflection)
            pool = session.pool
            await session.close()
        }
        let info = try pool.method(named: method)
        let configuration = try makeConfiguration(pool: pool, method: info, addresses: target.addresses, tls: target.tls)

        let runner = BenchRunner(configuration: configuration)
        let signals = SignalCancellation { runner.stop() }
        let live = Terminal.stderrIsTerminal && !report.noProgress && !Terminal.quiet ? BenchLiveView(runner: runner, started: Date()) : nil
        let result: BenchResult
        do {
            result = try await runner.run()
        } catch {
            await live?.finish()
            signals.restore()
            throw error
        }
        await live?.finish()
        signals.restore()

        let rendered = BenchReport(result: result, configuration: configuration, target: address, objectives: objectives)
        let text = report.format.render(rendered)
        if let path = report.output {
            try FileIO.writeAtomically(Array(text.utf8), to: path)
        } else {
            Terminal.writeStandardOutput(Array(text.utf8))
        }
        if rendered.calls > 0 && rendered.succeeded == 0 && !report.allowErrors {
            let top = (rendered.errors.merging(rendered.statusMessages) { $0 + $1 }).max { $0.value < $1.value }
            throw CLIError(status: .benchErrors, message: "bench: all \(rendered.calls) calls failed"
                + (top.map { " (most often: \($0.key))" } ?? "") + "; --allow-errors accepts that")
        }
        let failed = rendered.slo.filter { !$0.passed }
        if !failed.isEmpty {
            throw CLIError(status: .sloFailed, message: "SLO failed: "
                + failed.map { "\($0.objective) (measured \($0.measured))" }.joined(separator: ", "))
        }
    }

    private func makeConfiguration(pool: SchemaPool, method info: MethodInfo, addresses: [RPCAddress], tls: Bool) throws -> BenchConfiguration {
        let source = InputSource(argument: data ?? "{}")
        let values: [JSONValueSplitter.Value]
        do {
            values = try JSONValueSplitter.split(try source.readAll())
        } catch JSONValueSplitter.Failure.incomplete(let line) {
            throw CLIError.input("\(source.displayName):\(line): incomplete JSON value")
        }
        let messages = try values.map { value in
            try MessageTemplate(
                json: String(decoding: value.bytes, as: UTF8.self), messageType: info.inputType, pool: pool,
                origin: values.count == 1 && source.displayName == "-d" ? "-d" : "\(source.displayName):\(value.line)")
        }
        var constantLines: [String] = []
        var templated: [(key: String, value: Template)] = []
        for line in connection.headers + connection.rpcHeaders {
            let (name, value) = try ConnectionOptions.parseHeader(line)
            if value.contains("{{") && !name.hasSuffix("-bin") {
                templated.append((name, try Template(value, origin: "header \(name)")))
            } else {
                constantLines.append(line)
            }
        }
        let requests = try RequestSource(
            messages: messages, metadata: ConnectionOptions.metadata(constantLines), templatedMetadata: templated)

        let loadModel = try load.loadModel()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let connections: Int
        if let given = load.connections {
            connections = given
        } else if case .closed = loadModel {
            connections = max(1, min(max(cores, addresses.count), load.peakConcurrency))
        } else {
            connections = max(cores, addresses.count)  // every instance of a polaris:// address gets load
        }
        let duration = load.duration.flatMap(BenchLoadOptions.seconds)
        let total = load.total ?? (duration == nil ? 1000 : nil)
        return BenchConfiguration(
            addresses: addresses, client: connection.clientConfiguration(tls: tls), path: info.path, kind: info.kind,
            requests: requests, load: loadModel, connections: connections, threads: min(cores, connections),
            totalRequests: total, durationSeconds: duration,
            warmupSeconds: load.warmup.flatMap(BenchLoadOptions.seconds) ?? 0,
            callOptions: connection.callOptions,
            intervalSeconds: BenchLoadOptions.seconds(load.interval) ?? 1,
            maximumPending: load.maxPending,
            drainSeconds: BenchLoadOptions.seconds(load.drain) ?? 10,
            streaming: .init(messages: load.streamMessages,
                             intervalNanoseconds: Int64((BenchLoadOptions.seconds(load.streamInterval) ?? 0) * 1e9)),
            seed: load.seed)
    }
}
