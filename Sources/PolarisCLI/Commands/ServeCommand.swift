import ArgumentParser
import Dispatch
import Foundation
import Mock
import NIOCore
import NIOPosix
import Registry
import RPC
import Schema

/// `--default`: what `serve` answers when no stub matches.
enum ServeDefault: String, ExpressibleByArgument, CaseIterable {
    case fake, empty, unimplemented

    var answer: DefaultAnswer { DefaultAnswer(rawValue: rawValue) ?? .fake }
}

extension Polarisctl {
    /// `polarisctl serve`: a mock server for every method of a schema.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve mock services from any schema (stubs, fake data, reflection, health) and/or an embedded Polaris registry.",
            discussion: """
                Answers each call with the first matching stub (--stubs), else with --default. \
                Also serves reflection (v1, v1alpha), grpc.health.v1.Health and the \
                polarisctl.mock.v1.Admin service. SIGINT or SIGTERM drains calls in flight and exits 0.

                --registry adds the embedded Polaris naming registry (v1.PolarisGRPC, durable in \
                --data-dir) on the same address; alone it listens on 127.0.0.1:8091 by default. \
                --register SERVICE registers this server in a registry, heartbeats, and deregisters on exit.

                Examples:
                  polarisctl serve --proto examples/protos/greeter.proto
                  polarisctl serve --registry
                  polarisctl serve --proto examples/protos/greeter.proto --listen 127.0.0.1:0 --register helloworld --registry-address 127.0.0.1:8091
                  polarisctl serve --proto examples/protos/route_guide.proto --stubs examples/stubs --listen 127.0.0.1:50051
                  polarisctl serve --protoset api.protoset --default unimplemented --journal calls.ndjson
                """).directlyParsed

        @OptionGroup(title: "Schema") var schema: SchemaOptions
        @OptionGroup(title: "Registry") var registry: RegistryServeOptions

        @Option(name: .customLong("listen"), help: ArgumentHelp("Where to listen: host:port or unix:/path; default: 127.0.0.1:50051 (127.0.0.1:8091 for --registry alone).", valueName: "addr"))
        var listen: String?

        /// The address in effect.
        var listenAddress: String { listen ?? (registry.registry && !schema.isGiven ? "127.0.0.1:8091" : "127.0.0.1:50051") }

        @Option(name: .customLong("stubs"), help: ArgumentHelp("A stub file (JSON or YAML) or a directory of them (repeatable); default: none.", valueName: "path"),
                completion: .file())
        var stubPaths: [String] = []

        @Option(name: .customLong("default"), help: "The answer when no stub matches: fake, empty or unimplemented; default: fake.")
        var defaultAnswer: ServeDefault = .fake

        @Flag(name: .customLong("watch"), help: "Reload the stub files when they change, keeping the old stubs if the new ones are invalid; default: off.")
        var watch = false

        @Option(name: .customLong("journal"), help: ArgumentHelp("Append every call to this file as NDJSON; default: none.", valueName: "file"),
                completion: .file())
        var journalPath: String?

        @Option(name: .customLong("journal-size"), help: "How many calls the admin service keeps for ReadJournal (0 records none); default: 1000.")
        var journalSize = 1000

        @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve TLS with this certificate chain (PEM); default: plaintext.", valueName: "file"),
                completion: .file())
        var tlsCert: String?

        @Option(name: .customLong("tls-key"), help: ArgumentHelp("The private key (PEM) of --tls-cert; default: none.", valueName: "file"),
                completion: .file())
        var tlsKey: String?

        @Option(name: .customLong("client-ca"), help: ArgumentHelp("Require client certificates signed by this CA (PEM); default: none.", valueName: "file"),
                completion: .file())
        var clientCA: String?

        @Option(name: .customLong("grace"), help: "How long to let calls in flight finish on SIGINT/SIGTERM, in seconds; default: 5.")
        var grace: Double = 5

        @Option(name: .customLong("keepalive-min-time"),
                help: ArgumentHelp("The shortest interval between a client's keepalive PINGs; PINGs more often (3 strikes) get GOAWAY ENHANCE_YOUR_CALM \"too_many_pings\", as from gRPC servers; 0 accepts every PING; default: 5m.", valueName: "duration"))
        var keepaliveMinTime = "5m"

        @Flag(name: .customLong("keepalive-permit-without-calls"),
              help: "Hold PINGs while no call is open to --keepalive-min-time too (gRPC servers otherwise allow one per 2 hours); default: off.")
        var keepalivePermitWithoutCalls = false

        func validate() throws {
            if !schema.isGiven && !registry.registry {
                throw ValidationError("serve needs a schema (--proto or --protoset) for mock services, or --registry")
            }
            if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
            if clientCA != nil && tlsCert == nil { throw ValidationError("--client-ca needs --tls-cert and --tls-key") }
            if journalSize < 0 { throw ValidationError("--journal-size must be 0 or more") }
            if Duration.parse(keepaliveMinTime) == nil {
                throw ValidationError("--keepalive-min-time '\(keepaliveMinTime)' is not a duration (e.g. 30s, 5m)")
            }
            if !(grace >= 0 && grace <= 3600) { throw ValidationError("--grace must be between 0 and 3600 seconds") }
        }

        func run() async throws {
            let address = try RPCAddress(parsing: listenAddress)
            var router = RPCRouter()
            var mock: (server: MockServer, loader: StubLoader)?
            if schema.isGiven {
                let progress = StepProgress()
                let pool = try progress.step("loading the schema") { try schema.load() }
                let loader = try StubLoader(schema: pool)
                let stubs = try progress.step("loading stubs") { try loader.load(paths: stubPaths) }
                let journal = try Journal(schema: pool, capacity: journalSize, path: journalPath)
                let server = try progress.step("preparing \(pool.services.reduce(0) { $0 + $1.methods.count }) methods") {
                    try MockServer(schema: pool, defaultAnswer: defaultAnswer.answer, stubs: stubs, journal: journal, loader: loader)
                }
                server.install(into: &router)
                mock = (server, loader)
            }
            let naming = try RegistryServeSupport.openRegistry(registry, into: &router)
            let server = try await bind(address, router: router)
            if let mock {
                print("listening on \(server.localAddress) (\(mock.server.methodCount) methods, \(mock.server.stubs.count) stubs; reflection, health, admin)")
            }
            if naming != nil { print("registry listening on \(server.localAddress)") }
            fflush(nil)
            let registration: RegistryServeSupport
            do {
                registration = try RegistryServeSupport.start(registry, registry: naming, servedAt: server.localAddress)
            } catch {
                await server.closeNow()
                throw error
            }
            let watcher = watch ? mock.map { StubWatcher(paths: stubPaths, loader: $0.loader, store: $0.server.stubs) } : nil
            await waitForSignal()
            watcher?.stop()
            await registration.stop()
            await server.shutdown(grace: .nanoseconds(Int64(grace * 1e9)))
        }

        private func bind(_ address: RPCAddress, router: RPCRouter) async throws -> RPCServer {
            var configuration = ServerConfiguration()
            let minimum = Duration.parse(keepaliveMinTime) ?? .seconds(300)
            configuration.minimumPingInterval = minimum == .zero ? nil : TimeAmount(minimum)
            configuration.permitPingsWithoutCalls = keepalivePermitWithoutCalls
            if let tlsCert, let tlsKey {
                configuration.tls = ServerTLSConfiguration(certificateChainFile: tlsCert, privateKeyFile: tlsKey, clientCAFile: clientCA)
            }
            do {
                return try await RPCServer.bind(to: address, router: router, configuration: configuration,
                                                eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            } catch let error as RPCError where error.code == .tlsConfiguration {
                throw CLIError(status: .listen, message: "cannot serve TLS: \(error.message)\(Self.tlsReason(error.cause))")
            } catch let error as RPCError where error.code == .bindFailed {
                let reason = error.cause.map { "\($0)" } ?? ""
                let hint = reason.contains("Address already in use") || reason.contains("EADDRINUSE") ? ": address already in use" : (reason.isEmpty ? "" : ": \(reason)")
                throw CLIError(status: .listen, message: "cannot listen on \(address)\(hint)")
            }
        }

        /// A short reason for a TLS set-up failure, from the TLS library's error text.
        static func tlsReason(_ cause: (any Error)?) -> String {
            guard let cause else { return "" }
            let text = "\(cause)"
            if text.contains("KEY_VALUES_MISMATCH") || text.contains("failedToLoadPrivateKey") {
                return ": the private key does not match the certificate, or is not a PEM private key"
            }
            return " (\(text))"
        }

        private func waitForSignal() async {
            let once = Once()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let signals = SignalCancellation {
                    if once.first() { continuation.resume() }
                }
                once.keep(signals)
            }
        }
    }
}

/// Fires a signal continuation once and keeps the signal sources alive.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var kept: [AnyObject] = []

    func first() -> Bool {
        lock.withLock {
            defer { fired = true }
            return !fired
        }
    }

    func keep(_ object: AnyObject) { lock.withLock { kept.append(object) } }
}

/// Polls the stub files' modification times once a second and reloads them on a change;
/// an invalid edit keeps the old stubs and is reported on stderr.
final class StubWatcher: @unchecked Sendable {
    private let timer: any DispatchSourceTimer

    init(paths: [String], loader: StubLoader, store: StubStore) {
        var last = Self.stamp(paths)
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "polarisctl.serve.watch"))
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler {
            let now = Self.stamp(paths)
            guard now != last else { return }
            last = now
            do {
                let stubs = try loader.load(paths: paths)
                store.replaceAll(stubs)
                Terminal.note("polarisctl: reloaded \(stubs.count) stubs")
            } catch {
                Terminal.standardError("polarisctl: kept the previous stubs: \(error)")
            }
        }
        timer.resume()
    }

    func stop() { timer.cancel() }

    private static func stamp(_ paths: [String]) -> [String: Date] {
        var out: [String: Date] = [:]
        for file in (try? StubLoader.files(in: paths)) ?? [] {
            out[file] = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate]) as? Date
        }
        return out
    }
}
