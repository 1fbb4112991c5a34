import Foundation
import Testing

/// The committed completion scripts and manual pages match the command tree,
/// and the scripts work in the real shells.
@Suite("completions and manual pages (built binary)")
struct DocsTests {
    static let scripts: [(shell: String, file: String)] = [
        ("bash", "polarisctl.bash"), ("zsh", "_polarisctl"), ("fish", "polarisctl.fish"),
    ]

    @Test("completion SHELL prints the committed script", arguments: scripts)
    func completionScriptIsCommitted(shell: String, file: String) throws {
        let result = try CLI.run(["completion", shell])
        #expect(result.status == 0)
        let committed = try String(contentsOfFile: CLI.root + "/completions/" + file, encoding: .utf8)
        if result.output != committed {
            Issue.record("completions/\(file) is stale: run scripts/generate-docs (\(firstDifference(committed, result.output)))")
        }
    }

    /// Where two texts first differ, for a short failure message.
    func firstDifference(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] {
            let was = i < a.count ? String(a[i]) : "(end)", now = i < b.count ? String(b[i]) : "(end)"
            return "line \(i + 1): committed \"\(was)\", now \"\(now)\""
        }
        return "same lines"
    }

    @Test("completion rejects an unknown shell")
    func unknownShell() throws {
        let result = try CLI.run(["completion", "tcsh"])
        #expect(result.status == 2)
    }

    @Test("every command has a manual page, and no page is left over")
    func everyCommandHasAPage() throws {
        let dump = try CLI.run(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let info = try #require(try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any])
        let root = try #require(info["command"] as? [String: Any])
        var expected: Set<String> = []
        func walk(_ command: [String: Any], path: [String]) {
            guard command["shouldDisplay"] as? Bool ?? true, let name = command["commandName"] as? String else { return }
            // The root's `help` is the argument parser's built-in help command; it has no page.
            if path.count == 1 && name == "help" { return }
            let path = path + [name]
            expected.insert(path.joined(separator: "-") + ".1")
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { walk(sub, path: path) }
        }
        walk(root, path: [])
        #expect(expected.isSuperset(of: ["polarisctl.1", "polarisctl-list.1", "polarisctl-completion.1"]))
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/man").filter { $0.hasSuffix(".1") })
        #expect(expected.subtracting(present).isEmpty, "missing pages: \(expected.subtracting(present).sorted())")
        #expect(present.subtracting(expected).isEmpty, "stale pages: \(present.subtracting(expected).sorted())")
    }

    @Test("a subcommand's page has its sections, flags and examples")
    func pageContents() throws {
        let page = try String(contentsOfFile: CLI.root + "/man/polarisctl-list.1", encoding: .utf8)
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(page.contains("\n.Sh \(section)\n") || page.contains("\n.Sh \"\(section)\"\n"), "no \(section)")
        }
        #expect(page.contains(".It Fl -proto Ar file\n"))
        #expect(page.contains(".Bd -literal"))
        #expect(page.contains("polarisctl list \\-\\-proto examples/protos/greeter.proto\n"))
        #expect(page.contains(".It 64+N\n"))
    }

    @Test("mandoc -T lint reports nothing", .enabled(if: RealShell.exists("mandoc")))
    func lint() throws {
        let pages = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/man")
            .filter { $0.hasSuffix(".1") }.sorted().map { "man/" + $0 }
        let result = try RealShell.run("mandoc", ["-T", "lint"] + pages)
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
    }

    // MARK: Completion in the real shells

    @Test("bash completes subcommands, flags and schema symbols", .enabled(if: RealShell.exists("bash")))
    func bash() throws {
        #expect(Set(try RealShell.bashCompletions("polarisctl ")).isSuperset(of: ["list", "describe", "encode", "decode", "completion"]))
        #expect(try RealShell.bashCompletions("polarisctl list --").contains("--proto"))
        #expect(try RealShell.bashCompletions("polarisctl completion ") == ["bash", "fish", "zsh"])
        // Dynamic: polarisctl itself loads the schema named on the command line.
        let types = try RealShell.bashCompletions("polarisctl encode --proto examples/protos/greeter.proto ")
        #expect(types.contains("helloworld.HelloRequest"))
        #expect(types.contains("helloworld.HelloReply"))
        #expect(!types.contains("helloworld.Greeter"))
        #expect(try RealShell.bashCompletions("polarisctl decode --proto examples/protos/greeter.proto helloworld.HelloReq")
            == ["helloworld.HelloRequest"])
        #expect(try RealShell.bashCompletions("polarisctl list --proto examples/protos/route_guide.proto ")
            == ["routeguide.RouteGuide"])
        let symbols = try RealShell.bashCompletions("polarisctl describe -I examples/protos --proto greeter.proto helloworld.")
        #expect(Set(symbols).isSuperset(of: ["helloworld.Greeter", "helloworld.Greeter.SayHello", "helloworld.HelloRequest"]))
        // No schema, or a broken one: nothing offered, no error shown.
        #expect(try RealShell.bashCompletions("polarisctl encode ").isEmpty)
        #expect(try RealShell.bashCompletions("polarisctl encode --proto Tests/EndToEndTests/Resources/bad_syntax.proto ").isEmpty)
    }

    @Test("bash completes call and stream methods from --proto, and by reflection from the server typed",
          .enabled(if: RealShell.exists("bash")))
    func bashMethods() throws {
        let local = try RealShell.bashCompletions("polarisctl call 127.0.0.1:1 --proto examples/protos/route_guide.proto ")
        #expect(local == ["routeguide.RouteGuide/GetFeature", "routeguide.RouteGuide/ListFeatures",
                          "routeguide.RouteGuide/RecordRoute", "routeguide.RouteGuide/RouteChat"])
        let peer = try #require(PeerServer.examples, "the Python example server did not start")
        let remote = try RealShell.bashCompletions("polarisctl stream --plaintext \(peer.address) route")
        #expect(remote.contains("routeguide.RouteGuide/RouteChat"))
        #expect(!remote.contains("helloworld.Greeter/SayHello"))  // filtered by the prefix typed
        let all = try RealShell.bashCompletions("polarisctl call --plaintext \(peer.address) ")
        #expect(all.contains("helloworld.Greeter/SayHello"))
        // Nobody listening: nothing offered, no error, no wait beyond the timeout.
        let started = Date()
        #expect(try RealShell.bashCompletions("polarisctl call --plaintext 127.0.0.1:1 ").isEmpty)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("bash completes discover's service from the registry on the line", .enabled(if: RealShell.exists("bash")))
    func bashRegistryServices() throws {
        let registry = try RegistryServer()
        defer { registry.stop() }
        for service in ["payments", "pricing", "orders"] {
            let registered = try CLI.run(["register", service, "--host", "127.0.0.1", "--port", "9001", "--once",
                                          "--registry", registry.address])
            #expect(registered.status == 0, "\(registered.stderr)")
        }
        #expect(try RealShell.bashCompletions("polarisctl discover --registry \(registry.address) p") == ["payments", "pricing"])
        #expect(try RealShell.bashCompletions("polarisctl discover --registry \(registry.address) ") == ["orders", "payments", "pricing"])
        // No registry there: nothing offered.
        #expect(try RealShell.bashCompletions("polarisctl discover --registry 127.0.0.1:1 p").isEmpty)
    }

    @Test("bash completes the address: servers called before, and polaris:// services from the registry",
          .enabled(if: RealShell.exists("bash")))
    func bashAddresses() throws {
        let peer = try #require(PeerServer.examples, "the Python example server did not start")
        let called = try CLI.run(["call", "--plaintext", peer.address, "helloworld.Greeter/SayHello", "-d", "{}"])
        #expect(called.status == 0, "\(called.stderr)")
        #expect(try RealShell.bashCompletions("polarisctl call 127.0.0.1:\(peer.port)") == [peer.address])

        let registry = try RegistryServer()
        defer { registry.stop() }
        for service in ["orders", "payments"] {
            let registered = try CLI.run(["register", service, "--host", "127.0.0.1", "--port", "9001", "--once",
                                          "--registry", registry.address])
            #expect(registered.status == 0, "\(registered.stderr)")
        }
        let services = try RealShell.bashCompletions("polarisctl call --registry \(registry.address) polaris://")
        #expect(services.contains("polaris://orders") && services.contains("polaris://payments"), "\(services)")
        let bench = try RealShell.bashCompletions("polarisctl bench --registry \(registry.address) polaris://default/o")
        #expect(bench.contains("polaris://default/orders") && !bench.contains("polaris://default/payments"), "\(bench)")
        // No registry there: the scheme alone is offered.
        #expect(try RealShell.bashCompletions("polarisctl call --registry 127.0.0.1:1 pol").contains("polaris://"))
    }

    @Test("zsh loads the script and registers it", .enabled(if: RealShell.exists("zsh")))
    func zsh() throws {
        let result = try RealShell.run("zsh", ["-f", "-c", """
            autoload -U compinit && compinit -u -D
            source completions/_polarisctl
            print -r -- $_comps[polarisctl]
            """])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "_polarisctl")
    }

    @Test("zsh completes subcommands and schema symbols", .enabled(if: RealShell.exists("zsh")))
    func zshCompletions() throws {
        #expect(try RealShell.zshCompletions("polarisctl li") == ["list"])
        #expect(try RealShell.zshCompletions("polarisctl encode --proto examples/protos/greeter.proto ")
            == ["helloworld.HelloReply", "helloworld.HelloRequest"])
        #expect(try RealShell.zshCompletions("polarisctl list --proto=examples/protos/route_guide.proto ")
            == ["routeguide.RouteGuide"])
        // Methods by reflection from the server typed on the line.
        let peer = try #require(PeerServer.examples, "the Python example server did not start")
        let methods = try RealShell.zshCompletions("polarisctl call --plaintext \(peer.address) routeguide.RouteGuide/")
        #expect(methods.contains("routeguide.RouteGuide/RouteChat"), "\(methods)")
        #expect(!methods.contains("helloworld.Greeter/SayHello"))
    }

    @Test("fish loads the script and completes with it", .enabled(if: RealShell.exists("fish")))
    func fish() throws {
        // Schema symbols are tested in `fishInteractive`: for them the script
        // reads the cursor with `commandline -C`, which fish 3 answers only in
        // an interactive session, so `complete -C` prints an error there.
        // `quiet: false` allows that error where fish also tries them.
        func complete(_ line: String, quiet: Bool = true) throws -> [String] {
            let result = try RealShell.run("fish", ["--no-config", "-c", "source completions/polarisctl.fish; complete -C'\(line)'"])
            #expect(result.status == 0, "\(result.stderr)")
            if quiet { #expect(result.stderr.isEmpty) }
            return result.output.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        }
        #expect(try complete("polarisctl l") == ["list"])
        #expect(try complete("polarisctl completion ") == ["bash", "zsh", "fish"])
        #expect(try complete("polarisctl list --pro", quiet: false) == ["--proto", "--protoset", "--protoset-out"])
    }

    @Test("fish completes schema symbols in an interactive session",
          .enabled(if: RealShell.exists("fish") && RealShell.exists("zsh")))
    func fishInteractive() throws {
        #expect(try RealShell.fishLineAfterTab("polarisctl encode --proto examples/protos/greeter.proto helloworld.HelloReq").last
            == "helloworld.HelloRequest")
        #expect(try RealShell.fishLineAfterTab("polarisctl list --proto=examples/protos/route_guide.proto routeguide.").last
            == "routeguide.RouteGuide")
        // Methods by reflection from the server typed on the line.
        let peer = try #require(PeerServer.examples, "the Python example server did not start")
        #expect(try RealShell.fishLineAfterTab("polarisctl call --plaintext \(peer.address) helloworld.Gr").last
            == "helloworld.Greeter/SayHello")
    }
}

/// Runs shells and tools from the repository root, with the built
/// `polarisctl` first on `PATH` (completion scripts call it by name).
enum RealShell {
    static let path: String = {
        let binaryDirectory = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path
        return binaryDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }()

    static func exists(_ tool: String) -> Bool {
        path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> CLI.Result {
        let process = Process()
        // A shell waiting for input that never comes must fail the test, not hang it.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "60", tool] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = path
        environment["HOME"] = NSTemporaryDirectory()
        environment["XDG_CONFIG_HOME"] = NSTemporaryDirectory()
        environment["XDG_CACHE_HOME"] = CLI.cacheDirectory
        environment["LC_ALL"] = "C"
        process.environment = environment
        // stderr goes to a file so that neither output can fill a pipe and block the child.
        let errorPath = NSTemporaryDirectory() + "polarisctl-shell-stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let errorFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errorFile
        try process.run()
        try errorFile.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? Data(contentsOf: URL(fileURLWithPath: errorPath))) ?? Data()
        return CLI.Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: errors, as: UTF8.self))
    }

    /// What zsh offers when TAB is pressed at the end of `line`: an
    /// interactive zsh on a pseudo-terminal (zpty) loads the script through
    /// compinit, `compadd` is wrapped to print every match it is given, and
    /// TAB is bound to a widget that completes and then prints a marker.
    /// Nothing is typed after TAB before the marker arrives: zsh may skip
    /// completion when more input is already waiting.
    static func zshCompletions(_ line: String) throws -> [String] {
        let script = #"""
            zmodload zsh/zpty
            zpty z zsh -f -i
            zpty -w z 'PROMPT= RPROMPT='
            zpty -w z "fpath=(${(q)PWD}/completions \$fpath); autoload -U compinit; compinit -u -D"
            zpty -w z 'compadd() {
                if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
                local -a hits; builtin compadd -A hits "$@"; local h; for h in $hits; do print -r -- "<<$h>>"; done
            }'
            zpty -w z 'complete-and-mark() { zle complete-word; print -r -- __COMPLETED__; }; zle -N complete-and-mark'
            zpty -w z "zstyle ':completion:*' menu no; bindkey '^I' complete-and-mark; print -r -- __READY__"
            while zpty -r z out; do [[ $out == *__READY__* && $out != *print* ]] && break; done
            zpty -w -n z "$1"$'\t'
            while zpty -r z out; do
                while [[ $out == *'<<'*'>>'* ]]; do
                    out=${out#*<<}
                    print -r -- "${out%%>>*}"
                    out=${out#*>>}
                done
                [[ $out == *__COMPLETED__* ]] && break
            done
            zpty -d z
            """#
        let result = try run("zsh", ["-f", "-c", script, "zsh", line])
        #expect(result.status == 0, "\(result.stderr)")
        return Array(Set(result.output.split(separator: "\n").map(String.init).filter { !$0.isEmpty })).sorted()
    }

    /// The words of the command line after TAB is pressed at the end of
    /// `line` in an interactive fish on a pseudo-terminal (driven by zsh's
    /// zpty): a single match is inserted into the line, which is then printed
    /// one word per line.
    static func fishLineAfterTab(_ line: String) throws -> [String] {
        let script = #"""
            zmodload zsh/zpty
            zpty f 'TERM=dumb fish --no-config --private -i'
            zpty -w f 'function fish_prompt; end; source completions/polarisctl.fish; echo __READY__'
            while zpty -r f out; do [[ $out == *__READY__* && $out != *echo* ]] && break; done
            zpty -w -n f "$1"$'\t'
            zpty -w -n f $'\x01'"printf '<<%s>>\\n' "$'\r'
            zpty -w f 'echo __DONE__'
            while zpty -r f out; do
                [[ $out == *__DONE__* && $out != *echo* ]] && break
                [[ $out == *'<<'*'>>'* && $out != *'%s'* ]] && print -r -- "${${out##*<<}%%>>*}"
            done
            zpty -d f
            """#
        let result = try run("zsh", ["-f", "-c", script, "zsh", line])
        #expect(result.status == 0, "\(result.stderr)")
        return result.output.split(separator: "\n").map(String.init)
    }

    /// What bash offers when TAB is pressed at the end of `line`: the
    /// completion function registered for `polarisctl` is called as bash
    /// calls it (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT), and COMPREPLY
    /// is returned sorted. `line` is split at spaces.
    static func bashCompletions(_ line: String) throws -> [String] {
        let script = #"""
            [ -f /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
            . completions/polarisctl.bash
            function=$(complete -p polarisctl | sed -E 's/.*-F ([^ ]+).*/\1/')
            COMP_LINE=$1
            COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<<"$COMP_LINE"
            [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMPREPLY=()
            "$function" polarisctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort -u
            """#
        let result = try run("bash", ["--norc", "--noprofile", "-c", script, "bash", line])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "bash printed: \(result.stderr)")
        return result.output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }
}
