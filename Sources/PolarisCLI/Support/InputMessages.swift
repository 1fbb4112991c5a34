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

    /// Hands out the values; ``nextBatch()`` takes every value that was read
    /// together (one read of the input), so a file's values can be sent in a few
    /// large writes while a typed value still goes alone, at once.
    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[Element], any Error>.AsyncIterator
        let window: ReadAhead
        var pending: ArraySlice<Element> = []

        mutating func next() async throws -> Element? {
            if pending.isEmpty { pending = try await nextBatch()[...] }
            return pending.popFirst()
        }

        /// The values read so far and not yet taken (at least one), or empty at the end.
        mutating func nextBatch() async throws -> [Element] {
            if !pending.isEmpty {
                defer { pending = [] }
                return Array(pending)
            }
            guard let batch = try await base.next() else { return [] }
            window.taken(batch.count, bytes: batch.reduce(0) { $0 + $1.bytes.count })
            return batch
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

        /// Whether the reader should hand over what it holds before reading on.
        func full(adding count: Int, bytes: Int) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            return waiting + count >= high || waitingBytes + bytes >= highBytes
        }

        /// Called by the reader before it hands over `count` values of `bytes` bytes.
        func reserve(_ count: Int, bytes: Int) {
            condition.lock()
            if waiting >= high || waitingBytes >= highBytes {
                while !drained { condition.wait() }
            }
            waiting += count
            waitingBytes += bytes
            condition.unlock()
        }

        /// Called by the consumer for the values it takes.
        func taken(_ count: Int, bytes: Int) {
            condition.lock()
            waiting -= count
            waitingBytes -= bytes
            if drained { condition.signal() }
            condition.unlock()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        let (stream, continuation) = AsyncThrowingStream<[Element], any Error>.makeStream(bufferingPolicy: .unbounded)
        // At most 32 values or 4 MiB read ahead (plus one batch, and one value of at
        // most maximumValueSize): memory stays bounded however long the input.
        let window = ReadAhead(high: 32, low: 8, highBytes: 4 << 20, lowBytes: 1 << 20)
        let source = self.source
        let limit = maximumValueSize
        let thread = Thread {
            var splitter = JSONValueSplitter()
            var batch: [Element] = []
            var batchBytes = 0
            func hand() {
                guard !batch.isEmpty else { return }
                window.reserve(batch.count, bytes: batchBytes)
                continuation.yield(batch)
                batch = []
                batchBytes = 0
            }
            func collect(_ value: Element) {
                batch.append(value)
                batchBytes += value.bytes.count
                if window.full(adding: batch.count, bytes: batchBytes) { hand() }
            }
            do {
                switch source {
                case .literal(let text):
                    for byte in text.utf8 { if let value = splitter.feed(byte) { collect(value) } }
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
                            if let value = splitter.feed(byte) { collect(value) }
                        }
                        // What one read completed goes now: a typed value is never held back.
                        hand()
                        if splitter.pendingCount > limit {
                            throw CLIError.input("\(source.displayName): a JSON value is larger than \(limit) bytes")
                        }
                    }
                }
                if let value = try splitter.finish() { collect(value) }
                hand()
                continuation.finish()
            } catch JSONValueSplitter.Failure.incomplete(let line) {
                hand()
                continuation.finish(throwing: Incomplete(line: line))
            } catch {
                hand()
                continuation.finish(throwing: error)
            }
        }
        thread.start()
        return AsyncIterator(base: stream.makeAsyncIterator(), window: window)
    }
}
