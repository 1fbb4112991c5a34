import Foundation

/// Facts about the terminal and small output helpers.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Whether `NO_COLOR` (https://no-color.org) asks for no colour: set and not empty.
    static var noColorRequested: Bool {
        !(Environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Colour on stdout: only on a terminal, never with `NO_COLOR` or `TERM=dumb`.
    static var stdoutColor: Bool {
        stdoutIsTerminal && !noColorRequested && Environment["TERM"] != "dumb"
    }

    /// Colour on stderr, by the same rules.
    static var stderrColor: Bool {
        stderrIsTerminal && !noColorRequested && Environment["TERM"] != "dumb"
    }

    /// Whether `-q`/`--quiet` was given: informational messages (files written,
    /// stubs reloaded, registrations, progress) are left out; warnings and errors stay.
    static var quiet: Bool { Environment["POLARISCTL_QUIET"] == "1" }

    /// Writes an informational line to stderr unless `-q` was given.
    static func note(_ text: String) {
        if !quiet { standardError(text) }
    }

    /// Writes an informational line to stdout unless `-q` was given.
    static func printNote(_ text: String) {
        if !quiet { print(text) }
    }

    /// Writes one diagnostic line (or lines) to stderr.
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes bytes to stdout after flushing what `print` buffered, so the
    /// two interleave correctly.
    static func writeStandardOutput(_ bytes: [UInt8]) {
        fflush(nil)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)  // count > 0
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// Names each step of a long start-up on stderr while it runs (`loading
/// schema…`), then erases the line: on a terminal only, and never with `-q`.
struct StepProgress {
    let enabled = Terminal.stderrIsTerminal && !Terminal.quiet

    func step<T>(_ text: String, _ work: () throws -> T) rethrows -> T {
        guard enabled else { return try work() }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)…".utf8))
        defer { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return try work()
    }
}
