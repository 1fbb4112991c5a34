import ArgumentParser
import Foundation
import NIOCore
import Registry
import SwiftProtobuf
import WireProtos
import Schema

extension CompletionKind {
    /// Completes the fully qualified message types of the schema on the command line.
    static var protoMessages: CompletionKind {
        .custom { words, index, _ in SchemaCompletion.candidates([.messages], words: words, completing: index) }
    }

    /// Completes the fully qualified service names of the schema on the command line.
    static var protoServices: CompletionKind {
        .custom { words, index, _ in SchemaCompletion.candidates([.services], words: words, completing: index) }
    }

    /// Completes `pkg.Service/Method` for `call`, `stream` and `bench`: from the
    /// schema flags on the line, else by reflection from the server typed before
    /// it (a short timeout; nothing when the server cannot be asked).
    static var rpcMethods: CompletionKind {
        .custom { words, index, _ in MethodCompletion.candidates(words: words, completing: index) }
    }

    /// Completes a server address: servers called before (the reflection cache's
    /// entries) and, for a word on its way to `polaris://`, the services of the
    /// registry on the command line (`--registry`, default 127.0.0.1:8091).
    static var serverAddresses: CompletionKind {
        .custom { words, index, _ in AddressCompletion.candidates(words: words, completing: index) }
    }

    /// Completes the service names the registry on the command line (`--registry`,
    /// default 127.0.0.1:8091) knows in the namespace given (`--namespace`).
    static var registryServices: CompletionKind {
        .custom { words, index, _ in RegistryCompletion.services(words: words, completing: index) }
    }

    /// Completes every symbol `describe` accepts: services, methods, messages and enums.
    static var protoSymbols: CompletionKind {
        .custom { words, index, _ in
            SchemaCompletion.candidates([.services, .methods, .messages, .enums], words: words, completing: index)
        }
    }
}

/// Dynamic completion of schema symbols.
///
/// When the user presses TAB, the completion script runs `polarisctl` again
/// with the words typed so far. This reads the schema flags among those words
/// (`--proto`, `--protoset`, `-I`/`--import-path`, in any of their spellings),
/// loads the schema as the command itself would, and offers its names. Any
/// failure (no schema flag, a missing file, a syntax error) offers nothing:
/// completion never prints an error or blocks the shell.
enum SchemaCompletion {
    /// The kinds of names to offer.
    struct Kinds: OptionSet {
        let rawValue: Int
        static let services = Kinds(rawValue: 1 << 0)
        static let methods = Kinds(rawValue: 1 << 1)
        static let messages = Kinds(rawValue: 1 << 2)
        static let enums = Kinds(rawValue: 1 << 3)
    }

    /// The sorted names of `kinds` in the schema that `words` name; the word
    /// at `index` (the one being completed) is not read as a flag value.
    static func candidates(_ kinds: Kinds, words: [String], completing index: Int) -> [String] {
        guard let pool = localPool(words: words, completing: index) else { return [] }
        var names: [String] = []
        if kinds.contains(.services) { names += pool.services.map(\.name) }
        if kinds.contains(.methods) { names += pool.services.flatMap { $0.methods.map(\.fullName) } }
        if kinds.contains(.messages) { names += pool.messageNames }
        if kinds.contains(.enums) { names += pool.enumNames }
        return Array(Set(names)).sorted()
    }

    /// The schema the schema flags among `words` name, if any loads.
    static func localPool(words: [String], completing index: Int) -> SchemaPool? {
        let arguments = schemaArguments(in: words, completing: index)
        guard !arguments.isEmpty, let options = try? SchemaOptions.parse(arguments) else { return nil }
        return try? options.load()
    }

    /// The schema flags among `words`, rewritten as `--flag value` pairs that
    /// ``SchemaOptions`` parses. When both `.proto` files and protosets are
    /// given (an error for the command), the `.proto` files win.
    static func schemaArguments(in words: [String], completing index: Int) -> [String] {
        var protoFiles: [String] = [], importPaths: [String] = [], protosets: [String] = []
        for (flag, value) in flags(in: words, completing: index, taking: ["--proto", "--protoset", "-I", "--import-path"]) {
            guard let value, !value.isEmpty else { continue }
            switch flag {
            case "--proto": protoFiles.append(value)
            case "--protoset": protosets.append(value)
            default: importPaths.append(value)
            }
        }
        if !protoFiles.isEmpty {
            return protoFiles.flatMap { ["--proto", $0] } + importPaths.flatMap { ["--import-path", $0] }
        }
        return protosets.flatMap { ["--protoset", $0] }
    }

    /// The occurrences of `valueFlags` (each with its value, unquoted) and of
    /// `switches` (with no value) among `words`, in any spelling: `--flag v`,
    /// `--flag=v` (also split by bash into `--flag`, `=`, `v`), `-Iv`. The word
    /// being completed is unfinished and never read as a flag or a value.
    static func flags(in words: [String], completing index: Int, taking valueFlags: Set<String>,
                      switches: Set<String> = []) -> [(flag: String, value: String?)] {
        var found: [(flag: String, value: String?)] = []
        var i = 0
        while i < words.count, words[i] != "--" {
            let word = words[i]
            var flag = word, value: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                flag = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            } else if word.count > 2, !word.hasPrefix("--"), let short = valueFlags.first(where: { $0.count == 2 && word.hasPrefix($0) }) {
                flag = short
                value = String(word.dropFirst(2))
            }
            i += 1
            guard i - 1 != index else { continue }
            if switches.contains(flag) {
                found.append((flag, nil))
                continue
            }
            guard valueFlags.contains(flag) else { continue }
            if value == nil {
                if i < words.count, words[i] == "=" { i += 1 }
                if i < words.count, i != index {
                    value = words[i]
                    i += 1
                }
            }
            found.append((flag, value.map(unquote)))
        }
        return found
    }

    /// A shell word as the shell would pass it to a program: quotes removed,
    /// backslash escapes resolved, a leading `~` expanded. Words reach the
    /// completion function verbatim, as typed.
    static func unquote(_ word: String) -> String {
        var result = ""
        var quote: Character?
        var escaped = false
        for c in word {
            if escaped {
                if quote == "\"" && !"\"\\$`".contains(c) { result.append("\\") }
                result.append(c)
                escaped = false
            } else if c == "\\" && quote != "'" {
                escaped = true
            } else if let open = quote {
                if c == open { quote = nil } else { result.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
            } else {
                result.append(c)
            }
        }
        if result == "~" || result.hasPrefix("~/"), let home = Environment["HOME"] {
            result = home + result.dropFirst()
        }
        return result
    }
}

/// Dynamic completion of method names, locally or by server reflection.
enum MethodCompletion {
    /// How long a TAB may wait for a server's reflection answer.
    static let reflectionTimeout = 3.0

    static func candidates(words: [String], completing index: Int) -> [String] {
        if let pool = SchemaCompletion.localPool(words: words, completing: index) {
            return names(in: pool)
        }
        guard let address = address(in: words, completing: index) else { return [] }
        var arguments = ["--connect-timeout", "2"]
        let connectionFlags = SchemaCompletion.flags(
            in: words, completing: index,
            taking: ["--cacert", "--cert", "--key", "--servername", "--authority", "-H", "--header", "--reflect-header"],
            switches: ["--plaintext", "--insecure"])
        for (flag, value) in connectionFlags { arguments += [flag] + (value.map { [$0] } ?? []) }
        guard let options = try? ConnectionOptions.parse(arguments), let noSchema = try? SchemaOptions.parse([]) else {
            return []
        }
        return Blocking.run(timeout: reflectionTimeout) {
            // No symbols: every service the server lists (one connection, the reflection cache if it holds them).
            let session = try await RemoteSession.open(
                address: address, connection: options, schema: noSchema, symbols: [], useReflection: true)
            await session.close()
            return names(in: session.pool)
        } ?? []
    }

    /// `pkg.Service/Method` for every method in the pool, sorted.
    static func names(in pool: SchemaPool) -> [String] {
        pool.services.flatMap { service in service.methods.map { "\(service.name)/\($0.name)" } }.sorted()
    }

    /// The first word that names a server (header values, which hold colons too, are
    /// skipped). Shells pass the words with or without the program and subcommand.
    static func address(in words: [String], completing index: Int) -> String? {
        let headerFlags: Set<String> = ["-H", "--header", "--rpc-header", "--reflect-header"]
        var previous = ""
        for (position, word) in words.enumerated() {
            defer { previous = word }
            guard position != index, !word.hasPrefix("-"), !headerFlags.contains(previous) else { continue }
            let text = SchemaCompletion.unquote(word)
            if looksLikeAddress(text) { return text }
        }
        return nil
    }
}

/// Runs async work from synchronous code (completion callbacks), giving up
/// after a timeout.
enum Blocking {
    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    static func run<T>(timeout seconds: Double, _ work: @escaping @Sendable () async throws -> T) -> T? {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let task = Task.detached {
            box.value = try? await work()
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else {
            task.cancel()
            return nil
        }
        return box.value
    }
}

/// Dynamic completion of service names from a registry (a short timeout;
/// nothing when the registry cannot be asked).
enum RegistryCompletion {
    static func services(words: [String], completing index: Int) -> [String] {
        var registry = "127.0.0.1:8091", namespace = "default", token: String?
        for (flag, value) in SchemaCompletion.flags(in: words, completing: index, taking: ["--registry", "--namespace", "--token"]) {
            guard let value, !value.isEmpty else { continue }
            switch flag {
            case "--registry": registry = value
            case "--namespace": namespace = value
            default: token = value
            }
        }
        return services(registry: registry, namespace: namespace, token: token)
    }

    static func services(registry: String, namespace: String, token: String?) -> [String] {
        guard let address = try? RegistryOptions.address(registry, flag: "--registry") else { return [] }
        let (space, secret) = (namespace, token)
        return Blocking.run(timeout: MethodCompletion.reflectionTimeout) {
            let client = RegistryClient(address: address, token: secret, connectTimeout: .seconds(2))
            defer { Task { await client.close() } }
            let response = try await client.discoverServices(namespace: space)
            return response.services.map(\.name.value).sorted()
        } ?? []
    }
}

/// Dynamic completion of a server address for `call`, `stream` and `bench`.
enum AddressCompletion {
    static func candidates(words: [String], completing index: Int) -> [String] {
        let current = index < words.count ? SchemaCompletion.unquote(words[index]) : ""
        let scheme = "polaris://"
        var result = DescriptorCache.addresses().filter { $0.hasPrefix(current) }
        if !current.isEmpty && (scheme.hasPrefix(current) || current.hasPrefix(scheme)) {
            var registry = "127.0.0.1:8091", token: String?
            for (flag, value) in SchemaCompletion.flags(in: words, completing: index, taking: ["--registry", "--registry-token"]) {
                guard let value, !value.isEmpty else { continue }
                if flag == "--registry" { registry = value } else { token = value }
            }
            // polaris://service in the default namespace; polaris://ns/service once a namespace is typed.
            let path = current.hasPrefix(scheme) ? current.dropFirst(scheme.count) : ""
            let namespace = path.firstIndex(of: "/").map { String(path[..<$0]) }
            let services = RegistryCompletion.services(registry: registry, namespace: namespace ?? "default", token: token)
            result += services.map { scheme + (namespace.map { $0 + "/" } ?? "") + $0 }
            if services.isEmpty && current.count < scheme.count { result.append(scheme) }
        }
        return result
    }
}
