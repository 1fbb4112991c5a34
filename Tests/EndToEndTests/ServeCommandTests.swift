import Foundation
import Testing

/// `serve` run as a user would, called by polarisctl itself and by Python grpcio clients.
@Suite("serve (built binary)", .serialized)
struct ServeCommandTests {
    static let protos = ["--proto", "examples/protos/route_guide.proto", "--proto", "examples/protos/greeter.proto",
                         "--proto", "examples/protos/events.proto"]

    @Test("fake data for all four kinds, through polarisctl call and stream")
    func fourKinds() throws {
        let server = try ServeProcess(Self.protos)
        defer { server.stop() }
        #expect(server.stdout.contains("(8 methods, 0 stubs"))
        let unary = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"x"}"#])
        #expect(unary.status == 0, "\(unary.stderr)")
        #expect(unary.output.contains(#""message":"#))
        let serverStream = try server.cli(["stream", "routeguide.RouteGuide/ListFeatures", "-d", "{}"])
        #expect(serverStream.status == 0)
        #expect(serverStream.output.split(separator: "\n").count == 3)
        let clientStream = try server.cli(["stream", "routeguide.RouteGuide/RecordRoute", "-d", "@-"],
                                          stdin: #"{"latitude":1} {"latitude":2}"#)
        #expect(clientStream.status == 0)
        #expect(clientStream.output.contains("pointCount"))
        let bidi = try server.cli(["stream", "routeguide.RouteGuide/RouteChat", "-d", "@-"],
                                  stdin: #"{"message":"a"} {"message":"b"}"#)
        #expect(bidi.status == 0)
        #expect(bidi.output.split(separator: "\n").count == 2)
        // Deterministic: the same answer twice.
        let again = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"y"}"#])
        #expect(again.output == unary.output)
    }

    @Test("start-up steps show on a terminal, then are erased; nothing of them when stderr is a file")
    func startupProgress() throws {
        // serve on a pseudo-terminal until its "listening on" line, then SIGTERM.
        let run = try CLI.run(
            [CLI.root + "/Tests/Peers/python/pty_drive.py", "--terminate-on", "listening on", "--",
             CLI.binary, "serve", "--listen", "127.0.0.1:0"] + Self.protos,
            executable: "/usr/bin/python3")
        let report = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], "\(run.output)")
        #expect(report["timeout"] as? Bool == false, "\(report)")
        let output = report["output"] as? String ?? ""
        #expect(output.contains("loading the schema…\r\u{1B}[K"), "\(output)")
        #expect(output.contains("preparing 8 methods…\r\u{1B}[K"), "\(output)")
        #expect(output.contains("listening on 127.0.0.1:"), "\(output)")

        let server = try ServeProcess(Self.protos)
        server.stop()
        #expect(!server.stderr.contains("loading"), "\(server.stderr)")
        #expect(!server.stderr.contains("\u{1B}"))
    }

    @Test("every fake response decodes and re-encodes identically in Python")
    func fakeValidity() throws {
        let server = try ServeProcess(Self.protos)
        defer { server.stop() }
        let result = try server.python("fake")
        let checked = try #require(result["checked"] as? [[String: Any]])
        #expect(checked.count >= 8)
        for entry in checked {
            #expect(entry["same"] as? Bool == true, "\(entry)")
        }
        // Messages with fields come back with their fields set.
        let append = checked.first { $0["method"] as? String == "/events.v1.EventStore/Append" }
        #expect((append?["fields"] as? Int ?? 0) >= 5)
    }

    @Test("--default empty and unimplemented")
    func defaults() throws {
        let empty = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--default", "empty"])
        let result = try empty.cli(["call", "helloworld.Greeter/SayHello", "-d", "{}"])
        empty.stop()
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "{}")
        let unimplemented = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--default", "unimplemented"])
        let failed = try unimplemented.cli(["call", "helloworld.Greeter/SayHello", "-d", "{}"])
        unimplemented.stop()
        #expect(failed.status == 64 + 12)
    }

    @Test("stubs: exact match over priority, regex error with details, header match + template, catch-all")
    func stubMatching() throws {
        let server = try ServeProcess(Self.protos + ["--stubs", "examples/stubs"])
        defer { server.stop() }
        #expect(server.stdout.contains("8 stubs"))
        let alice = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"Alice"}"#])
        #expect(alice.output.contains("Hello, Alice! (exact match)"))
        let error = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"error-1"}"#])
        #expect(error.status == 64 + 5)
        #expect(error.stderr.contains("no such person"))
        #expect(error.stderr.contains("PERSON_NOT_FOUND"))
        let french = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"Zoe"}"#, "-H", "x-lang: fr", "-v"])
        #expect(french.output.contains("Bonjour, Zoe!"))
        #expect(french.stderr.contains("x-served-by: mock") || french.output.contains("x-served-by: mock"))
        let other = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"Bob"}"#])
        #expect(other.output.contains("Hello, Bob!"))
    }

    @Test("regex stubs: anchored plain-text patterns (looked up by value) and real expressions keep their order and priority")
    func regexOrder() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var stubs = (0..<300).map { #"{"method":"helloworld.Greeter/SayHello","match":{"regex":{"name":"^person-\#($0)$"}},"response":{"message":{"message":"exact \#($0)"}}}"# }
        stubs += [
            #"{"method":"helloworld.Greeter/SayHello","match":{"regex":{"name":"^per"}},"response":{"message":{"message":"prefix per"}}}"#,
            #"{"method":"helloworld.Greeter/SayHello","match":{"regex":{"name":"^p.*-7$"}},"response":{"message":{"message":"expression"}},"priority":1}"#,
            #"{"method":"helloworld.Greeter/SayHello","match":{"regex":{"name":"^person-12$"},"headers":{"x-vip":"yes"}},"response":{"message":{"message":"vip"}},"priority":2}"#,
            #"{"method":"helloworld.Greeter/SayHello","match":{"regex":{"name":"^pe"}},"response":{"message":{"message":"prefix pe"}}}"#,
        ]
        try CLI.write("[" + stubs.joined(separator: ",\n") + "]", to: directory + "/regex.json")
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--stubs", directory + "/regex.json", "--default", "unimplemented"])
        defer { server.stop() }
        func answer(_ name: String, _ headers: [String] = []) throws -> String {
            let result = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"\#(name)"}"#] + headers)
            return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : "status \(result.status)"
        }
        #expect(try answer("person-250") == #"{"message":"exact 250"}"#)
        #expect(try answer("person-7") == #"{"message":"expression"}"#)           // priority 1 beats the exact stub
        #expect(try answer("person-12", ["-H", "x-vip: yes"]) == #"{"message":"vip"}"#)
        #expect(try answer("person-12") == #"{"message":"exact 12"}"#)            // the vip stub needs its header
        #expect(try answer("person-x") == #"{"message":"prefix per"}"#)           // first of the two prefixes in file order
        #expect(try answer("pet") == #"{"message":"prefix pe"}"#)
        #expect(try answer("anna") == "status \(64 + 12)")
    }

    @Test("stream stubs with per-message delay, per-message bidi answers with templates, random delay")
    func streamStubs() throws {
        let server = try ServeProcess(Self.protos + ["--stubs", "examples/stubs/route_guide.json"])
        defer { server.stop() }
        let started = Date()
        let list = try server.cli(["stream", "routeguide.RouteGuide/ListFeatures", "-d", "{}"])
        #expect(Date().timeIntervalSince(started) >= 0.02)
        #expect(list.output.split(separator: "\n").map(String.init) == [
            #"{"name":"first","location":{"latitude":1,"longitude":2}}"#,
            #"{"name":"second","location":{"latitude":3,"longitude":4}}"#,
        ])
        let chat = try server.cli(["stream", "routeguide.RouteGuide/RouteChat", "-d", "@-"], stdin: #"{"message":"a"} {"message":"b"}"#)
        #expect(chat.output.split(separator: "\n").map(String.init) == [#"{"message":"echo: a"}"#, #"{"message":"echo: b"}"#])
        let feature = try server.cli(["call", "routeguide.RouteGuide/GetFeature", "-d", #"{"latitude":409146138}"#])
        #expect(feature.output.contains("Berkshire"))
        let unmatched = try server.cli(["call", "routeguide.RouteGuide/GetFeature", "-d", #"{"latitude":1}"#])
        #expect(!unmatched.output.contains("Berkshire"))
    }

    @Test("use limit and admin add/list/journal")
    func adminAndLimit() throws {
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto"])
        defer { server.stop() }
        let stub = #"{"response":{"message":{"message":"limited"}},"times":1,"priority":5}"#
        let add = try server.cli(["call", "polarisctl.mock.v1.Admin/AddStubs", "-d",
                                  #"{"stubs":[{"id":"one","method":"helloworld.Greeter/SayHello","json":"# + CLIQuote.json(stub) + "}]}"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.output.contains(#""one""#))
        let list = try server.cli(["call", "polarisctl.mock.v1.Admin/ListStubs", "-d", "{}"])
        #expect(list.output.contains("limited"))
        let first = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"j"}"#])
        let second = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"k"}"#])
        #expect(first.output.contains("limited"))
        #expect(!second.output.contains("limited"))
        let journal = try server.cli(["call", "polarisctl.mock.v1.Admin/ReadJournal", "-d", #"{"method":"helloworld.Greeter/SayHello"}"#])
        #expect(journal.output.contains(#"\"name\":\"j\""#) || journal.output.contains(#"{\"name\":\"j\"}"#))
        #expect(journal.output.contains(#""stubId":"one""#))
        let bad = try server.cli(["call", "polarisctl.mock.v1.Admin/AddStubs", "-d",
                                  #"{"stubs":[{"method":"helloworld.Greeter/Nope","json":"{}"}]}"#])
        #expect(bad.status == 64 + 3)
    }

    @Test("--journal-size keeps the last N calls, oldest first, however many came before")
    func journalWindow() throws {
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--journal-size", "3"])
        defer { server.stop() }
        for index in 1...7 {
            let call = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"n\#(index)"}"#])
            #expect(call.status == 0, "\(call.stderr)")
        }
        let journal = try server.cli(["call", "polarisctl.mock.v1.Admin/ReadJournal", "-d", #"{"method":"helloworld.Greeter/SayHello"}"#])
        #expect(journal.status == 0, "\(journal.stderr)")
        let names = ["n4", "n5", "n6", "n7"].map { journal.output.range(of: "\\\"name\\\":\\\"\($0)\\\"") }
        #expect(names[0] == nil, "\(journal.output)")
        let kept = names.dropFirst().compactMap { $0?.lowerBound }
        #expect(kept.count == 3 && kept == kept.sorted(), "\(journal.output)")
    }

    @Test("reflection v1 and v1alpha drive Python's reflection client; polarisctl list/describe work")
    func reflection() throws {
        let server = try ServeProcess(Self.protos)
        defer { server.stop() }
        let result = try server.python("reflection")
        for version in ["v1", "v1alpha"] {
            let part = try #require(result[version] as? [String: Any])
            let services = part["services"] as? [String] ?? []
            #expect(services.contains("helloworld.Greeter"))
            #expect(services.contains("grpc.health.v1.Health"))
            #expect(part["files"] as? Int == 1)
            #expect(part["error"] as? Int == 5)
        }
        #expect((result["reply"] as? String)?.isEmpty == false)
        let list = try server.cli(["list"])
        #expect(list.output.contains("routeguide.RouteGuide"))
        let describe = try server.cli(["describe", "polarisctl.mock.v1.Admin"])
        #expect(describe.output.contains("rpc AddStubs"))
    }

    @Test("health Check and Watch transitions through the admin service")
    func health() throws {
        let server = try ServeProcess(Self.protos)
        defer { server.stop() }
        let result = try server.python("health")
        #expect(result["check"] as? String == "SERVING")
        #expect(result["unknown"] as? String == "NOT_FOUND")
        #expect(result["watch"] as? [String] == ["SERVING", "NOT_SERVING"])
        #expect(result["after"] as? String == "NOT_SERVING")
    }

    @Test("random garbage bodies get INVALID_ARGUMENT and the server keeps serving")
    func garbage() throws {
        let server = try ServeProcess(Self.protos)
        defer { server.stop() }
        let result = try server.python("garbage")
        let codes = try #require(result["codes"] as? [String: Int])
        #expect(codes.values.reduce(0, +) == 200)
        #expect((codes["INVALID_ARGUMENT"] ?? 0) > 100)
        #expect(Set(codes.keys).isSubset(of: ["OK", "INVALID_ARGUMENT"]))
        #expect(result["after"] as? Int ?? 0 > 0)
    }

    @Test("invalid stub files: exit 4 with file:line and the field; the server does not start",
          arguments: [
              ("- method: helloworld.Greeter/Nope\n  response: {message: {}}\n", "stubs.yaml:1", "not in the loaded schema"),
              ("- method: helloworld.Greeter/SayHello\n  response:\n    message: {nmae: x}\n", "stubs.yaml:3", "nmae"),
              ("- method: helloworld.Greeter/SayHello\n  match:\n    regex: {name: \"(\"}\n  response: {message: {}}\n", "stubs.yaml:3", "invalid regular expression"),
          ])
    func invalidStubs(text: String, location: String, detail: String) throws {
        let directory = try CLI.temporaryDirectory()
        try CLI.write(text, to: directory + "/stubs.yaml")
        let result = try CLI.run(["serve", "--proto", "examples/protos/greeter.proto", "--listen", "127.0.0.1:0",
                                  "--stubs", directory + "/stubs.yaml"])
        #expect(result.status == 4)
        #expect(result.stderr.contains(location), "\(result.stderr)")
        #expect(result.stderr.contains(detail), "\(result.stderr)")
        #expect(!result.output.contains("listening"))
    }

    @Test("--keepalive-min-time takes a duration")
    func keepaliveFlag() throws {
        let bad = try CLI.run(["serve", "--proto", "examples/protos/greeter.proto", "--keepalive-min-time", "often"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--keepalive-min-time 'often' is not a duration"), "\(bad.stderr)")
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--keepalive-min-time", "0",
                                       "--keepalive-permit-without-calls"])
        defer { server.stop() }
        let call = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", "{}", "--keepalive-time", "0.05"])
        #expect(call.status == 0, "\(call.stderr)")
    }

    @Test("a port in use: exit 12 and a clear message")
    func portInUse() throws {
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto"])
        defer { server.stop() }
        let result = try CLI.run(["serve", "--proto", "examples/protos/greeter.proto", "--listen", server.address])
        #expect(result.status == 12)
        #expect(result.stderr.contains("cannot listen on \(server.address)"))
    }

    @Test("SIGTERM drains a call in flight and exits 0")
    func drain() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A server stream: the first message at once, the second 1.5 s later.
        try CLI.write("""
            {"method": "routeguide.RouteGuide/ListFeatures", "response": {"messages": [
              {"message": {"name": "first"}},
              {"message": {"name": "last"}, "delay": "1500ms"}]}}
            """, to: directory + "/slow.json")
        let server = try ServeProcess(["--proto", "examples/protos/route_guide.proto", "--stubs", directory + "/slow.json"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["stream", "--plaintext", server.address, "routeguide.RouteGuide/ListFeatures",
                             "--proto", CLI.examples + "/route_guide.proto"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first message has arrived: the call is certainly in flight.
        var first = Data()
        while !first.contains(0x0a) {
            let chunk = output.fileHandleForReading.readData(ofLength: 1)
            if chunk.isEmpty { break }
            first.append(chunk)
        }
        #expect(String(decoding: first, as: UTF8.self).contains("first"))
        let status = server.stop(signal: SIGTERM)
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(status == 0, "\(server.stderr)")
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: rest, as: UTF8.self).contains("last"))
    }

    @Test("--watch reloads a valid edit and keeps the old stubs on an invalid one")
    func watch() throws {
        let directory = try CLI.temporaryDirectory()
        let file = directory + "/greeter.json"
        func stub(_ text: String) -> String {
            #"{"method": "helloworld.Greeter/SayHello", "response": {"message": {"message": "\#(text)"}}}"#
        }
        try CLI.write(stub("one"), to: file)
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--stubs", directory, "--watch"])
        defer { server.stop() }
        #expect(try server.cli(["call", "helloworld.Greeter/SayHello", "-d", "{}"]).output.contains("one"))
        usleep(1_100_000)  // a distinct modification time
        try CLI.write(stub("two"), to: file)
        var output = ""
        for _ in 0..<40 {
            output = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", "{}"]).output
            if output.contains("two") { break }
            usleep(100_000)
        }
        #expect(output.contains("two"))
        usleep(1_100_000)
        try CLI.write(#"{"method": "helloworld.Greeter/SayHello", "response": {"message": {"bad": 1}}}"#, to: file)
        for _ in 0..<40 where !server.stderr.contains("kept the previous stubs") { usleep(100_000) }
        #expect(server.stderr.contains("kept the previous stubs"))
        #expect(server.stderr.contains("greeter.json:1"))
        #expect(try server.cli(["call", "helloworld.Greeter/SayHello", "-d", "{}"]).output.contains("two"))
    }

    @Test("--journal appends NDJSON lines")
    func journalFile() throws {
        let directory = try CLI.temporaryDirectory()
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--journal", directory + "/calls.ndjson"])
        _ = try server.cli(["call", "helloworld.Greeter/SayHello", "-d", #"{"name":"journal"}"#])
        server.stop()
        let text = try String(contentsOfFile: directory + "/calls.ndjson", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["method"] as? String == "helloworld.Greeter/SayHello")
        #expect(object?["status"] as? String == "OK")
        #expect((object?["requests"] as? [[String: Any]])?.first?["name"] as? String == "journal")
    }
}

enum CLIQuote {
    /// `text` as a JSON string literal.
    static func json(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}

/// `serve` with TLS, certificates made by `polarisctl certs quick`.
@Suite("serve with TLS (built binary)")
struct ServeTLSTests {
    /// Runs the grpcio TLS client against `address` calling SayHello{name: "Alice"}.
    func python(_ address: String, _ directory: String, clientCertificate: Bool) throws -> String {
        var arguments = ["python3", CLI.root + "/Tests/Peers/python/tls_echo_client.py", "--target", address, "--ca", directory + "/ca.crt",
                         "--method", "/helloworld.Greeter/SayHello", "--request-hex", "0a05416c696365"]
        if clientCertificate { arguments += ["--cert", directory + "/client.crt", "--key", directory + "/client.key"] }
        return try CLI.run(arguments, executable: "/usr/bin/env").output
    }

    @Test("mutual TLS with polarisctl's certificates: grpcio and grpc-go clients with the client certificate are served, without it refused")
    func mutualTLS() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try CLI.run(["certs", "quick", "--hosts", "localhost,127.0.0.1", "--out", directory])
        #expect(made.status == 0, "\(made.stderr)")
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto", "--stubs", "examples/stubs/greeter.yaml",
                                       "--tls-cert", directory + "/server.crt", "--tls-key", directory + "/server.key",
                                       "--client-ca", directory + "/ca.crt"])
        defer { server.stop() }
        let target = "localhost:\(server.port)"
        let served = try python(target, directory, clientCertificate: true)
        #expect(served.contains("Hello, Alice! (exact match)"), "\(served)")
        let refused = try python(target, directory, clientCertificate: false)
        #expect(refused.hasPrefix("FAILED UNAVAILABLE"), "\(refused)")

        if FileManager.default.isExecutableFile(atPath: GoServeClient.path) {
            let tls = ["--tls-ca", directory + "/ca.crt", "--server-name", "localhost"]
            let identity = ["--tls-cert", directory + "/client.crt", "--tls-key", directory + "/client.key"]
            let method = ["--addr", "127.0.0.1:\(server.port)", "--method", "/helloworld.Greeter/SayHello", "--data-hex", "0a05416c696365"]
            let go = try ServeGoClientTests().call(method + tls + identity)
            #expect(go["codeName"] as? String == "OK", "\(go)")
            let goRefused = try ServeGoClientTests().call(method + tls)
            #expect(goRefused["codeName"] as? String == "UNAVAILABLE", "\(goRefused)")
        }
        // polarisctl itself: the reason is named.
        let anonymous = try CLI.run(["call", target, "helloworld.Greeter/SayHello", "--cacert", directory + "/ca.crt", "-d", "{}"])
        #expect(anonymous.status == 7)
        #expect(anonymous.stderr.contains("client certificate"), "\(anonymous.stderr)")
    }

    @Test("an expired server certificate, an untrusted CA and another host name are refused, each with its reason")
    func certificateFaults() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for folder in ["ca", "old"] { try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true) }
        #expect(try CLI.run(["certs", "init", "--out", directory + "/ca"]).status == 0)
        let expired = try CLI.run(["certs", "issue", "server", "--ca", directory + "/ca", "--hosts", "localhost",
                                   "--not-before", "2020-01-01T00:00:00Z", "--days", "1", "--out", directory + "/old"])
        #expect(expired.status == 0, "\(expired.stderr)")
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto",
                                       "--tls-cert", directory + "/old/server.crt", "--tls-key", directory + "/old/server.key"])
        defer { server.stop() }
        let method = ["helloworld.Greeter/SayHello", "-d", "{}", "--proto", CLI.examples + "/greeter.proto"]
        let old = try CLI.run(["call", "localhost:\(server.port)", "--cacert", directory + "/ca/ca.crt"] + method)
        #expect(old.status == 7, "\(old.stderr)")
        #expect(old.stderr.contains("expired"), "\(old.stderr)")
        let untrusted = try CLI.run(["call", "localhost:\(server.port)"] + method)
        #expect(untrusted.status == 7)
        #expect(untrusted.stderr.contains("did not verify"), "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("--cacert"), "\(untrusted.stderr)")
        let otherName = try CLI.run(["call", "127.0.0.1:\(server.port)", "--insecure"] + method)
        #expect(otherName.status == 0, "\(otherName.stderr)")  // --insecure checks nothing
        let wrongHost = try CLI.run(["call", "localhost:\(server.port)", "--servername", "api.example", "--cacert", directory + "/ca/ca.crt"] + method)
        #expect(wrongHost.status == 7)
        #expect(wrongHost.stderr.contains("not api.example") || wrongHost.stderr.contains("expired"), "\(wrongHost.stderr)")
    }

    @Test("TLS serves calls; a key that does not match its certificate exits 12 with the reason")
    func tls() throws {
        let directory = try CLI.temporaryDirectory()
        let made = try CLI.run(["certs", "quick", "--hosts", "localhost,127.0.0.1", "--out", directory])
        #expect(made.status == 0, "\(made.stderr)")
        let mismatch = try CLI.run(["serve", "--proto", "examples/protos/greeter.proto", "--listen", "127.0.0.1:0",
                                    "--tls-cert", directory + "/server.crt", "--tls-key", directory + "/client.key"])
        #expect(mismatch.status == 12)
        #expect(mismatch.stderr.contains("does not match the certificate"), "\(mismatch.stderr)")
        let server = try ServeProcess(["--proto", "examples/protos/greeter.proto",
                                       "--tls-cert", directory + "/server.crt", "--tls-key", directory + "/server.key"])
        defer { server.stop() }
        let call = try CLI.run(["call", "--cacert", directory + "/ca.crt", server.address, "helloworld.Greeter/SayHello", "-d", "{}"])
        #expect(call.status == 0, "\(call.stderr)")
        let plaintext = try CLI.run(["call", "--plaintext", server.address, "helloworld.Greeter/SayHello", "-d", "{}"])
        #expect(plaintext.status != 0)
    }
}
