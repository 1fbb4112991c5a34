import Foundation
import Testing

/// `stream` (and `call` on streaming methods) against an independent grpcio server.
@Suite("stream against a grpcio server (built binary)")
struct StreamCommandTests {
    let peer: PeerServer

    init() throws {
        peer = try #require(PeerServer.examples, "the Python example server did not start")
    }

    func stream(_ arguments: [String], stdin: String = "") throws -> CLI.Result {
        try CLI.run(["stream", "--plaintext", peer.address] + arguments, stdin: Array(stdin.utf8))
    }

    @Test("server streaming prints one line per message, in order")
    func serverStream() throws {
        let result = try stream(["routeguide.RouteGuide/ListFeatures", "-d", #"{"lo":{"latitude":10},"hi":{"latitude":14}}"#])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.split(separator: "\n").map(String.init) == (10...14).map {
            #"{"name":"f\#($0)","location":{"latitude":\#($0)}}"#
        })
    }

    @Test("client streaming from NDJSON, concatenated and pretty-printed values on stdin")
    func clientStream() throws {
        let input = "{\"latitude\":1}\n{\"latitude\":2}{\"latitude\":3}\n{\n  \"latitude\": 4,\n  \"longitude\": 5\n}\n"
        let result = try stream(["routeguide.RouteGuide/RecordRoute", "-d", "@-"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output == #"{"pointCount":4}"# + "\n")
    }

    @Test("--max-messages stops after N responses, cancels and exits 0")
    func maxMessages() throws {
        let result = try stream(["routeguide.RouteGuide/ListFeatures", "-d", #"{"lo":{"latitude":1},"hi":{"latitude":150000}}"#,
                                 "--max-messages", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.split(separator: "\n").count == 3)
    }

    @Test("--timestamps wraps each message with a monotonic arrival time")
    func timestamps() throws {
        let result = try stream(["routeguide.RouteGuide/RouteChat", "-d", #"{"message":"a"} {"message":"b"} {"message":"c"}"#,
                                 "--timestamps", "--send-interval", "50ms"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 3)
        var previous = -1.0
        for (line, text) in zip(lines, ["a", "b", "c"]) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect((object?["message"] as? [String: Any])?["message"] as? String == text)
            #expect((object?["time"] as? String)?.hasSuffix("Z") == true)
            let elapsed = Double((object?["elapsed"] as? String)?.dropLast() ?? "") ?? -1
            #expect(elapsed >= previous)
            previous = elapsed
        }
        // Paced: three sends at least 50 ms apart take at least 100 ms between first and last.
        #expect(previous >= 0.1)
    }

    @Test("--envelope prints headers, messages, trailers and status in one document")
    func envelope() throws {
        let result = try stream(["routeguide.RouteGuide/ListFeatures", "-d", #"{"lo":{"latitude":1},"hi":{"latitude":2}}"#,
                                 "--envelope", "-H", "x-k: v"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        #expect((object?["messages"] as? [Any])?.count == 2)
        #expect((object?["status"] as? [String: Any])?["codeName"] as? String == "OK")
        #expect(object?["headers"] is [String: Any])
        #expect(object?["trailers"] is [String: Any])
        let failed = try CLI.run(["call", "--plaintext", peer.address, "helloworld.Greeter/SayHello",
                                  "-d", #"{"name":"error:ABORTED:stop"}"#, "--envelope"])
        #expect(failed.status == 64 + 10)
        let status = (try JSONSerialization.jsonObject(with: failed.stdout) as? [String: Any])?["status"] as? [String: Any]
        #expect(status?["message"] as? String == "stop")
    }

    @Test("a bad message mid-stream names its ordinal and line and exits 4")
    func badMessage() throws {
        let result = try stream(["routeguide.RouteGuide/RecordRoute", "-d", "@-"],
                                stdin: "{\"latitude\":1}\n{\"latitude\":2}\n{\"latitude\":\"north\"}\n{\"latitude\":4}\n")
        #expect(result.status == 4)
        #expect(result.stderr.contains("request 3 (line 3): invalid JSON for routeguide.Point at latitude"))
        #expect(result.stdout.isEmpty)
    }

    @Test("input that ends inside a value is an input error")
    func truncatedInput() throws {
        let result = try stream(["routeguide.RouteGuide/RecordRoute", "-d", "@-"], stdin: "{\"latitude\":1}\n{\"latitude\":")
        #expect(result.status == 4)
        #expect(result.stderr.contains("the JSON value starting on line 2 is not complete"))
    }

    @Test("SIGINT cancels the call and exits with CANCELLED (65)")
    func interrupt() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["stream", "--plaintext", peer.address, "routeguide.RouteGuide/RouteChat",
                             "-d", #"{"message":"x"}"#, "--half-close", "never"]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Wait for the echoed message: the call is then certainly running.
        let first = output.fileHandleForReading.readData(ofLength: 16)
        #expect(String(decoding: first, as: UTF8.self).hasPrefix(#"{"message":"x"}"#))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 65)
        let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("CANCELLED"))
    }
    @Test("--format text prints protobuf text format, messages separated by a blank line, stamped in comments")
    func textFormat() throws {
        let range = #"{"lo":{"latitude":10},"hi":{"latitude":11}}"#
        let plain = try stream(["routeguide.RouteGuide/ListFeatures", "-d", range, "--format", "text"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.output == "name: \"f10\"\nlocation {\n  latitude: 10\n}\n\nname: \"f11\"\nlocation {\n  latitude: 11\n}\n")

        let stamped = try stream(["routeguide.RouteGuide/ListFeatures", "-d", range, "--format", "text", "--timestamps"])
        #expect(stamped.status == 0, "\(stamped.stderr)")
        let comments = stamped.output.split(separator: "\n").filter { $0.hasPrefix("# time: ") }
        #expect(comments.count == 2)
        #expect(comments.allSatisfy { $0.contains("Z elapsed: ") })

        let envelope = try stream(["routeguide.RouteGuide/ListFeatures", "-d", range, "--format", "text", "--envelope"])
        #expect(envelope.status == 2)
        #expect(envelope.stderr.contains("--format text"))
    }

    @Test("a deadline that expires mid-stream keeps what arrived and exits with DEADLINE_EXCEEDED (68)")
    func deadlineMidStream() throws {
        let started = Date()
        let result = try stream(["routeguide.RouteGuide/RouteChat", "-d", #"{"message":"early"}"#,
                                 "--half-close", "never", "--max-time", "0.5"])
        #expect(result.status == 68, "\(result.stderr)")
        #expect(result.output == #"{"message":"early"}"# + "\n")
        #expect(result.stderr.contains("DEADLINE_EXCEEDED"))
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("100,000 messages through a client stream from a file, all counted by the server")
    func manyMessages() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polarisctl-many-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("points.ndjson")
        var text = ""
        text.reserveCapacity(100_000 * 32)
        for index in 0..<100_000 { text += "{\"latitude\":\(index),\"longitude\":\(index % 7)}\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try measured(["routeguide.RouteGuide/RecordRoute", "-d", "@" + file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output == #"{"pointCount":100000}"# + "\n")
        #expect(result.peakKilobytes > 0 && result.peakKilobytes < 100 * 1024, "peak RSS \(result.peakKilobytes) KiB")
    }

    @Test("100,000 messages from a server stream, every one printed, with a memory ceiling")
    func manyResponses() throws {
        let result = try measured(["routeguide.RouteGuide/ListFeatures", "-d", #"{"lo":{"latitude":1},"hi":{"latitude":100000}}"#])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 100_000)
        #expect(lines.last == #"{"name":"f100000","location":{"latitude":100000}}"#)
        #expect(result.peakKilobytes > 0 && result.peakKilobytes < 100 * 1024, "peak RSS \(result.peakKilobytes) KiB")
    }

    @Test("--half-close never leaves a server that answers on half-close waiting; auto gets its answer")
    func halfCloseNever() throws {
        let points = #"{"latitude":1} {"latitude":2}"#
        let never = try stream(["routeguide.RouteGuide/RecordRoute", "-d", points, "--half-close", "never", "--max-time", "1"])
        #expect(never.status == 68, "\(never.stderr)")
        #expect(never.stdout.isEmpty)
        let auto = try stream(["routeguide.RouteGuide/RecordRoute", "-d", points])
        #expect(auto.status == 0, "\(auto.stderr)")
        #expect(auto.output == #"{"pointCount":2}"# + "\n")
    }

    @Test("stdin closed before any value: the send side closes at once and the answers still come")
    func stdinClosedEarly() throws {
        let summary = try stream(["routeguide.RouteGuide/RecordRoute", "-d", "@-"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.output == "{}\n")
        let chat = try stream(["routeguide.RouteGuide/RouteChat", "-d", "@-"])
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stdout.isEmpty)
    }

    @Test("a message of the wrong type mid-stream names its ordinal, line and field")
    func wrongType() throws {
        let result = try stream(["routeguide.RouteGuide/RouteChat", "-d", "@-"],
                                stdin: "{\"message\":\"a\"}\n{\"latitude\":3}\n")
        #expect(result.status == 4)
        #expect(result.stderr.contains("request 2 (line 2)"), "\(result.stderr)")
        #expect(result.stderr.contains("latitude"), "\(result.stderr)")
    }

    /// The streams.Streams peer (Tests/Peers/python/stream_server.py), one per test.
    func streamsPeer() throws -> PeerServer { try PeerServer(script: "stream_server.py") }
    let streamsProto = CLI.resources + "/streams.proto"

    @Test("the server ending with an error after some messages: every message printed, then the status (exit 64+15)")
    func errorAfterMessages() throws {
        let server = try streamsPeer()
        defer { server.stop() }
        let result = try CLI.run(["stream", "--plaintext", server.address, "streams.Streams/Download", "--proto", streamsProto,
                                  "-d", #"{"count":10,"size":2,"failAfter":4}"#])
        #expect(result.status == 64 + 15, "\(result.stderr)")
        #expect(result.output.split(separator: "\n").count == 4)
        #expect(result.output.hasSuffix(#"{"index":"3","data":"AAc="}"# + "\n"))
        #expect(result.stderr.contains("DATA_LOSS: stopped after 4 chunks"))
    }

    @Test("the server closing the connection mid-stream: what arrived is printed, then UNAVAILABLE (exit 64+14)")
    func connectionClosedMidStream() throws {
        let server = try streamsPeer()
        defer { server.stop() }
        let result = try CLI.run(["stream", "--plaintext", server.address, "streams.Streams/Download", "--proto", streamsProto,
                                  "-d", #"{"count":10,"size":1,"dieAfter":3}"#, "--max-time", "20"])
        #expect(result.status == 64 + 14, "\(result.stderr)")
        #expect(result.output.split(separator: "\n").count == 3)
        #expect(result.stderr.contains("UNAVAILABLE"), "\(result.stderr)")
    }

    @Test("1 GiB of NDJSON through a client stream keeps the process under 100 MiB")
    func gigabyteUpload() throws {
        let server = try streamsPeer()
        defer { server.stop() }
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/chunks.ndjson"
        FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let data = Data(repeating: 0x5A, count: 786_432).base64EncodedString()  // 1 MiB of base64 per line
        for index in 0..<1024 { file.write(Data(#"{"index":\#(index),"data":"\#(data)"}"#.utf8 + [0x0a])) }
        try file.close()
        let result = try measured(["streams.Streams/Upload", "--proto", streamsProto, "-d", "@" + path], at: server.address)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output == #"{"messages":"1024","bytes":"805306368"}"# + "\n")
        #expect(result.peakKilobytes > 0 && result.peakKilobytes < 100 * 1024, "peak RSS \(result.peakKilobytes) KiB")
    }

    @Test("a long server stream into a slow pipe keeps the process under 100 MiB and loses nothing")
    func slowPipe() throws {
        let server = try streamsPeer()
        defer { server.stop() }
        // 300 MB of answers, read by a consumer that takes 64 KiB every 2 ms.
        let script = """
            /usr/bin/time -f 'peak-rss-kb %M' -o "$1" "$2" stream --plaintext "$3" streams.Streams/Download --proto "$4" \
              -d '{"count":300,"size":1000000}' | python3 -c '
            import sys, time
            lines = size = 0
            while True:
                block = sys.stdin.buffer.read(65536)
                if not block: break
                lines += block.count(b"\\n"); size += len(block); time.sleep(0.002)
            print(lines, size)'
            exit ${PIPESTATUS[0]}
            """
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let timeFile = directory + "/time"
        let result = try CLI.run(["-c", script, "slow-pipe", timeFile, CLI.binary, server.address, streamsProto],
                                 executable: "/bin/bash")
        #expect(result.status == 0, "\(result.stderr)")
        let counts = result.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        #expect(counts.first == 300)
        #expect((counts.last ?? 0) > 300 * 1_333_000)
        let peak = (try? String(contentsOfFile: timeFile, encoding: .utf8))?.split(separator: "\n")
            .last { $0.hasPrefix("peak-rss-kb ") }.flatMap { Int($0.dropFirst("peak-rss-kb ".count)) } ?? -1
        #expect(peak > 0 && peak < 100 * 1024, "peak RSS \(peak) KiB")
    }

    /// `stream` run under /usr/bin/time: the result and the process's peak resident size.
    func measured(_ arguments: [String], at address: String? = nil) throws -> (status: Int32, output: String, stderr: String, peakKilobytes: Int) {
        let result = try CLI.run(["-f", "peak-rss-kb %M", CLI.binary, "stream", "--plaintext", address ?? peer.address] + arguments,
                                 executable: "/usr/bin/time")
        let peak = result.stderr.split(separator: "\n").last { $0.hasPrefix("peak-rss-kb ") }
            .flatMap { Int($0.dropFirst("peak-rss-kb ".count)) } ?? -1
        return (result.status, result.output, result.stderr, peak)
    }
    @Test("interactive bidi on a terminal: each typed line is sent at once and its answer shown before the next is typed")
    func interactiveTerminal() throws {
        let result = try CLI.run(
            [CLI.root + "/Tests/Peers/python/pty_drive.py",
             "--send", #"{"message":"one"}"#, "--expect", #""message": "one""#,
             "--send", #"{"message":"two"}"#, "--expect", #""message": "two""#,
             "--", CLI.binary, "stream", "--plaintext", peer.address, "routeguide.RouteGuide/RouteChat", "-d", "@-"],
            environment: ["NO_COLOR": "1"], executable: "/usr/bin/python3")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.output)")
        #expect(report["timeout"] as? Bool == false, "\(report)")
        #expect((report["steps"] as? [Any])?.count == 2)
        #expect(report["status"] as? Int == 0, "\(report)")
        // Pretty JSON on the terminal, the answers in the order typed.
        let output = report["output"] as? String ?? ""
        let one = try #require(output.range(of: "\"message\": \"one\""))
        let two = try #require(output.range(of: "\"message\": \"two\""))
        #expect(one.lowerBound < two.lowerBound)
    }
}
