import Foundation

/// JSON values read incrementally from `-d` text, a file or stdin, one at a
/// time as each is complete, with bounded memory: a reader thread hands
/// values over one by one and waits while the consumer is busy, so a 1 GiB
/// file is never held in memory and an interactive stdin value is sent as
/// soon as its closing bracket is typed.
final class InputMessages: AsyncSequence, @unchecked Sendable {
    typealias Element = JSONValueSplitter.Value

    /// The input stopped in the middle of a value.
    struct Incomplete: Error {
        var line: Int
    }

    private let source: InputSource
    /// Largest single value accepted (protects against a runaway unterminated value).
    private let maximumValueSize: Int

    init(_ source: InputSource, maximumValueSize: Int = 64 << 20) {
        self.source = source
        self.maximumValueSize = maximumValueSize
    }

    /// Takes one value and lets the reader thread read one more.
    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Element, any Error>.AsyncIterator
        let window: ReadAhead

        mutating func next() async throws -> Element? {
            let value = try await base.next()
            if let value { window.taken(value.bytes.count) }
            return value
        }
    }

    /// Bounds how far the reader thread runs ahead of the consumer, in values
    /// and in bytes: it stops when `high` values or `highBytes` bytes are
    /// waiting and goes on when the consumer has brought both down to `low` and
    /// `lowBytes`, so the two threads hand over small values in batches rather
    /// than waking each other for every one, and large values a few at a time.
    final class ReadAhead: @unchecked Sendable {
        private let condition = NSCondition()
        private var waiting = 0, waitingBytes = 0
        private let high: Int, low: Int, highBytes: Int, lowBytes: Int

        init(high: Int, low: Int, highBytes: Int, lowBytes: Int) {
            self.high = high
            self.low = low
            self.highBytes = highBytes
            self.lowBytes = lowBytes
        }

        private var drained: Bool { waiting <= low && waitingBytes <= lowBytes }

        /// Called by the reader before it hands over a value of `size` bytes.
        func reserve(_ size: Int) {
            condition.lock()
            if waiting >= high || waitingBytes >= highBytes {
                while !drained { condition.wait() }
            }
            waiting += 1
            waitingBytes += size
            condition.unlock()
        }

        /// Called by the consumer for every value it takes.
        func taken(_ size: Int) {
            condition.lock()
            waiting -= 1
            waitingBytes -= size
            if drained { condition.signal() }
            condition.unlock()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream(bufferingPolicy: .unbounded)
        // At most 32 values or 4 MiB read ahead (plus one value of at most
        // maximumValueSize): memory stays bounded however long the input.
        let window = ReadAhead(high: 32, low: 8, highBytes: 4 << 20, lowBytes: 1 << 20)
        let source = self.source
        let limit = maximumValueSize
        let thread = Thread {
            var splitter = JSONValueSplitter()
            func emit(_ value: JSONValueSplitter.Value) {
                window.reserve(value.bytes.count)
                continuation.yield(value)
            }
            do {
                switch source {
                case .literal(let text):
                    for byte in text.utf8 { if let value = splitter.feed(byte) { emit(value) } }
                case .file, .standardInput:
                    let handle: FileHandle
                    if case .file(let path) = source {
                        _ = try FileIO.checkReadable(path, purpose: "input file")
                        guard let opened = FileHandle(forReadingAtPath: path) else {
                            throw CLIError.input("input file \(path): cannot be opened")
                        }
                        handle = opened
                    } else {
                        handle = FileHandle.standardInput
                    }
                    while true {
                        let chunk = handle.availableData  // returns as soon as some input is there
                        if chunk.isEmpty { break }
                        for byte in chunk {
                            if let value = splitter.feed(byte) { emit(value) }
                        }
                        if splitter.pendingCount > limit {
                            throw CLIError.input("\(source.displayName): a JSON value is larger than \(limit) bytes")
                        }
                    }
                }
                if let value = try splitter.finish() { emit(value) }
                continuation.finish()
            } catch JSONValueSplitter.Failure.incomplete(let line) {
                continuation.finish(throwing: Incomplete(line: line))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.start()
        return AsyncIterator(base: stream.makeAsyncIterator(), window: window)
    }
}
