public import ArgumentParser
import Foundation

/// The `polarisctl` root command: names the subcommands and nothing else.
public struct Polarisctl: AsyncParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "polarisctl",
        abstract: "Call, fake, find, load-test and secure gRPC services.",
        discussion: """
            Schemas come from .proto files (--proto), protosets (--protoset) or server \
            reflection. JSON goes in and comes out; output is pretty on a terminal and \
            compact when piped. 'polarisctl exit-codes' lists the exit codes.

            --profile NAME (anywhere on the command line, or POLARISCTL_PROFILE) fills in             defaults from a profile in ~/.config/polarisctl/config.toml (or POLARISCTL_CONFIG):             address, plaintext, insecure, cacert, cert, key, servername, authority, headers,             connect_timeout, max_time, registry, token, namespace, format, proto, import_paths,             protoset. Flags on the command line win. NO_COLOR turns colour off; -q (--quiet) \
            leaves out informational messages (files written, stubs reloaded, registrations, \
            bench's live view), keeping results, warnings and errors.
            """,
        version: version,
        subcommands: [
            Call.self,
            Stream.self,
            List.self,
            Describe.self,
            Serve.self,
            Register.self,
            Discover.self,
            Encode.self,
            Decode.self,
            BenchCommand.self,
            Certs.self,
            Cache.self,
            ExitCodes.self,
            Completion.self,
        ]
    )

    public init() {}
}

/// Entry point: parses the command line, runs the command, and turns every
/// outcome into one message on stderr and a documented exit code.
public enum PolarisMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            let arguments = try Profiles.apply(to: Quiet.take(from: arguments))
            if var call = DirectParse.quickCall(arguments) {
                try await call.run()  // known to be async: no dynamic cast (a conformance search)
            } else {
                var command = try DirectParse.command(arguments) ?? Polarisctl.parseAsRoot(arguments)
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            }
            fflush(nil)
            exit(ExitStatus.success.rawValue)
        } catch {
            fflush(nil)
            let outcome = ErrorReport.classify(error)
            if let text = outcome.text, !text.isEmpty {
                if outcome.status == .success {
                    print(text)
                    fflush(nil)
                } else {
                    Terminal.standardError(text)
                }
            }
            exit(outcome.status.rawValue)
        }
    }
}

/// `-q`/`--quiet`, accepted anywhere on the command line (before `--`): taken out
/// before parsing and passed on through the environment, so that every part of
/// the process (and nothing else) sees it.
enum Quiet {
    static func take(from arguments: [String]) -> [String] {
        let end = arguments.firstIndex(of: "--") ?? arguments.count
        guard arguments[..<end].contains(where: { $0 == "-q" || $0 == "--quiet" }) else { return arguments }
        setenv("POLARISCTL_QUIET", "1", 1)
        return arguments[..<end].filter { $0 != "-q" && $0 != "--quiet" } + arguments[end...]
    }
}

/// Start-up time: parsing the whole command tree costs the argument parser a
/// reflection walk of every subcommand (and the runtime a conformance search for
/// each new type it meets), which is most of a short `call`'s run. A command line
/// that starts with a leaf subcommand and asks for no help is parsed by that
/// subcommand alone; anything it rejects is parsed again from the root, so every
/// error, help text and completion request reads exactly as before. `call` and
/// `stream` are read first by ``QuickReader``, without reflection at all.
enum DirectParse {
    static let leaves: [String: any ParsableCommand.Type] = [
        "call": Polarisctl.Call.self, "stream": Polarisctl.Stream.self, "list": Polarisctl.List.self,
        "describe": Polarisctl.Describe.self, "serve": Polarisctl.Serve.self, "register": Polarisctl.Register.self,
        "discover": Polarisctl.Discover.self, "encode": Polarisctl.Encode.self, "decode": Polarisctl.Decode.self,
        "bench": BenchCommand.self,
    ]

    static func command(_ arguments: [String]) -> (any ParsableCommand)? {
        guard let first = arguments.first, let leaf = leaves[first], !asksForHelp(arguments) else { return nil }
        return try? leaf.parseAsRoot(Array(arguments.dropFirst()))
    }

    /// `call` or `stream` read by ``QuickReader``, or `nil` when it declines.
    static func quickCall(_ arguments: [String]) -> (any CallCommand)? {
        guard let first = arguments.first, first == "call" || first == "stream", !asksForHelp(arguments),
              let read = QuickReader.read(CallArguments.self, from: arguments.dropFirst())
        else { return nil }
        var command: any CallCommand = first == "call" ? Polarisctl.Call() : Polarisctl.Stream()
        command.arguments = read
        return command
    }

    /// Help, version and completion requests go to the argument parser from the root.
    private static func asksForHelp(_ arguments: [String]) -> Bool {
        let rest = arguments.dropFirst()
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        return rest[..<end].contains { word in
            word == "-h" || word == "--help" || word == "help" || word == "--version"
                || word.hasPrefix("--generate-completion") || word.hasPrefix("--experimental") || word.hasPrefix("---")
        }
    }
}

extension CommandConfiguration {
    /// A leaf that ``DirectParse`` parses on its own names `polarisctl` as its
    /// super command: its usage lines still read `polarisctl call …`, and the
    /// argument parser skips the completion-script check that only the root needs.
    var directlyParsed: CommandConfiguration {
        var configuration = self
        configuration._superCommandName = "polarisctl"
        return configuration
    }
}
