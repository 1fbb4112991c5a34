import ArgumentParser

extension Polarisctl {
    /// `polarisctl completion`: the shell completion script for the whole command tree.
    struct Completion: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "completion",
            abstract: "Print the shell completion script for bash, zsh or fish.",
            discussion: """
                The script completes subcommands, flags and file names, and asks \
                polarisctl itself for the message types, services and symbols of the \
                schema named by the --proto, --protoset and -I flags already on the \
                command line. The same scripts are in the repository's completions/ folder.

                Examples:
                  source <(polarisctl completion bash)
                  polarisctl completion zsh > ~/.zfunc/_polarisctl
                  polarisctl completion fish > ~/.config/fish/completions/polarisctl.fish
                """)

        @Argument(help: "The shell to print the script for.")
        var shell: Shell

        func run() throws {
            let script = Polarisctl.completionScript(for: shell.completionShell)
            print(script, terminator: script.hasSuffix("\n") ? "" : "\n")
        }
    }
}

/// The shells `polarisctl completion` writes scripts for.
enum Shell: String, ExpressibleByArgument, CaseIterable {
    case bash, zsh, fish

    var completionShell: CompletionShell {
        switch self {
        case .bash: .bash
        case .zsh: .zsh
        case .fish: .fish
        }
    }
}
