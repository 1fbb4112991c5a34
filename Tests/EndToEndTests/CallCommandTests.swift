import Foundation
import Testing

/// `call`, `list` and `describe` against an independent grpcio server with reflection.
@Suite("call, list, describe against a grpcio server (built binary)")
struct CallCommandTests {
    let peer: PeerServer

    init() throws {
        peer = try #require(PeerServer.examples, "the Python example server did not start")
    }

    func call(_ arguments: [String], stdin: String = "") throws -> CLI.Result {
        try CLI.run(["call", "--plaintext", peer.address] + arguments, stdin: Array(stdin.utf8))
    }

    @Test("unary call by reflection, every spelling of the method")
    func unary() throws {
        for method in ["helloworld.Greeter/SayHello", "helloworld.Greeter.SayHello", "/helloworld.Greeter/SayHello"] {
            let result = try call([method, "-d", #"{"name":"polaris"}"#])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.output == #"{"message":"Hello polaris"}"# + "\n")
        }
        // http:// means plaintext; flags may follow positionals; input from stdin.
        let piped = try CLI.run(["call", "http://\(peer.address)", "helloworld.Greeter/SayHello", "-d", "@-"],
                                stdin: Array(#"{"name":"stdin"}"#.utf8))
        #expect(piped.output == #"{"message":"Hello stdin"}"# + "\n")
    }

    @Test("the same call with --proto and --use-reflection=false")
    func localSchema() throws {
        let result = try call(["helloworld.Greeter/SayHello", "--proto", CLI.examples + "/greeter.proto",
                               "--use-reflection", "false", "-d", #"{"name":"local"}"#, "--emit-defaults"])
        #expect(result.output == #"{"message":"Hello local"}"# + "\n")
    }

    @Test("metadata and -bin metadata round trip; -v prints headers and trailers")
    func metadata() throws {
        let result = try call(["helloworld.Greeter/SayHello", "-d", "{}", "-H", "x-trace: abc 123",
                               "--rpc-header", "x-data-bin: AAH+/w==", "-v"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("response headers:\n"))
        #expect(result.stderr.contains("  x-trace: abc 123\n"))
        #expect(result.stderr.contains("  x-data-bin: AAH+/w==\n"))
        #expect(result.stderr.contains("  t-x-trace: abc 123\n"))
        #expect(result.stderr.contains("sent 1 request and received 1 response"))
    }

    @Test("a non-OK status exits 64+N and prints the status with its error details")
    func errorStatus() throws {
        let result = try call(["helloworld.Greeter/SayHello", "-d", #"{"name":"error:NOT_FOUND:no user ✓ named ü"}"#])
        #expect(result.status == 64 + 5)
        #expect(result.stderr.hasPrefix("polarisctl: NOT_FOUND: no user ✓ named ü\n"))
        #expect(result.stderr.contains(#""@type":"type.googleapis.com/google.rpc.BadRequest""#))
        #expect(result.stderr.contains(#""field":"name""#))
        #expect(result.stdout.isEmpty)

        let json = try call(["helloworld.Greeter/SayHello", "-d", #"{"name":"error:PERMISSION_DENIED:nope"}"#, "--format-error"])
        #expect(json.status == 64 + 7)
        let object = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect(object?["code"] as? Int == 7)
        #expect(object?["codeName"] as? String == "PERMISSION_DENIED")
        #expect(object?["message"] as? String == "nope")
        #expect((object?["details"] as? [Any])?.count == 1)
    }

    @Test("a deadline that expires exits with DEADLINE_EXCEEDED (68)")
    func deadline() throws {
        let start = Date()
        let result = try call(["helloworld.Greeter/SayHello", "-d", #"{"name":"sleep:3000"}"#, "--max-time", "0.3"])
        #expect(result.status == 64 + 4)
        #expect(result.stderr.contains("DEADLINE_EXCEEDED"))
        #expect(Date().timeIntervalSince(start) < 2.9)
    }

    @Test("streaming methods: server, client and bidi")
    func streaming() throws {
        let server = try call(["routeguide.RouteGuide/ListFeatures", "-d", #"{"lo":{"latitude":1},"hi":{"latitude":3}}"#])
        #expect(server.output.split(separator: "\n") == [
            #"{"name":"f1","location":{"latitude":1}}"#,
            #"{"name":"f2","location":{"latitude":2}}"#,
            #"{"name":"f3","location":{"latitude":3}}"#,
        ])
        let client = try call(["routeguide.RouteGuide/RecordRoute", "-d", "{\"latitude\":1}\n{\"latitude\":2}\n{\n  \"latitude\": 3\n}"])
        #expect(client.output == #"{"pointCount":3}"# + "\n")
        let bidi = try call(["routeguide.RouteGuide/RouteChat", "-d", #"{"message":"a"}{"message":"b"}"#])
        #expect(bidi.output == #"{"message":"a"}"# + "\n" + #"{"message":"b"}"# + "\n")
    }

    @Test("list and describe over reflection, with --protoset-out")
    func reflection() throws {
        let list = try CLI.run(["list", "--plaintext", peer.address])
        #expect(list.status == 0, "\(list.stderr)")
        for name in ["helloworld.Greeter", "routeguide.RouteGuide", "grpc.health.v1.Health"] {
            #expect(list.output.contains(name + "\n"))
        }
        let methods = try CLI.run(["list", peer.address, "routeguide.RouteGuide", "--plaintext"])
        #expect(methods.output.split(separator: "\n").count == 4)
        let describe = try CLI.run(["describe", "--plaintext", peer.address, "routeguide.RouteGuide"])
        #expect(describe.output.contains("rpc RouteChat(stream .routeguide.RouteNote) returns (stream .routeguide.RouteNote);"))

        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = directory + "/greeter.protoset"
        let written = try CLI.run(["describe", "--plaintext", peer.address, "helloworld.Greeter", "--protoset-out", out])
        #expect(written.status == 0)
        let again = try CLI.run(["list", "--protoset", out, "helloworld.Greeter"])
        #expect(again.output == "helloworld.Greeter.SayHello\n")
    }

    struct Fault: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var status: Int32
        var message: String
        var testDescription: String { name }
    }

    static let faults: [Fault] = [
        Fault(name: "unknown method", arguments: ["helloworld.Greeter/SayHelo"],
              status: 3, message: "unknown method \"helloworld.Greeter/SayHelo\"; did you mean \"helloworld.Greeter/SayHello\"?"),
        Fault(name: "unknown service", arguments: ["helloworld.Greter/SayHello"],
              status: 3, message: "the server does not know \"helloworld.Greter/SayHello\"; did you mean \"helloworld.Greeter\"?"),
        Fault(name: "request JSON with an unknown field", arguments: ["helloworld.Greeter/SayHello", "-d", #"{"nam":"x"}"#],
              status: 4, message: "invalid JSON for helloworld.HelloRequest at nam: unknown field"),
        Fault(name: "two requests for a unary method", arguments: ["helloworld.Greeter/SayHello", "-d", "{} {}"],
              status: 4, message: "helloworld.Greeter.SayHello takes one request message; -d holds more (the second starts on line 1)"),
        Fault(name: "bad message in a stream names its ordinal and line",
              arguments: ["routeguide.RouteGuide/RecordRoute", "-d", "{\"latitude\":1}\n{\"latitude\":\"x\"}"],
              status: 4, message: "request 2 (line 2): invalid JSON for routeguide.Point at latitude"),
        Fault(name: "invalid metadata key", arguments: ["helloworld.Greeter/SayHello", "-H", "Bad Key: v"],
              status: 2, message: "header name 'bad key' is not valid metadata"),
    ]

    @Test("faults: one line, the documented exit code", arguments: faults)
    func fault(_ fault: Fault) throws {
        let result = try call(fault.arguments)
        #expect(result.status == fault.status, "\(result.stderr)")
        #expect(result.stderr.contains(fault.message), "\(result.stderr)")
    }

    @Test("connection faults fail fast with their own exit codes")
    func connectionFaults() throws {
        let refused = try CLI.run(["call", "--plaintext", "127.0.0.1:1", "helloworld.Greeter/SayHello"])
        #expect(refused.status == 5)
        #expect(refused.stderr == "polarisctl: connection refused by 127.0.0.1:1\n")
        let dns = try CLI.run(["call", "--plaintext", "no-such-host.invalid:50051", "helloworld.Greeter/SayHello"])
        #expect(dns.status == 6)
        #expect(dns.stderr.contains("no-such-host.invalid"))
        // TLS (the default) to a plaintext server: a TLS error, quickly, not a hang.
        let start = Date()
        let tls = try CLI.run(["call", peer.address, "helloworld.Greeter/SayHello", "--connect-timeout", "20"])
        #expect(tls.status == 7, "\(tls.stderr)")
        #expect(tls.stderr.contains("TLS"))
        #expect(Date().timeIntervalSince(start) < 15)
        let badAddress = try CLI.run(["call", "--plaintext", "localhost", "helloworld.Greeter/SayHello"])
        #expect(badAddress.status == 2)
        #expect(badAddress.stderr.contains("needs a port"))
    }

    @Test("a server that is not gRPC (HTTP/1.1) is a connection error naming the address, quickly")
    func notGRPC() throws {
        let http = try PeerServer(script: "http1_server.py")
        defer { http.stop() }
        let start = Date()
        let result = try CLI.run(["call", "--plaintext", http.address, "helloworld.Greeter/SayHello",
                                  "--proto", CLI.examples + "/greeter.proto", "--connect-timeout", "20"])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains(http.address), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(Date().timeIntervalSince(start) < 15)
    }

    @Test("a response larger than --max-msg-sz ends the call with RESOURCE_EXHAUSTED (72)")
    func oversizeResponse() throws {
        let name = String(repeating: "n", count: 4096)
        let result = try call(["helloworld.Greeter/SayHello", "-d", #"{"name":"\#(name)"}"#, "--max-msg-sz", "1024"])
        #expect(result.status == 72, "\(result.stderr)")
        #expect(result.stderr.contains("RESOURCE_EXHAUSTED"))
        #expect(result.output.isEmpty)
    }

    @Test("the reflection cache: filled by the first call, hit by the next, replaced when the server's services change; --no-cache; cache clear")
    func reflectionCache() throws {
        let cache = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let environment = ["XDG_CACHE_HOME": cache]
        func sayHello(_ address: String, _ extra: [String] = []) throws -> CLI.Result {
            try CLI.run(["call", "--plaintext", address, "helloworld.Greeter/SayHello", "-d", #"{"name":"c"}"#, "-v"] + extra,
                        environment: environment)
        }
        let first = try PeerServer(script: "example_server.py")
        let port = first.port
        let miss = try sayHello(first.address)
        #expect(miss.status == 0, "\(miss.stderr)")
        #expect(miss.stderr.contains("schema: by server reflection"))
        let hit = try sayHello(first.address)
        #expect(hit.stderr.contains("schema: from the reflection cache"), "\(hit.stderr)")
        #expect(hit.output == #"{"message":"Hello c"}"# + "\n")
        // The cached entry holds every service: another service's method is a hit too.
        let other = try CLI.run(["stream", "--plaintext", first.address, "routeguide.RouteGuide/ListFeatures", "-v",
                                 "-d", #"{"lo":{"latitude":1},"hi":{"latitude":1}}"#], environment: environment)
        #expect(other.stderr.contains("schema: from the reflection cache"), "\(other.stderr)")
        let bypass = try sayHello(first.address, ["--no-cache"])
        #expect(bypass.stderr.contains("schema: by server reflection"))
        first.stop()

        // Another server on the same address with other services: the entry is replaced.
        let second = try PeerServer(script: "example_server.py", arguments: ["--port", "\(port)", "--greeter-only"])
        defer { second.stop() }
        let changed = try sayHello(second.address)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stderr.contains("schema: by server reflection"), "\(changed.stderr)")
        #expect(try sayHello(second.address).stderr.contains("schema: from the reflection cache"))

        let cleared = try CLI.run(["cache", "clear"], environment: environment)
        #expect(cleared.output == "removed 1 cached schema from \(cache)/polarisctl/reflection\n", "\(cleared.output)")
        #expect(try sayHello(second.address).stderr.contains("schema: by server reflection"))
    }

    @Test("a server without reflection and no --proto is a schema error")
    func noReflection() throws {
        let bare = try PeerServer(script: "example_server.py", arguments: ["--no-reflection"])
        defer { bare.stop() }
        let result = try CLI.run(["call", "--plaintext", bare.address, "helloworld.Greeter/SayHello"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("does not support reflection"))
        #expect(result.stderr.contains("--proto"))
        let local = try CLI.run(["call", "--plaintext", bare.address, "helloworld.Greeter/SayHello",
                                 "--proto", CLI.examples + "/greeter.proto", "-d", #"{"name":"b"}"#])
        #expect(local.output == #"{"message":"Hello b"}"# + "\n")
    }
}

/// `call` over TLS and mutual TLS with certificates from `polarisctl certs`,
/// against an independent grpcio server.
@Suite("call over mutual TLS with polarisctl's certificates (built binary)")
struct CallTLSTests {
    @Test("client certificate accepted; no client certificate, an untrusted CA and a wrong host rejected; --servername fixes the host")
    func mutualTLS() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The server certificate names localhost only, so 127.0.0.1 is a wrong host.
        let made = try CLI.run(["certs", "quick", "--hosts", "localhost", "--out", directory])
        #expect(made.status == 0, "\(made.stderr)")
        let server = try PeerServer(script: "example_server.py", arguments: [
            "--tls-cert", directory + "/server.crt", "--tls-key", directory + "/server.key",
            "--client-ca", directory + "/ca.crt",
        ])
        defer { server.stop() }
        let target = "localhost:\(server.port)"
        let trust = ["--cacert", directory + "/ca.crt"]
        let identity = ["--cert", directory + "/client.crt", "--key", directory + "/client.key"]
        let method = ["helloworld.Greeter/SayHello", "-d", #"{"name":"tls"}"#]

        let ok = try CLI.run(["call", target] + method + trust + identity)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.output == #"{"message":"Hello tls"}"# + "\n")
        let byIP = try CLI.run(["call", "127.0.0.1:\(server.port)"] + method + trust + identity)
        #expect(byIP.status == 7, "\(byIP.stderr)")
        let named = try CLI.run(["call", "127.0.0.1:\(server.port)", "--servername", "localhost"] + method + trust + identity)
        #expect(named.status == 0, "\(named.stderr)")

        let anonymous = try CLI.run(["call", target] + method + trust)
        #expect(anonymous.status == 7, "\(anonymous.stderr)")
        let untrusted = try CLI.run(["call", target] + method + identity)
        #expect(untrusted.status == 7, "\(untrusted.stderr)")
        let wrongName = try CLI.run(["call", target, "--servername", "other.example"] + method + trust + identity)
        #expect(wrongName.status == 7, "\(wrongName.stderr)")
    }
}
