import Foundation
import Testing

@testable import PolarisCLI

/// `call` and `stream` are read by ``QuickReader`` unless it declines; these tests
/// hold it to the argument parser: the same names, and the same values for every
/// option, default and command line it accepts.
@Suite struct QuickParseTests {
    static let address = "127.0.0.1:50051"
    static let method = "helloworld.Greeter/SayHello"

    /// The argument parser's reading of a `call` command line.
    static func parsed(_ arguments: [String]) -> CallArguments? {
        (try? Polarisctl.Call.parseAsRoot(arguments) as? Polarisctl.Call)?.arguments
    }

    /// Every value a parsed `CallArguments` holds, by property path (the values
    /// inside the argument parser's property wrappers, groups included).
    static func values(_ arguments: CallArguments) -> [String: String] {
        var out: [String: String] = [:]
        collect(arguments, path: "", into: &out)
        return out
    }

    private static func collect(_ subject: Any, path: String, into out: inout [String: String]) {
        let mirror = Mirror(reflecting: subject)
        if path.hasSuffix("._parsedValue") {
            // A wrapper's state: `.value(v)` once set or parsed, `.definition` before.
            guard let set = mirror.children.first, set.label == "value" else {
                out[path] = "<unset>"
                return
            }
            collect(set.value, path: path + ".value", into: &out)
        } else if mirror.displayStyle == .struct, !mirror.children.isEmpty {
            for child in mirror.children {
                collect(child.value, path: path + "." + (child.label ?? "?"), into: &out)
            }
        } else if path.contains("._parsedValue") {
            out[path] = String(reflecting: subject)
        }
    }

    /// The argument parser's own list of `call`'s arguments (its help dump).
    static func parserArguments() throws -> [[String: Any]] {
        let dump = try JSONSerialization.jsonObject(with: Data(Polarisctl.Call._dumpHelp().utf8)) as? [String: Any]
        let command = try #require(dump?["command"] as? [String: Any])
        return try #require(command["arguments"] as? [[String: Any]])
    }

    @Test func declaresWhatTheParserDeclares() throws {
        var expected: [QuickReader.Declaration] = []
        var positionals = 0
        for argument in try Self.parserArguments() {
            let names = (argument["names"] as? [[String: String]]) ?? []
            let long = names.first { $0["kind"] == "long" }?["name"]
            let short = names.first { $0["kind"] == "short" }?["name"]
            guard long != "help", long != "version" else { continue }  // the parser's own
            switch argument["kind"] as? String {
            case "positional":
                positionals += 1
            case "flag":
                expected.append(.init(long: try #require(long), short: short?.first, kind: .flag))
            default:
                let repeating = argument["isRepeating"] as? Bool ?? false
                expected.append(.init(long: try #require(long), short: short?.first, kind: repeating ? .repeated : .single))
            }
        }
        let declared = QuickReader.declared(by: CallArguments.self)
        #expect(declared.positionals == positionals)
        #expect(declared.options.map(\.long).sorted() == expected.map(\.long).sorted())
        for option in expected {
            #expect(declared.options.first { $0.long == option.long } == option, "--\(option.long)")
        }
    }

    /// Values to try for each option: whichever the argument parser accepts must
    /// be read alike; whichever it rejects, the quick reader must decline.
    static let candidates = ["7", "2.5", "false", "libprotobuf", "round-robin", "text", "never", "x-a: 1", ""]

    /// Reads `line` both ways and compares; returns whether the argument parser accepted it.
    @discardableResult
    static func assertSame(_ line: [String], expectQuick: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let quick = QuickReader.read(CallArguments.self, from: line)
        let parser = parsed(line)
        if let expectQuick {
            #expect((quick != nil) == expectQuick, "quick reading of \(line)", sourceLocation: sourceLocation)
        }
        guard let quick else { return parser != nil }  // declined: the parser reads it
        guard let parser else {
            Issue.record("the quick reader accepted \(line), which the argument parser rejects", sourceLocation: sourceLocation)
            return false
        }
        let (a, b) = (values(quick), values(parser))
        #expect(!a.isEmpty && !a.values.contains("<unset>"), "\(line): \(a)", sourceLocation: sourceLocation)
        for key in Set(a.keys).union(b.keys) where a[key] != b[key] {
            Issue.record("\(line): \(key) is \(a[key] ?? "nil") quickly, \(b[key] ?? "nil") by the parser",
                         sourceLocation: sourceLocation)
        }
        return true
    }

    @Test func defaultsMatch() {
        Self.assertSame([Self.address, Self.method], expectQuick: true)
    }

    @Test func everyOptionReadsAlike() {
        var accepted = 0
        for option in QuickReader.declared(by: CallArguments.self).options {
            let spellings = ["--" + option.long] + (option.short.map { ["-" + String($0)] } ?? [])
            for spelling in spellings {
                switch option.kind {
                case .flag:
                    Self.assertSame([Self.address, Self.method, spelling], expectQuick: true)
                    Self.assertSame([spelling, Self.address, Self.method], expectQuick: true)
                case .single, .repeated:
                    var good: String?
                    for value in Self.candidates where Self.assertSame([Self.address, spelling, value, Self.method]) {
                        accepted += 1
                        good = good ?? value
                    }
                    if spelling.hasPrefix("--") { Self.assertSame([Self.address, Self.method, spelling + "=" + (good ?? "7")]) }
                    if option.kind == .repeated, let good {
                        Self.assertSame([Self.address, Self.method, spelling, good, spelling, good], expectQuick: true)
                    }
                }
            }
        }
        #expect(accepted > 50)  // the candidates do exercise the options
    }

    @Test func typicalLinesAreReadQuickly() {
        let lines: [[String]] = [
            ["--plaintext", Self.address, Self.method, "-d", "{\"name\":\"x\"}"],
            [Self.address, Self.method, "--proto", "a.proto", "-I", "protos", "-H", "x-a: 1", "-H", "x-b: 2", "-v"],
            [Self.address, Self.method, "--max-time", "1.5", "--format", "text", "--emit-defaults", "-o", "out.json"],
            [Self.address, Self.method, "--data=@-", "--half-close", "never", "--max-messages", "3", "--timestamps"],
            ["--plaintext", Self.address, Self.method, "--use-reflection=false", "--protoset", "a.pb", "--codec", "libprotobuf"],
            [Self.address, Self.method, "--lb", "ring-hash", "--hash-key", "user-1", "--registry", "127.0.0.1:9"],
            [Self.address, Self.method, "-d", ""],
            ["-d", "{}", "-H", "x-a: 1", Self.address, "-v", Self.method],  // values before and between positionals
        ]
        for line in lines { Self.assertSame(line, expectQuick: true) }
    }

    @Test func declinesWhatItIsNotSureOf() {
        let lines: [[String]] = [
            [Self.address, Self.method, "--", "-d"],            // terminator
            [Self.address, Self.method, "-vd", "{}"],           // grouped short names
            [Self.address, Self.method, "--data", "{}", "--data", "{}"],  // a single value twice
            [Self.address, Self.method, "--plaintext", "--plaintext"],    // a flag twice
            [Self.address, Self.method, "--max-time", "-1"],    // a value that looks like an option
            [Self.address, Self.method, "--no-such-flag"],      // unknown
            [Self.address, Self.method, "--plaintext=yes"],     // a flag with a value
            [Self.address],                                     // a positional missing
            [Self.address, Self.method, "extra"],               // one too many
            [Self.address, Self.method, "--max-time", "soon"],  // does not convert
            [Self.address, Self.method, "--plaintext", "--insecure"],  // fails validate()
            [Self.address, Self.method, "--format", "text", "--envelope"],  // fails the command's validate()
            [Self.address, Self.method, "-d"],                  // value missing
            [Self.address, Self.method, "--data", "--plaintext"],  // a flag where a value should be
            ["-", Self.address, Self.method],                   // a lone dash
        ]
        for line in lines { Self.assertSame(line, expectQuick: false) }
    }

    @Test func streamIsReadQuicklyToo() throws {
        let command = try #require(DirectParse.quickCall(["stream", Self.address, Self.method, "-d", "{}"]))
        #expect(command is Polarisctl.Stream)
        #expect(command.arguments.data == "{}")
        #expect(DirectParse.quickCall(["call", Self.address, Self.method, "--help"]) == nil)
        #expect(DirectParse.quickCall(["list", Self.address]) == nil)
    }
}
