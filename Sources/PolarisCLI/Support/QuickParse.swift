import ArgumentParser

/// A command line read without the argument parser's reflection.
///
/// The argument parser finds a command's options by reflecting over its
/// property wrappers; every new wrapper and value type it meets costs the Swift
/// runtime a search through all of the binary's conformance records. For
/// `call` and `stream`, which people run in loops and scripts, that was most of
/// the process's run time. A type that can be read quickly says once, in
/// ``QuickReadable/init(quick:)``, which names it reads and their defaults; the
/// reader learns the spellings from a first pass over that initializer, then
/// fills the values in a second.
///
/// The quick path accepts only what it is sure of: `--name value`,
/// `--name=value`, `-x value`, flags, and positionals that do not start with
/// `-`. Anything else (an unknown name, `--`, grouped short flags, a value that
/// starts with `-`, a single-valued option given twice, a value that does not
/// convert, a failed `validate()`) makes it decline, and the argument parser
/// reads the line instead, so help, errors and their wording stay the parser's.
/// `CLITests/QuickParseTests` checks that both read every option alike.
protocol QuickReadable: ParsableArguments {
    /// Reads every option, flag and positional of the type from `reader`, in
    /// declaration order, with the same names and defaults as its property wrappers.
    init(quick reader: inout QuickReader) throws
}

/// Why the quick path declined a command line (never shown: the argument
/// parser then reads the line and reports what is wrong, if anything).
struct QuickDecline: Error {}

/// The names one ``QuickReadable`` type declares, and the values of one command line.
struct QuickReader {
    enum Kind: Equatable, Sendable {
        /// A Boolean flag: present or absent.
        case flag
        /// An option with one value.
        case single
        /// A repeatable option (an array).
        case repeated
    }

    /// A declared option: its long name (the key), its short name, its kind.
    struct Declaration: Equatable, Sendable {
        var long: String
        var short: Character?
        var kind: Kind
    }

    /// The reader's pass: learning the names, or reading values.
    private let declaring: Bool
    private(set) var declarations: [Declaration] = []
    private(set) var positionalCount = 0
    private var given: [String: [String]] = [:]
    private var positionals: ArraySlice<String> = []

    private init(declaring: Bool) {
        self.declaring = declaring
    }

    /// The names `T` declares (a pass over its initializer with no values).
    static func declared<T: QuickReadable>(by type: T.Type) -> (options: [Declaration], positionals: Int) {
        var reader = QuickReader(declaring: true)
        _ = try? T(quick: &reader)
        return (reader.declarations, reader.positionalCount)
    }

    /// `arguments` read into `T` (validated as the argument parser would), or
    /// `nil` when the quick path declines them.
    static func read<T: QuickReadable>(_ type: T.Type, from arguments: some Collection<String>) -> T? {
        let (options, positionalCount) = declared(by: type)
        var spellings: [String: Declaration] = [:]
        for option in options {
            spellings["--" + option.long] = option
            if let short = option.short { spellings["-" + String(short)] = option }
        }
        var reader = QuickReader(declaring: false)
        var positionals: [String] = []
        var words = arguments.makeIterator()
        while let word = words.next() {
            guard word.hasPrefix("-") else {
                positionals.append(word)
                continue
            }
            var spelling = word
            var inline: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                spelling = String(word[..<equals])
                inline = String(word[word.index(after: equals)...])
            }
            guard let option = spellings[spelling] else { return nil }  // also `--`, `-`, `-vq`
            let earlier = reader.given[option.long]
            switch option.kind {
            case .flag:
                guard inline == nil, earlier == nil else { return nil }
                reader.given[option.long] = []
            case .single, .repeated:
                guard option.kind == .repeated || earlier == nil else { return nil }
                guard let value = inline ?? words.next(), !value.hasPrefix("-") else { return nil }
                reader.given[option.long, default: []].append(value)
            }
        }
        guard positionals.count == positionalCount else { return nil }
        reader.positionals = positionals[...]
        guard let value = try? T(quick: &reader) else { return nil }
        return value
    }

    // MARK: What an initializer reads

    /// The next positional argument.
    mutating func positional() throws -> String {
        if declaring {
            positionalCount += 1
            return ""
        }
        guard let value = positionals.popFirst() else { throw QuickDecline() }
        return value
    }

    /// A Boolean flag whose default is `false`.
    mutating func flag(_ long: String, short: Character? = nil) -> Bool {
        declare(long, short, .flag)
        return given[long] != nil
    }

    /// An option with a default.
    mutating func option<T: ExpressibleByArgument>(_ long: String, short: Character? = nil, default value: T) throws -> T {
        try option(long, short: short) ?? value
    }

    /// An optional option (`nil` when absent).
    mutating func option<T: ExpressibleByArgument>(_ long: String, short: Character? = nil) throws -> T? {
        declare(long, short, .single)
        guard let text = given[long]?.first else { return nil }
        guard let value = T(argument: text) else { throw QuickDecline() }
        return value
    }

    /// A repeatable option (empty when absent).
    mutating func options<T: ExpressibleByArgument>(_ long: String, short: Character? = nil) throws -> [T] {
        declare(long, short, .repeated)
        return try (given[long] ?? []).map { text in
            guard let value = T(argument: text) else { throw QuickDecline() }
            return value
        }
    }

    /// Runs a group's (or the command's) own `validate()`, as the parser does
    /// once it is filled in.
    func validated<T: ParsableArguments>(_ value: T) throws -> T {
        var value = value
        if !declaring { try value.validate() }
        return value
    }

    private mutating func declare(_ long: String, _ short: Character?, _ kind: Kind) {
        if declaring { declarations.append(Declaration(long: long, short: short, kind: kind)) }
    }
}
