import Foundation
import Testing

/// `--codec`: the native codec (default) and libprotobuf's converter give the
/// same bytes and text from the built binary.
@Suite("--codec (built binary)")
struct CodecOptionTests {
    static let events = CLI.examples + "/events.proto"
    static let json = #"{"id":"e1","at":"2024-01-02T03:04:05.500Z","severity":"SEVERITY_ERROR","labels":{"k":"v"}}"#

    @Test("encode and decode agree between --codec native and --codec libprotobuf")
    func sameResult() throws {
        var outputs: [String: (Data, String)] = [:]
        for codec in ["native", "libprotobuf"] {
            let encoded = try CLI.run(["encode", "--proto", Self.events, "events.v1.Event", "--codec", codec, "-d", Self.json, "--hex"])
            #expect(encoded.status == 0, "\(encoded.stderr)")
            let decoded = try CLI.run(["decode", "--proto", Self.events, "events.v1.Event", "--codec", codec, "--hex", "-d", "@-",
                                       "--use-proto-names", "--emit-defaults"], stdin: Array(encoded.stdout))
            #expect(decoded.status == 0, "\(decoded.stderr)")
            outputs[codec] = (encoded.stdout, decoded.output)
        }
        #expect(outputs["native"]?.0 == outputs["libprotobuf"]?.0)
        #expect(outputs["native"]?.1 == outputs["libprotobuf"]?.1)
        #expect(outputs["native"]?.1.contains(#""severity":"SEVERITY_ERROR""#) == true)
    }

    @Test("a bad JSON value names the same path with either codec")
    func sameError() throws {
        for codec in ["native", "libprotobuf"] {
            let result = try CLI.run(["encode", "--proto", Self.events, "events.v1.Event", "--codec", codec, "-d", #"{"severity":"LOUD"}"#, "--hex"])
            #expect(result.status == 4)
            #expect(result.stderr.contains("at severity: invalid value"), "\(result.stderr)")
        }
    }

    @Test("an unknown codec is a usage error")
    func unknownCodec() throws {
        let result = try CLI.run(["encode", "--proto", Self.events, "events.v1.Event", "--codec", "fast", "-d", "{}"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--codec"), "\(result.stderr)")
    }
}
