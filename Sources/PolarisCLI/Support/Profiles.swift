import ArgumentParser
import Foundation

/// Named sets of defaults from `~/.config/polarisctl/config.toml` (or the file
/// `POLARISCTL_CONFIG` names), chosen with `--profile NAME`, `POLARISCTL_PROFILE`,
/// or the file's `default_profile`.
///
/// ```toml
/// default_profile = "local"
///
/// [profiles.staging]
/// address = "api.staging.internal:443"   # call, stream, bench when no ADDR is given
/// cacert = "~/certs/staging-ca.crt"
/// headers = ["authorization: Bearer abc", "x-env: staging"]
/// registry = "10.0.0.5:8091"
/// token = "s3cret"
/// format = "json"
/// ```
///
/// A profile only fills in: a flag given on the command line wins, and a
/// profile value is applied only to commands that have that flag. Headers add
/// to those given with `-H`.
struct Profile: Equatable {
    var name: String
    var values: [String: Value] = [:]

    enum Value: Equatable {
        case string(String)
        case bool(Bool)
        case number(Double)
        case strings([String])
    }

    /// Profile keys and the flag each one fills.
    static let flags: [String: String] = [
        "plaintext": "--plaintext", "insecure": "--insecure", "cacert": "--cacert", "cert": "--cert", "key": "--key",
        "servername": "--servername", "authority": "--authority", "headers": "-H", "connect_timeout": "--connect-timeout",
        "max_time": "--max-time", "registry": "--registry", "token": "--token", "namespace": "--namespace",
        "format": "--format", "proto": "--proto", "import_paths": "-I", "protoset": "--protoset",
    ]
    /// Keys that are not flags.
    static let otherKeys: Set<String> = ["address"]
}

enum Profiles {
    /// The config file in effect.
    static var configPath: String {
        if let path = Environment["POLARISCTL_CONFIG"], !path.isEmpty { return path }
        if let base = Environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return base + "/polarisctl/config.toml" }
        return (Environment["HOME"] ?? "") + "/.config/polarisctl/config.toml"
    }

    /// Takes `--profile NAME` out of `arguments` and, when a profile is in
    /// effect, returns the arguments with its values filled in.
    ///
    /// - Throws: ``CLIError`` (usage) for a missing file or profile, or a
    ///   config file that does not parse (naming the file, line and column).
    static func apply(to arguments: [String]) throws -> [String] {
        // Completion and documentation requests describe the command tree as it is.
        if arguments.contains(where: { $0.hasPrefix("---completion") || $0 == "--experimental-dump-help" }) {
            return arguments
        }
        var arguments = arguments
        var chosen: String?
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let word = arguments[index]
            if word == "--profile" {
                guard index + 1 < arguments.count else { throw CLIError.usage("--profile needs a profile name") }
                chosen = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
            } else if word.hasPrefix("--profile=") {
                chosen = String(word.dropFirst("--profile=".count))
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        if chosen == nil, let name = Environment["POLARISCTL_PROFILE"], !name.isEmpty { chosen = name }
        let path = configPath
        // access() first: most runs have no config file, and FileManager costs more to say so.
        guard access(path, F_OK) == 0, let data = FileManager.default.contents(atPath: path) else {
            if let chosen { throw CLIError.usage("--profile \(chosen): no config file at \(path)") }
            return arguments
        }
        let file = try ConfigFile.parse(String(decoding: data, as: UTF8.self), path: path)
        guard let name = chosen ?? file.defaultProfile else { return arguments }
        guard let profile = file.profiles.first(where: { $0.name == name }) else {
            let known = file.profiles.map(\.name).sorted().joined(separator: ", ")
            throw CLIError.usage("\(path): no profile \"\(name)\"" + (known.isEmpty ? "" : " (profiles: \(known))"))
        }
        return fill(arguments, from: profile)
    }

    /// `arguments` with the profile's values added where the command takes
    /// the flag and the command line does not give it.
    static func fill(_ arguments: [String], from profile: Profile) -> [String] {
        guard let help = helpText(for: arguments) else { return arguments }
        var added: [String] = []
        for key in profile.values.keys.sorted() {
            guard let flag = Profile.flags[key], let value = profile.values[key], accepts(help, flag, value: value) else { continue }
            let given = arguments.contains { $0 == flag || $0.hasPrefix(flag + "=") || (flag == "-H" && $0 == "--header") }
            switch value {
            case .bool(let on):
                if on && !given { added.append(flag) }
            case .string(let text):
                if !given { added += [flag, text] }
            case .number(let number):
                if !given { added += [flag, number == number.rounded() ? String(Int(number)) : String(number)] }
            case .strings(let list):
                // Headers add to the command line's; other lists are replaced by it.
                if flag == "-H" || !given { added += list.flatMap { [flag, $0] } }
            }
        }
        var result = arguments
        let end = result.firstIndex(of: "--") ?? result.count
        result.insert(contentsOf: added, at: end)
        if case .string(let address)? = profile.values["address"], needsAddress(result) {
            result.insert(address, at: 1)
        }
        return result
    }

    /// The help text of the subcommand `arguments` name, or nil for none.
    private static func helpText(for arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Polarisctl.self
        var matched = false
        for word in arguments where !word.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            command = next
            matched = true
        }
        return matched ? Polarisctl.helpMessage(for: command, columns: 1000) : nil
    }

    /// Whether the command's help shows `flag` in the form `value` needs: taking a
    /// value (`--flag <x>`) for strings, numbers and lists, a bare switch for booleans
    /// (`serve --registry` is a switch; `discover --registry <addr>` takes an address).
    private static func accepts(_ help: String, _ flag: String, value: Profile.Value) -> Bool {
        let long = ["-H": "--header", "-I": "--import-path"][flag] ?? flag
        let takesValue = help.contains("\(long) <")
        if case .bool = value {
            return !takesValue && (help.contains(" \(long) ") || help.contains(" \(long)\n") || help.contains(" \(long),"))
        }
        return takesValue
    }

    /// Whether the command line lacks its server address: it names a method
    /// but no address (parsing fails for want of the method argument).
    private static func needsAddress(_ arguments: [String]) -> Bool {
        guard let first = arguments.first, ["call", "stream", "bench"].contains(first) else { return false }
        do {
            _ = try Polarisctl.parseAsRoot(arguments)
            return false
        } catch {
            return Polarisctl.message(for: error).contains("Missing expected argument '<method>'")
        }
    }
}

/// The config file's contents: a small TOML subset (tables `[profiles.NAME]`,
/// `key = value` with strings, booleans, numbers and arrays of strings, `#`
/// comments).
struct ConfigFile {
    var defaultProfile: String?
    var profiles: [Profile] = []

    static func parse(_ text: String, path: String) throws -> ConfigFile {
        var file = ConfigFile()
        var current: Int?  // index into profiles
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            func failure(_ message: String, column: Int = 1) -> CLIError {
                CLIError.usage("\(path):\(lineNumber):\(column): \(message)")
            }
            var scanner = Scanner(Array(rawLine.utf8))
            scanner.skipBlanks()
            if scanner.atEnd || scanner.peek == UInt8(ascii: "#") { continue }
            if scanner.peek == UInt8(ascii: "[") {
                let header = String(decoding: scanner.rest, as: UTF8.self)
                    .split(separator: "#", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard header.hasSuffix("]") else { throw failure("a table header needs a closing ]") }
                let name = String(header.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2, ["profiles", "profile"].contains(parts[0]), !parts[1].isEmpty else {
                    throw failure("unknown table [\(name)]; profiles are [profiles.NAME]")
                }
                let profileName = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                if file.profiles.contains(where: { $0.name == profileName }) {
                    throw failure("profile \"\(profileName)\" is defined twice")
                }
                file.profiles.append(Profile(name: profileName))
                current = file.profiles.count - 1
                continue
            }
            let keyStart = scanner.position
            let key = scanner.bareKey()
            guard !key.isEmpty else { throw failure("expected a key", column: keyStart + 1) }
            scanner.skipBlanks()
            guard scanner.take(UInt8(ascii: "=")) else { throw failure("expected = after \(key)", column: scanner.position + 1) }
            scanner.skipBlanks()
            let valueColumn = scanner.position + 1
            let value: Profile.Value
            do {
                value = try scanner.value()
            } catch let error as Scanner.Failure {
                throw failure(error.message, column: error.column + 1)
            }
            scanner.skipBlanks()
            guard scanner.atEnd || scanner.peek == UInt8(ascii: "#") else {
                throw failure("unexpected text after the value", column: scanner.position + 1)
            }
            guard let current else {
                guard key == "default_profile" else { throw failure("\(key) must be inside a [profiles.NAME] table") }
                guard case .string(let name) = value else { throw failure("default_profile must be a string", column: valueColumn) }
                file.defaultProfile = name
                continue
            }
            guard Profile.flags[key] != nil || Profile.otherKeys.contains(key) else {
                let known = (Array(Profile.flags.keys) + Profile.otherKeys).sorted().joined(separator: ", ")
                throw failure("unknown key \(key) (known: \(known))", column: keyStart + 1)
            }
            if ["plaintext", "insecure"].contains(key), case .bool = value {
            } else if ["plaintext", "insecure"].contains(key) {
                throw failure("\(key) must be true or false", column: valueColumn)
            } else if ["headers", "proto", "import_paths", "protoset"].contains(key) {
                guard case .strings = value else { throw failure("\(key) must be an array of strings", column: valueColumn) }
            } else if ["connect_timeout", "max_time"].contains(key) {
                guard case .number = value else { throw failure("\(key) must be a number of seconds", column: valueColumn) }
            } else if case .string = value {
            } else {
                throw failure("\(key) must be a string", column: valueColumn)
            }
            file.profiles[current].values[key] = value
        }
        return file
    }
}

/// A cursor over one line of the config file.
private struct Scanner {
    struct Failure: Error {
        var message: String
        var column: Int
    }

    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }
    var rest: ArraySlice<UInt8> { bytes[position...] }

    mutating func skipBlanks() {
        while let c = peek, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") { position += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    mutating func bareKey() -> String {
        let start = position
        while let c = peek, (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func value() throws -> Profile.Value {
        guard let c = peek else { throw Failure(message: "expected a value", column: position) }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return .string(try string())
        case UInt8(ascii: "["):
            position += 1
            var items: [String] = []
            while true {
                skipBlanks()
                if take(UInt8(ascii: "]")) { return .strings(items) }
                guard peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "'") else {
                    throw Failure(message: "arrays hold strings (arrays must fit on one line)", column: position)
                }
                items.append(try string())
                skipBlanks()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "]")) else { throw Failure(message: "expected , or ] in the array", column: position) }
                return .strings(items)
            }
        default:
            let start = position
            while let c = peek, c != UInt8(ascii: " "), c != UInt8(ascii: "\t"), c != UInt8(ascii: "#") { position += 1 }
            let word = String(decoding: bytes[start..<position], as: UTF8.self)
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            if let number = Double(word.replacingOccurrences(of: "_", with: "")), number.isFinite { return .number(number) }
            throw Failure(message: "\(word) is not a string, boolean, number or array (strings need quotes)", column: start)
        }
    }

    /// A basic ("...", with escapes) or literal ('...') string.
    mutating func string() throws -> String {
        let start = position
        let quote = bytes[position]
        position += 1
        var out: [UInt8] = []
        while let c = peek {
            position += 1
            if c == quote { return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
                guard let escaped = peek else { break }
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(escaped)
                default: throw Failure(message: "unknown escape \\\(Character(UnicodeScalar(escaped)))", column: position - 2)
                }
            } else {
                out.append(c)
            }
        }
        throw Failure(message: "unterminated string", column: start)
    }
}
