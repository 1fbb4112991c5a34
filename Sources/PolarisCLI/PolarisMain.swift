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
            var command = try Polarisctl.parseAsRoot(try Profiles.apply(to: Quiet.take(from: arguments)))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
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
