public import Foundation
public import NIOCore
public import RPC
public import Schema
import Synchronization

/// The calls the server received: kept in memory (bounded) for the admin service and
/// optionally appended to a file as NDJSON. Requests are kept as bytes and turned into
/// JSON only when read or written.
public final class Journal: Sendable {
    /// One recorded call.
    public struct Entry: Sendable {
        public var sequence: UInt64
        public var time: Date
        public var method: String
        public var inputType: String
        /// The request's custom metadata, as received (turned into text when read).
        public var metadata: Metadata
        public var requests: [ByteBuffer]
        public var status: GRPCStatus.Code
        public var statusMessage: String
        public var latency: Double
        public var stubID: String
        public var peer: String

        /// The metadata as text pairs (`-bin` values in base64).
        public var headers: [(String, String)] {
            metadata.map { ($0.key, MockServer.text($0.value)) }
        }
    }

    /// The last `capacity` entries in a ring: `entries[oldest...]` then `entries[..<oldest]`.
    private struct State {
        var entries: [Entry] = []
        var oldest = 0
        var sequence: UInt64 = 0

        var inOrder: [Entry] { Array(entries[oldest...] + entries[..<oldest]) }

        mutating func append(_ entry: Entry, capacity: Int) {
            if entries.count < capacity {
                entries.append(entry)
            } else {
                entries[oldest] = entry
                oldest = (oldest + 1) % capacity
            }
        }
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let schema: SchemaPool
    private let file: FileHandleBox?

    final class FileHandleBox: @unchecked Sendable {
        // Written only under the journal's lock.
        let handle: FileHandle
        init(_ handle: FileHandle) { self.handle = handle }
    }

    /// A journal keeping the last `capacity` calls (0 keeps none in memory), appending to
    /// `path` when given.
    ///
    /// - Throws: ``MockError`` (`unreadableFile`) when `path` cannot be opened for appending.
    public init(schema: SchemaPool, capacity: Int, path: String?) throws {
        self.schema = schema
        self.capacity = capacity
        if let path {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw MockError(code: .unreadableFile, message: "\(path): cannot create the journal file")
                }
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw MockError(code: .unreadableFile, message: "\(path): cannot open the journal file for appending")
            }
            handle.seekToEndOfFile()
            file = FileHandleBox(handle)
        } else {
            file = nil
        }
    }

    /// Whether recording does anything.
    public var isEnabled: Bool { capacity > 0 || file != nil }

    func record(_ entry: Entry) {
        guard isEnabled else { return }
        state.withLock { state in
            state.sequence += 1
            var entry = entry
            entry.sequence = state.sequence
            if let file {
                file.handle.write(Data((json(entry).text + "\n").utf8))
            }
            if capacity > 0 { state.append(entry, capacity: capacity) }
        }
    }

    /// Entries after `after` for `method` (all when empty), at most `limit` (0: all).
    public func read(method: String = "", after: UInt64 = 0, limit: Int = 0) -> (entries: [Entry], last: UInt64) {
        state.withLock { state in
            var out = state.inOrder.filter { $0.sequence > after && (method.isEmpty || $0.method == method) }
            if limit > 0 && out.count > limit { out = Array(out.prefix(limit)) }
            return (out, state.sequence)
        }
    }

    /// Drops every entry. - Returns: how many.
    public func clear() -> Int {
        state.withLock { state in
            let count = state.entries.count
            state.entries = []
            state.oldest = 0
            return count
        }
    }

    /// The requests of an entry as JSON texts (undecodable ones as a note).
    public func requestJSON(_ entry: Entry) -> [String] {
        entry.requests.map { buffer in
            (try? schema.binaryToJSON(Array(buffer.readableBytesView), messageType: entry.inputType))
                ?? JSONValue.object([("undecodable", .string("\(buffer.readableBytes) bytes"))]).text
        }
    }

    /// The NDJSON line of an entry.
    func json(_ entry: Entry) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let requests = requestJSON(entry).map { (try? JSONValue(parsing: $0)) ?? .string($0) }
        return .object([
            ("sequence", .number("\(entry.sequence)")),
            ("time", .string(formatter.string(from: entry.time))),
            ("method", .string(entry.method)),
            ("headers", .object(entry.headers.map { ($0.0, .string($0.1)) })),
            ("requests", .array(requests)),
            ("status", .string(GRPCStatus.Code(rawValue: entry.status.rawValue).description)),
            ("message", .string(entry.statusMessage)),
            ("latencyMs", .number(String(format: "%.3f", entry.latency * 1000))),
            ("stub", .string(entry.stubID)),
            ("peer", .string(entry.peer)),
        ])
    }
}
