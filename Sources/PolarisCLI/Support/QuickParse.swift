import ArgumentParser

/// A command line read without the argument parser's reflection.
///
/// The argument parser finds a command's options by reflecting over its
/// property wrappers; every new wrapper and value type it meets costs the Swift
/// runtime a search through all of the binary's conformance records. For
/// `call` and `stream`, which people run in loops and scripts, that was most of
/// the process's run time. A type that can be read quickly says, in
/// ``QuickReadable/init(quick:)``, which names it reads and their defaults; each
/// request finds its words in the command line, and the words no option took are
/// the positionals (read last, in order).
///
/// The quick path accepts only what it is sure of: `--name value`,
/// `--name=value`, `-x value`, flags, and positionals that do not start with
/// `-`. Anything else (an unknown name, `--`, grouped short flags, a value that
/// starts with `-`, a single-valued option given twice, a value that does not
/// convert, a failed `validate()`) makes it decline, and the argument parser
/// reads the line instead, so help, errors and their wording stay the parser's.
/// `CLITests/QuickParseTests` checks that both read every option alike.
protocol QuickReadable: ParsableArguments {
    /// Reads every option and flag of the type from `reader`, then its positionals
    /// in order, with the same names and defaults as its property wrappers.
    init(quick reader: inout QuickReader) throws
}

/// Why the quick path declined a command line (never shown: the argument
/// parser then reads the line and reports what is wrong, if anything).
struct QuickDecline: Error {}

/// The words of one command line, taken by the options that ask for them; or,
/// with no words, a record of the names a ``QuickReadable`` type declares.
struct QuickReader {
    enum Kind: Equatable, Sendable {
        /// A Boolean flag: present or absent.
        case flag
        /// An option with one value.
        case single
        /// A repeatable option (an array).
        case repeated
    }

    /// A declared option: its long name, its short name, its kind.
    struct Declaration: Equatable, Sendable {
        var long: String
        var short: Character?
        var kind: Kind
    }

    /// Whether this reader only records declarations (for the tests).
    private let declaring: Bool
    private(set) var declarations: [Declaration] = []
    private(set) var positionalCount = 0
    private let words: [String]
    private var taken: [Bool]
    private var nextPositional = 0
    private var readingPositionals = false

    private init(words: [String], declaring: Bool) {
        self.words = words
        self.declaring = declaring
        taken = Array(repeating: false, count: words.count)
    }

    /// The names `T` declares (a pass over its initializer with no words).
    static func declared<T: QuickReadable>(by type: T.Type) -> (options: [Declaration], positionals: Int) {
        var reader = QuickReader(words: [], declaring: true)
        _ = try? T(quick: &reader)
        return (reader.declarations, reader.positionalCount)
    }

    /// `arguments` read into `T` (validated as the argument parser would), or
    /// `nil` when the quick path declines them.
    static func read<T: QuickReadable>(_ type: T.Type, from arguments: some Collection<String>) -> T? {
        var reader = QuickReader(words: Array(arguments), declaring: false)
        guard let value = try? T(quick: &reader), !reader.taken.contains(false) else { return nil }
        return value
    }

    // MARK: What an initializer reads

    /// The next positional argument: the next word no option took. Positionals
    /// are read after every option, so that each option has taken its value.
    mutating func positional() throws -> String {
        readingPositionals = true
        if declaring {
            positionalCount += 1
            return ""
        }
        while nextPositional < words.count, taken[nextPositional] { nextPositional += 1 }
        guard nextPositional < words.count, !words[nextPositional].hasPrefix("-") else { throw QuickDecline() }
        taken[nextPositional] = true
        return words[nextPositional]
    }

    /// A Boolean flag whose default is `false`.
    mutating func flag(_ long: String, short: Character? = nil) throws -> Bool {
        let given = try take(long, short, .flag)
        return !given.isEmpty
    }

    /// An option with a default.
    mutating func option<T: ExpressibleByArgument>(_ long: String, short: Character? = nil, default value: T) throws -> T {
        try option(long, short: short) ?? value
    }

    /// An optional option (`nil` when absent).
    mutating func option<T: ExpressibleByArgument>(_ long: String, short: Character? = nil) throws -> T? {
        guard let text = try take(long, short, .single).first else { return nil }
        guard let value = T(argument: text) else { throw QuickDecline() }
        return value
    }

    /// A repeatable option (empty when absent).
    mutating func options<T: ExpressibleByArgument>(_ long: String, short: Character? = nil) throws -> [T] {
        try take(long, short, .repeated).map { text in
            guard let value = T(argument: text) else { throw QuickDecline() }
            return value
        }
    }

    /// A new `T` with its values set by `fill`, then checked by its own
    /// `validate()` as the parser checks it. The values go through the property
    /// wrappers of a built value: assigned to `self` inside an initializer, they
    /// would declare the wrappers anew instead of setting them.
    mutating func filled<T: ParsableArguments>(_ fill: (inout T, inout QuickReader) throws -> Void) throws -> T {
        var value = T()
        try fill(&value, &self)
        if !declaring { try value.validate() }
        return value
    }

    /// Takes every use of an option (and its values) out of the words: `--long`,
    /// `--long=value`, `-s`; the values given (empty strings for a flag).
    private mutating func take(_ long: String, _ short: Character?, _ kind: Kind) throws -> [String] {
        if declaring {
            declarations.append(Declaration(long: long, short: short, kind: kind))
            return []
        }
        guard !readingPositionals else { throw QuickDecline() }  // options first: see positional()
        let longSpelling = "--" + long
        let shortSpelling = short.map { "-" + String($0) }
        var values: [String] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            guard word.hasPrefix("-"), !taken[i] else {
                i += 1
                continue
            }
            var inline: String?
            if word == longSpelling || word == shortSpelling {
                inline = nil
            } else if word.hasPrefix(longSpelling + "=") {
                inline = String(word.dropFirst(longSpelling.count + 1))
            } else {
                i += 1
                continue
            }
            taken[i] = true
            switch kind {
            case .flag:
                guard inline == nil, values.isEmpty else { throw QuickDecline() }
                values.append("")
            case .single, .repeated:
                guard kind == .repeated || values.isEmpty else { throw QuickDecline() }
                if let inline {
                    values.append(inline)
                } else {
                    let next = i + 1
                    guard next < words.count, !taken[next], !words[next].hasPrefix("-") else { throw QuickDecline() }
                    taken[next] = true
                    values.append(words[next])
                    i = next
                }
            }
            i += 1
        }
        return values
    }
}
