/// Edit distance between two strings (insertions, deletions, substitutions),
/// case-insensitive.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars)
    let y = Array(b.lowercased().unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// Close-name suggestions for unknown symbols, shared by every module that
/// reports one ("did you mean ...?").
public enum NameSuggestions {
    /// Up to `limit` names among `candidates` that resemble `name`, closest first.
    public static func closest(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        closeNames(to: name, among: candidates, limit: limit)
    }
}

/// Up to `limit` candidates that resemble `name`: the same last component in
/// another package, a short edit distance on the whole name or on the last
/// component, or a case-insensitive substring; closest first.
func closeNames(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
    let wanted = name.lowercased()
    let wantedLast = lastComponent(wanted)
    var scored: [(String, Int)] = []
    for candidate in candidates {
        let lower = candidate.lowercased()
        let last = lastComponent(lower)
        var score = Int.max
        if last == wantedLast { score = 0 }
        let whole = editDistance(wanted, lower)
        if whole <= max(2, wanted.count / 4) { score = min(score, whole) }
        let short = editDistance(wantedLast, last)
        if short <= max(1, wantedLast.count / 3) { score = min(score, short + 1) }
        if wantedLast.count >= 3 && lower.contains(wantedLast) { score = min(score, 3) }
        if score != Int.max { scored.append((candidate, score)) }
    }
    // Only the closest band: a near miss should not drown in distant matches.
    guard let best = scored.map(\.1).min() else { return [] }
    return scored.filter { $0.1 <= best + 1 }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
}

private func lastComponent(_ name: String) -> String {
    let separators: Set<Character> = [".", "/"]
    guard let index = name.lastIndex(where: { separators.contains($0) }) else { return name }
    return String(name[name.index(after: index)...])
}
