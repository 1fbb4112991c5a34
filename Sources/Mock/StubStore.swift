import RPC
import Synchronization

/// The current stubs, by method, in the order they are tried (priority, then load order),
/// with their use counts. Replaced as a whole by `--watch`; edited by the admin service.
public final class StubStore: Sendable {
    /// The stubs of one method, prepared for matching. Immutable: a change to the stubs
    /// makes new sets, so a call holds one reference, not a copy of every stub.
    final class MethodStubs: Sendable {
        let stubs: [Stub]
        /// Whether any stub needs the decoded request, and whether any reads its fields.
        let needsRequest: Bool
        let needsRequestFields: Bool
        /// Stubs whose only rule is `equals`, by canonical request text (indices into `stubs`).
        let byEquals: [String: [Int]]
        /// Stubs with a regex that is plain text anchored at both ends (`^text$`) or at
        /// the start (`^text`), by field path and text (prefixes also by length).
        let byExact: [[String]: [String: [Int]]]
        let byPrefix: [[String]: [Int: [String: [Int]]]]
        /// Every other stub's index.
        let others: [Int]

        init(_ stubs: [Stub]) {
            var needsRequest = false, needsRequestFields = false
            var byEquals: [String: [Int]] = [:]
            var byExact: [[String]: [String: [Int]]] = [:]
            var byPrefix: [[String]: [Int: [String: [Int]]]] = [:]
            var others: [Int] = []
            for (i, stub) in stubs.enumerated() {
                needsRequest = needsRequest || stub.needsRequest
                needsRequestFields = needsRequestFields || stub.needsRequestFields
                let match = stub.match
                let anchored = match.regex.lazy.compactMap { rule -> (path: [String], text: String, isPrefix: Bool)? in
                    switch rule.pattern.literal {
                    case .exact(let text): return (rule.path, text, false)
                    case .prefix(let text): return (rule.path, text, true)
                    default: return nil
                    }
                }.first
                if let equals = match.equals, match.contains == nil, match.regex.isEmpty,
                   match.present.isEmpty, match.absent.isEmpty {
                    byEquals[equals, default: []].append(i)
                } else if match.equals == nil, let anchored {
                    // Narrowed by the one rule; `matches` still checks every rule.
                    if anchored.isPrefix {
                        byPrefix[anchored.path, default: [:]][anchored.text.utf8.count, default: [:]][anchored.text, default: []].append(i)
                    } else {
                        byExact[anchored.path, default: [:]][anchored.text, default: []].append(i)
                    }
                } else {
                    others.append(i)
                }
            }
            self.stubs = stubs
            self.needsRequest = needsRequest
            self.needsRequestFields = needsRequestFields
            self.byEquals = byEquals
            self.byExact = byExact
            self.byPrefix = byPrefix
            self.others = others
        }

        /// The indices worth trying for a request, in order.
        func candidates(requestText: String?, fields: RequestFields) -> [Int] {
            guard !byEquals.isEmpty || !byExact.isEmpty || !byPrefix.isEmpty else { return others }
            var found: [Int] = []
            if let requestText, let exact = byEquals[requestText] { found += exact }
            for (path, table) in byExact {
                if let text = fields.value(at: path)?.stringValue, let hits = table[text] { found += hits }
            }
            for (path, lengths) in byPrefix {
                guard let text = fields.value(at: path)?.stringValue else { continue }
                let bytes = Array(text.utf8)
                for (length, table) in lengths where length <= bytes.count {
                    if let hits = table[String(decoding: bytes[..<length], as: UTF8.self)] { found += hits }
                }
            }
            if found.isEmpty { return others }
            if others.isEmpty && found.count == 1 { return found }
            return (found + others).sorted()
        }
    }

    private struct State {
        var byPath: [String: MethodStubs] = [:]
        var ordered: [Stub] = []
        var uses: [String: Int] = [:]
        var nextID = 1
    }

    private let state = Mutex(State())

    /// A store holding `stubs`.
    public init(_ stubs: [Stub] = []) {
        replaceAll(stubs)
    }

    /// The number of stubs.
    public var count: Int { state.withLock { $0.ordered.count } }

    /// Every stub, in the order tried per method.
    public var all: [Stub] { state.withLock { $0.ordered } }

    func stubs(for path: String) -> MethodStubs? {
        state.withLock { $0.byPath[path] }
    }

    /// Counts one use of a limited stub (`set.stubs[index]`); false when its uses are spent.
    func claim(_ set: MethodStubs, _ index: Int) -> Bool {
        guard let limit = set.stubs[index].limit else { return true }
        let id = set.stubs[index].id
        return state.withLock { state in
            let used = state.uses[id, default: 0]
            guard used < limit else { return false }
            state.uses[id] = used + 1
            return true
        }
    }

    /// Replaces every stub (use counts start again).
    public func replaceAll(_ stubs: [Stub]) {
        state.withLock { state in
            state.uses = [:]
            Self.rebuild(&state, stubs)
        }
    }

    /// Adds stubs; a stub with an existing id replaces it. Stubs with an empty id get one.
    ///
    /// - Returns: The ids, in order.
    public func add(_ stubs: [Stub]) -> [String] {
        state.withLock { state in
            var current = state.ordered
            var ids: [String] = []
            for var stub in stubs {
                if stub.id.isEmpty {
                    stub.id = "stub-\(state.nextID)"
                    state.nextID += 1
                }
                current.removeAll { $0.id == stub.id }
                state.uses[stub.id] = nil
                current.append(stub)
                ids.append(stub.id)
            }
            Self.rebuild(&state, current)
            return ids
        }
    }

    /// Removes stubs by id, by method path, or all.
    ///
    /// - Returns: How many were removed.
    public func remove(ids: [String], path: String?, all: Bool) -> Int {
        state.withLock { state in
            let before = state.ordered.count
            let kept = state.ordered.filter { stub in
                !(all || ids.contains(stub.id) || (path != nil && stub.path == path))
            }
            Self.rebuild(&state, kept)
            return before - kept.count
        }
    }

    private static func rebuild(_ state: inout State, _ stubs: [Stub]) {
        // Stable: higher priority first, then load order.
        let ordered = stubs.enumerated().sorted { a, b in
            a.element.priority != b.element.priority ? a.element.priority > b.element.priority : a.offset < b.offset
        }.map(\.element)
        state.ordered = ordered
        var grouped: [String: [Stub]] = [:]
        for stub in ordered { grouped[stub.path, default: []].append(stub) }
        state.byPath = grouped.mapValues(MethodStubs.init)
    }
}
