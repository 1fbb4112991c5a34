import SwiftProtobuf
public import WireProtos

/// How ``LoadBalancer`` orders instances.
public enum LoadBalancing: String, Sendable, CaseIterable {
    /// Random, proportional to weight (polaris-go's default).
    case weightedRandom = "weighted-random"
    /// Each instance in turn.
    case roundRobin = "round-robin"
    /// Consistent hashing of a key onto a ring of virtual nodes.
    case ringHash = "ring-hash"
}

/// Filters and orders instances for one call. ``order(_:)`` returns the pick first and the
/// rest after it, so a caller whose connect fails moves on to the next.
public struct LoadBalancer: Sendable {
    public var strategy: LoadBalancing
    public var hashKey: String
    private var next = 0
    private var random: RandomSource

    /// - Parameters:
    ///   - strategy: The ordering.
    ///   - hashKey: The key for ``LoadBalancing/ringHash``.
    ///   - seed: Seeds the random source (nil: from the system).
    public init(strategy: LoadBalancing = .weightedRandom, hashKey: String = "", seed: UInt64? = nil) {
        self.strategy = strategy
        self.hashKey = hashKey
        self.random = RandomSource(seed: seed ?? UInt64.random(in: 1...UInt64.max))
    }

    /// The instances a caller may use, as polaris-go routes them: healthy, not isolated,
    /// weight above zero; when none is healthy, every non-isolated one with weight above zero.
    public static func selectable(_ instances: [V1_Instance]) -> [V1_Instance] {
        let usable = instances.filter { !$0.isolate.value && $0.weight.value > 0 }
        let healthy = usable.filter { $0.healthy.value }
        return healthy.isEmpty ? usable : healthy
    }

    /// Orders `instances` (already filtered) for one call: the pick first.
    public mutating func order(_ instances: [V1_Instance]) -> [V1_Instance] {
        guard instances.count > 1 else { return instances }
        switch strategy {
        case .weightedRandom:
            // The first few picks are weighted draws without replacement; the rest follow
            // in list order (fallbacks only), so ordering stays linear for big services.
            var rest = instances
            var ordered: [V1_Instance] = []
            while !rest.isEmpty && ordered.count < Self.weightedFallbacks {
                let total = rest.reduce(UInt64(0)) { $0 + UInt64($1.weight.value) }
                guard total > 0 else { break }
                var point = random.next() % total
                var index = 0
                for (offset, instance) in rest.enumerated() {
                    let weight = UInt64(instance.weight.value)
                    if point < weight { index = offset; break }
                    point -= weight
                }
                ordered.append(rest.remove(at: index))
            }
            return ordered + rest
        case .roundRobin:
            let sorted = instances.sorted { $0.id.value < $1.id.value }
            let start = next % sorted.count
            next &+= 1
            return Array(sorted[start...] + sorted[..<start])
        case .ringHash:
            return Self.ring(instances, key: hashKey)
        }
    }

    /// How many weighted draws ``order(_:)`` makes before listing the rest as they come.
    static let weightedFallbacks = 4

    /// Virtual nodes per unit of weight on the hash ring (weight 100 → 100 nodes, capped).
    static func virtualNodes(_ weight: UInt32) -> Int { max(1, min(Int(weight), 400)) }

    /// The instances in ring order from the key's point: the first owner, then each next
    /// distinct one.
    static func ring(_ instances: [V1_Instance], key: String) -> [V1_Instance] {
        var points: [(UInt64, Int)] = []
        for (index, instance) in instances.enumerated() {
            let name = "\(instance.host.value):\(instance.port.value)"
            for node in 0..<virtualNodes(instance.weight.value) {
                points.append((fnv1a("\(name)#\(node)"), index))
            }
        }
        points.sort { $0.0 < $1.0 }
        let target = fnv1a(key)
        var start = points.firstIndex { $0.0 >= target } ?? 0
        var seen = Set<Int>()
        var ordered: [V1_Instance] = []
        for _ in 0..<points.count where seen.count < instances.count {
            let index = points[start].1
            if seen.insert(index).inserted { ordered.append(instances[index]) }
            start = (start + 1) % points.count
        }
        return ordered
    }

    /// 64-bit FNV-1a, mixed, for ring positions.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}

/// SplitMix64: a small seedable generator so runs repeat under a seed.
struct RandomSource: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
