import Foundation
import Testing

@Suite("list, describe, encode, decode (built binary)")
struct SchemaCommandTests {
    let greeter = CLI.examples + "/greeter.proto"
    let routes = CLI.examples + "/route_guide.proto"
    let events = CLI.examples + "/events.proto"

    @Test("--version and --help")
    func versionAndHelp() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try CLI.run(["list", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--proto"))
        #expect(help.output.contains("Examples:"))
    }

    @Test("list shows services, a service's methods, and kinds with --long")
    func list() throws {
        let services = try CLI.run(["list", "--proto", routes])
        #expect(services.status == 0)
        #expect(services.output == "routeguide.RouteGuide\n")
        let methods = try CLI.run(["list", "--proto", routes, "routeguide.RouteGuide"])
        #expect(methods.output.split(separator: "\n") == [
            "routeguide.RouteGuide.GetFeature", "routeguide.RouteGuide.ListFeatures",
            "routeguide.RouteGuide.RecordRoute", "routeguide.RouteGuide.RouteChat",
        ])
        // Flags may follow positionals.
        let long = try CLI.run(["list", "routeguide.RouteGuide", "--proto", routes, "-l"])
        #expect(long.output.contains("routeguide.RouteGuide/RouteChat  bidi-streaming  routeguide.RouteNote -> routeguide.RouteNote"))
        let json = try CLI.run(["list", "--proto", routes, "--format", "json"])
        let parsed = try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]]
        let kinds = (parsed?.first?["methods"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        #expect(kinds == ["unary", "server-streaming", "client-streaming", "bidi-streaming"])
    }

    @Test("describe prints proto source like grpcurl")
    func describe() throws {
        let result = try CLI.run(["describe", "--proto", greeter, "helloworld.Greeter"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("helloworld.Greeter is a service:\n// The greeting service.\nservice Greeter {"))
        #expect(result.output.contains("rpc SayHello(.helloworld.HelloRequest) returns (.helloworld.HelloReply);"))
        let message = try CLI.run(["describe", "--proto", greeter, ".helloworld.HelloRequest"])
        #expect(message.output.hasPrefix("helloworld.HelloRequest is a message:\n"))
        let all = try CLI.run(["describe", "--proto", routes])
        #expect(all.output.hasPrefix("routeguide.RouteGuide is a service:"))
    }

    @Test("--protoset-out writes a protoset that loads back")
    func protosetOut() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = directory + "/events.protoset"
        let result = try CLI.run(["describe", "--proto", events, "events.v1.EventStore", "--protoset-out", out])
        #expect(result.status == 0)
        let again = try CLI.run(["list", "--protoset", out, "events.v1.EventStore"])
        #expect(again.status == 0)
        #expect(again.output.contains("events.v1.EventStore.Append"))
        let listed = try CLI.run(["list", "--proto", events, "--protoset-out", directory + "/all.protoset"])
        #expect(listed.status == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/all.protoset"))
    }

    @Test("encode | decode round trip through pipes, hex and base64")
    func encodeDecode() throws {
        let json = #"{"id":"e1","at":"2024-01-02T03:04:05Z","severity":"SEVERITY_ERROR","labels":{"k":"v"}}"#
        let encoded = try CLI.run(["encode", "--proto", events, "events.v1.Event", "-d", json])
        #expect(encoded.status == 0)
        let decoded = try CLI.run(["decode", "--proto", events, "events.v1.Event"], stdin: Array(encoded.stdout))
        #expect(decoded.status == 0)
        #expect(decoded.output == json + "\n")  // compact when piped

        let hex = try CLI.run(["encode", "--proto", greeter, "helloworld.HelloRequest", "-d", #"{"name":"x"}"#, "--hex"])
        #expect(hex.output == "0a0178\n")
        let fromHex = try CLI.run(["decode", "--proto", greeter, "helloworld.HelloRequest", "--hex", "-d", "@-"], stdin: Array("0a 01 78".utf8))
        #expect(fromHex.output == #"{"name":"x"}"# + "\n")
        let b64 = try CLI.run(["encode", "--proto", greeter, "helloworld.HelloRequest", "-d", #"{"name":"x"}"#, "--base64"])
        #expect(b64.output == "CgF4\n")
        let pretty = try CLI.run(["decode", "--proto", greeter, "helloworld.HelloRequest", "--base64", "-d", "@-", "--format", "json", "--emit-defaults"], stdin: Array("CgF4".utf8))
        #expect(pretty.output == "{\n  \"name\": \"x\"\n}\n")
        let sample = try CLI.run(["encode", "--proto", events, "events.v1.Event", "-d", "@" + CLI.examples + "/../data/event.json"])
        #expect(sample.status == 0, "\(sample.stderr)")
        let text = try CLI.run(["decode", "--proto", events, "events.v1.Event", "--format", "text"], stdin: Array(sample.stdout))
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.output.hasPrefix("id: \"evt-0001\"\n"))
        // Any is expanded through the schema, not printed as bytes.
        #expect(text.output.contains("[type.googleapis.com/google.protobuf.StringValue] {"))
    }

    @Test("JSON on a terminal is coloured; never with NO_COLOR, never when piped")
    func colour() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CLI.write("0a0178", to: directory + "/req.hex")
        let command = "'\(CLI.binary)' decode --proto '\(greeter)' helloworld.HelloRequest --hex -d @'\(directory)/req.hex'"
        func onTerminal(_ environment: String) throws -> String {
            // script(1) runs the command on a pseudo-terminal.
            let result = try CLI.run(["-qec", "env \(environment) \(command)", "/dev/null"], executable: "/usr/bin/script")
            return result.output
        }
        let coloured = try onTerminal("TERM=xterm NO_COLOR=")
        #expect(coloured.contains("\u{1B}[1;34m\"name\"\u{1B}[0m"), "\(coloured.debugDescription)")
        #expect(coloured.contains("\u{1B}[32m\"x\"\u{1B}[0m"))
        let plain = try onTerminal("TERM=xterm NO_COLOR=1")
        #expect(!plain.contains("\u{1B}["), "\(plain.debugDescription)")
        #expect(plain.contains("\"name\": \"x\""))
        let piped = try CLI.run(["decode", "--proto", greeter, "helloworld.HelloRequest", "--hex", "-d", "0a0178"])
        #expect(piped.output == #"{"name":"x"}"# + "\n")
    }

    @Test("encode reads @file and writes -o atomically")
    func files() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CLI.write(#"{"name":"from file"}"#, to: directory + "/req.json")
        let result = try CLI.run(["encode", "--proto", greeter, "helloworld.HelloRequest", "-d", "@" + directory + "/req.json", "-o", directory + "/req.bin"])
        #expect(result.status == 0)
        let back = try CLI.run(["decode", "--proto", greeter, "helloworld.HelloRequest", "-d", "@" + directory + "/req.bin"])
        #expect(back.output == #"{"name":"from file"}"# + "\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var status: Int32
        var message: String
        var stdin: String = ""
        var testDescription: String { name }
    }

    static let e = CLI.examples
    static let r = CLI.resources
    static let failures: [Failure] = [
        Failure(name: "proto syntax error", arguments: ["list", "--proto", "bad_syntax.proto", "-I", r],
                status: 3, message: "bad_syntax.proto:4:9: Expected field name."),
        Failure(name: "undefined type", arguments: ["list", "--proto", "undefined_type.proto", "-I", r],
                status: 3, message: "undefined_type.proto:4:3: \"Missing\" is not defined."),
        Failure(name: "missing import", arguments: ["list", "--proto", "missing_import.proto", "-I", r],
                status: 3, message: "not/there.proto: import not found (imported at missing_import.proto:3:1) (import paths: -I \(r))"),
        Failure(name: "file outside import paths", arguments: ["list", "--proto", "\(e)/greeter.proto", "-I", r],
                status: 3, message: "greeter.proto: not under any import path (import paths: -I \(r))"),
        Failure(name: "missing proto file", arguments: ["list", "--proto", "nope.proto", "-I", r],
                status: 3, message: "nope.proto: file not found (import paths: -I \(r))"),
        Failure(name: "editions", arguments: ["list", "--proto", "editions.proto", "-I", r],
                status: 3, message: "editions.proto: uses protobuf editions, which the bundled parser (protobuf 3.21) cannot read"),
        Failure(name: "corrupt protoset", arguments: ["list", "--protoset", "\(r)/corrupt.protoset"],
                status: 3, message: "corrupt.protoset: not a valid FileDescriptorSet (corrupt or truncated)"),
        Failure(name: "missing protoset", arguments: ["list", "--protoset", "\(r)/absent.protoset"],
                status: 4, message: "protoset \(r)/absent.protoset: no such file"),
        Failure(name: "unknown symbol", arguments: ["describe", "--proto", "\(e)/greeter.proto", "helloworld.Greeter.SayHelo"],
                status: 3, message: "unknown symbol \"helloworld.Greeter.SayHelo\"; did you mean \"helloworld.Greeter.SayHello\"?"),
        Failure(name: "unknown service in list", arguments: ["list", "--proto", "\(e)/greeter.proto", "helloworld.Greter"],
                status: 3, message: "did you mean \"helloworld.Greeter\"?"),
        Failure(name: "unknown message type", arguments: ["encode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequst", "-d", "{}", "--hex"],
                status: 3, message: "unknown message type \"helloworld.HelloRequst\""),
        Failure(name: "malformed JSON", arguments: ["encode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest", "-d", #"{"name": }"#, "--hex"],
                status: 4, message: "invalid JSON for helloworld.HelloRequest at line 1, column 10: unexpected token"),
        Failure(name: "unknown field", arguments: ["encode", "--proto", "\(e)/route_guide.proto", "routeguide.Rectangle", "-d", #"{"lo":{"lat":1}}"#, "--hex"],
                status: 4, message: "invalid JSON for routeguide.Rectangle at lo.lat: unknown field (--allow-unknown-fields skips unknown fields)"),
        Failure(name: "wrong type", arguments: ["encode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest", "-d", #"{"name": 5}"#, "--hex"],
                status: 4, message: "invalid JSON for helloworld.HelloRequest at name: invalid value for string: 5"),
        Failure(name: "integer out of range", arguments: ["encode", "--proto", "\(e)/route_guide.proto", "routeguide.Point", "-d", #"{"latitude": 3000000000}"#, "--hex"],
                status: 4, message: "at latitude: invalid value for int32: 3000000000"),
        Failure(name: "bad enum name", arguments: ["encode", "--proto", "\(e)/events.proto", "events.v1.Event", "-d", #"{"severity": "LOUD"}"#, "--hex"],
                status: 4, message: "at severity: invalid value for events.v1.Severity: \"LOUD\""),
        Failure(name: "bad timestamp", arguments: ["encode", "--proto", "\(e)/events.proto", "events.v1.Event", "-d", #"{"at": "noon"}"#, "--hex"],
                status: 4, message: "at at: invalid value for google.protobuf.Timestamp"),
        Failure(name: "Any with unknown type", arguments: ["encode", "--proto", "\(e)/events.proto", "events.v1.Event", "-d", #"{"payload": {"@type": "type.googleapis.com/x.Nope"}}"#, "--hex"],
                status: 4, message: "at payload: invalid value for Any: Invalid type URL, unknown type: x.Nope"),
        Failure(name: "truncated binary", arguments: ["decode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest", "--hex", "-d", "0a0578"],
                status: 4, message: "not a valid helloworld.HelloRequest (3 bytes): truncated or malformed wire data"),
        Failure(name: "malformed binary", arguments: ["decode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest"],
                status: 4, message: "not a valid helloworld.HelloRequest (2 bytes)", stdin: "\u{0f}\u{01}"),
        Failure(name: "not hex", arguments: ["decode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest", "--hex", "-d", "zz"],
                status: 4, message: "-d: not hexadecimal text"),
        Failure(name: "missing input file", arguments: ["encode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest", "-d", "@/nonexistent/req.json", "--hex"],
                status: 4, message: "input file /nonexistent/req.json: no such file"),
        Failure(name: "unknown flag", arguments: ["list", "--proto", "\(e)/greeter.proto", "--bogus"],
                status: 2, message: "Unknown option '--bogus'"),
        Failure(name: "contradictory flags", arguments: ["encode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest", "--hex", "--base64", "-d", "{}"],
                status: 2, message: "--hex and --base64 cannot be combined"),
        Failure(name: "no schema", arguments: ["list"], status: 2, message: "no schema: give --proto FILE or --protoset FILE"),
        Failure(name: "unwritable output", arguments: ["encode", "--proto", "\(e)/greeter.proto", "helloworld.HelloRequest", "-d", "{}", "-o", "/nonexistent/dir/out.bin"],
                status: 9, message: "/nonexistent/dir/out.bin: directory /nonexistent/dir does not exist"),
    ]

    @Test("bad input: one line on stderr, the documented exit code", arguments: failures)
    func failure(_ failure: Failure) throws {
        let result = try CLI.run(failure.arguments, stdin: Array(failure.stdin.utf8), directory: CLI.resources)
        #expect(result.status == failure.status, "\(result.stderr)")
        #expect(result.stderr.contains(failure.message), "\(result.stderr)")
        if failure.status != 2 {
            #expect(result.stderr.hasPrefix("polarisctl: "))
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(!result.stderr.contains("libprotobuf"))
        #expect(!result.stderr.contains("[libprotobuf"))
        #expect(result.stdout.isEmpty)
    }

    @Test("encode refuses to write binary to a terminal")
    func refusesTerminal() throws {
        // `script` gives the command a pseudo-terminal as stdout.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let command = "\(CLI.binary) encode --proto \(greeter) helloworld.HelloRequest -d '{}'; echo rc=$?"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("refusing to write binary to a terminal"))
        #expect(text.contains("rc=2"))
    }

    @Test("well-known types need no system include directory")
    func builtInWellKnownTypes() throws {
        // Hide /usr/include/google in a private mount namespace, when the
        // machine allows it (root with unshare); otherwise run with only the
        // user's own import path, which never includes the system directory.
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: events, toPath: directory + "/events.proto")
        let unshare = "/usr/bin/unshare"
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: unshare),
           FileManager.default.fileExists(atPath: "/usr/include/google") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: unshare)
            process.arguments = ["-m", "sh", "-c",
                                 "mount -t tmpfs none /usr/include/google && test ! -e /usr/include/google/protobuf && \(CLI.binary) list --proto events.proto -I \(directory) events.v1.EventStore"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 || text.contains("Append") {
                #expect(text.contains("events.v1.EventStore.Append"))
                return
            }
        }
        let result = try CLI.run(["list", "--proto", "events.proto", "-I", directory, "events.v1.EventStore"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains("events.v1.EventStore.Append"))
    }
}
