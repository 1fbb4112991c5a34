import Foundation
import Testing

/// Config profiles (`--profile`, `POLARISCTL_PROFILE`, `default_profile`) and
/// their precedence, through the built binary.
@Suite("config profiles (built binary)")
struct ProfileTests {
    func config(_ text: String) throws -> (directory: String, environment: [String: String]) {
        let directory = try CLI.temporaryDirectory()
        try CLI.write(text, to: directory + "/config.toml")
        return (directory, ["POLARISCTL_CONFIG": directory + "/config.toml", "POLARISCTL_PROFILE": ""])
    }

    @Test("a profile supplies the address, plaintext and headers; flags on the command line win")
    func call() throws {
        let peer = try #require(PeerServer.examples, "the Python example server did not start")
        let (directory, environment) = try config("""
            # profiles for the tests
            [profiles.local]
            address = "\(peer.address)"
            plaintext = true
            headers = ["x-from-profile: yes"]
            format = "json"
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLI.run(["call", "--profile", "local", "helloworld.Greeter/SayHello", "-d", #"{"name":"p"}"#, "-v",
                                  "-H", "x-from-flag: 1", "--format", "ndjson"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output == #"{"message":"Hello p"}"# + "\n")  // --format on the line beats the profile's json
        // The example server returns x- metadata as headers: both the profile's and the flag's arrived.
        #expect(result.stderr.contains("x-from-profile: yes"), "\(result.stderr)")
        #expect(result.stderr.contains("x-from-flag: 1"))

        // The same profile by environment variable, and an explicit address beats the profile's.
        var byEnvironment = environment
        byEnvironment["POLARISCTL_PROFILE"] = "local"
        let explicit = try CLI.run(["call", "127.0.0.1:1", "helloworld.Greeter/SayHello"], environment: byEnvironment)
        #expect(explicit.status == 5, "\(explicit.stderr)")
        #expect(explicit.stderr.contains("127.0.0.1:1"))
        // Commands without a flag are not given it: decode has no --plaintext or -H.
        let decode = try CLI.run(["decode", "--proto", CLI.examples + "/greeter.proto", "helloworld.HelloRequest", "--hex",
                                  "-d", "0a0178"], environment: byEnvironment)
        #expect(decode.status == 0, "\(decode.stderr)")
        #expect(decode.output == "{\n  \"name\": \"x\"\n}\n")  // but it is given format = "json"
    }

    @Test("a value goes only to a flag that takes one: registry fills discover's --registry ADDR, not serve's --registry switch")
    func flagShapes() throws {
        let (directory, environment) = try config("""
            [profiles.remote]
            registry = "127.0.0.1:1"
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var chosen = environment
        chosen["POLARISCTL_PROFILE"] = "remote"
        let discover = try CLI.run(["discover", "--services"], environment: chosen)
        #expect(discover.status == 5, "\(discover.stderr)")
        #expect(discover.stderr.contains("127.0.0.1:1"), "\(discover.stderr)")
        let serve = try CLI.run(["serve", "--registry", "--listen", "not an address"], environment: chosen)
        #expect(serve.status == 2, "\(serve.stderr)")
        #expect(!serve.stderr.contains("127.0.0.1:1"), "\(serve.stderr)")
    }

    @Test("default_profile applies without --profile")
    func defaultProfile() throws {
        let (directory, environment) = try config("""
            default_profile = "pretty"
            [profiles.pretty]
            format = "json"
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLI.run(["decode", "--proto", CLI.examples + "/greeter.proto", "helloworld.HelloRequest", "--hex",
                                  "-d", "0a0178"], environment: environment)
        #expect(result.output == "{\n  \"name\": \"x\"\n}\n")
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var message: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "unknown key", text: "[profiles.a]\nadress = \"x:1\"\n", message: "config.toml:2:1: unknown key adress"),
        Bad(name: "unterminated string", text: "[profiles.a]\ncacert = \"ca.pem\n", message: "config.toml:2:10: unterminated string"),
        Bad(name: "wrong type", text: "[profiles.a]\nplaintext = \"yes\"\n", message: "config.toml:2:13: plaintext must be true or false"),
        Bad(name: "bare word", text: "[profiles.a]\nformat = json\n", message: "config.toml:2:10: json is not a string"),
        Bad(name: "key outside a profile", text: "cacert = \"x\"\n", message: "config.toml:1:1: cacert must be inside a [profiles.NAME] table"),
        Bad(name: "unknown table", text: "[profile]\n", message: "config.toml:1:1: unknown table [profile]"),
        Bad(name: "unknown profile", text: "[profiles.a]\n", message: "no profile \"b\" (profiles: a)"),
    ]

    @Test("config errors name the file, line and column and exit 2", arguments: bad)
    func errors(_ bad: Bad) throws {
        let (directory, environment) = try config(bad.text)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLI.run(["exit-codes", "--profile", "b"], environment: environment)
        if bad.name == "unknown profile" {
            #expect(result.status == 2)
            #expect(result.stderr.contains(bad.message), "\(result.stderr)")
            return
        }
        let any = try CLI.run(["exit-codes", "--profile", "a"], environment: environment)
        #expect(any.status == 2, "\(any.stderr)")
        #expect(any.stderr.contains(bad.message), "\(any.stderr)")
        #expect(any.stderr.split(separator: "\n").count == 1)
    }

    @Test("--profile with no config file is a usage error naming the path")
    func missingFile() throws {
        let result = try CLI.run(["exit-codes", "--profile", "x"],
                                 environment: ["POLARISCTL_CONFIG": "/nonexistent/polarisctl.toml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/polarisctl.toml"))
    }
}
