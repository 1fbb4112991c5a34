import ArgumentParser
import Foundation
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
        let arguments = schemaArguments(in: words, completing: index)
        guard !arguments.isEmpty,
              let options = try? SchemaOptions.parse(arguments),
              let pool = try? options.load()
        else { return [] }
        var names: [String] = []
        if kinds.contains(.services) { names += pool.services.map(\.name) }
        if kinds.contains(.methods) { names += pool.services.flatMap { $0.methods.map(\.fullName) } }
        if kinds.contains(.messages) { names += pool.messageNames }
        if kinds.contains(.enums) { names += pool.enumNames }
        return Array(Set(names)).sorted()
    }

    /// The schema flags among `words`, rewritten as `--flag value` pairs that
    /// ``SchemaOptions`` parses. When both `.proto` files and protosets are
    /// given (an error for the command), the `.proto` files win.
    static func schemaArguments(in words: [String], completing index: Int) -> [String] {
        var protoFiles: [String] = [], importPaths: [String] = [], protosets: [String] = []
        var i = 0
        while i < words.count, words[i] != "--" {
            let word = words[i]
            var flag = word, value: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                flag = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            } else if word.hasPrefix("-I"), word.count > 2 {
                flag = "-I"
                value = String(word.dropFirst(2))
            }
            i += 1
            // The word being completed is unfinished: never read it as a flag or value.
            guard i - 1 != index, ["--proto", "--protoset", "-I", "--import-path"].contains(flag) else { continue }
            if value == nil {
                // bash splits `--proto=x` into the words `--proto`, `=` and `x`.
                if i < words.count, words[i] == "=" { i += 1 }
                if i < words.count, i != index {
                    value = words[i]
                    i += 1
                }
            }
            guard let value, !value.isEmpty else { continue }
            switch flag {
            case "--proto": protoFiles.append(unquote(value))
            case "--protoset": protosets.append(unquote(value))
            default: importPaths.append(unquote(value))
            }
        }
        if !protoFiles.isEmpty {
            return protoFiles.flatMap { ["--proto", $0] } + importPaths.flatMap { ["--import-path", $0] }
        }
        return protosets.flatMap { ["--protoset", $0] }
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
        if result == "~" || result.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            result = home + result.dropFirst()
        }
        return result
    }
}
