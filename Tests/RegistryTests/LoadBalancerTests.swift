import SwiftProtobuf
import Testing
import WireProtos
@testable import Registry

func weighted(_ port: UInt32, weight: UInt32, healthy: Bool = true, isolate: Bool = false) -> V1_Instance {
    var instance = makeInstance(port: port)
    instance.id = .with { $0.value = "id\(port)" }
    instance.weight = .with { $0.value = weight }
    instance.healthy = .with { $0.value = healthy }
    instance.isolate = .with { $0.value = isolate }
    return instance
}

@Suite struct LoadBalancerTests {
    @Test func filterLikePolarisGo() {
        let instances = [weighted(1, weight: 100), weighted(2, weight: 100, healthy: false),
                         weighted(3, weight: 100, isolate: true), weighted(4, weight: 0)]
        #expect(LoadBalancer.selectable(instances).map(\.port.value) == [1])
        let sick = [weighted(1, weight: 100, healthy: false), weighted(2, weight: 10, healthy: false),
                    weighted(3, weight: 100, isolate: true), weighted(4, weight: 0, healthy: false)]
        #expect(LoadBalancer.selectable(sick).map(\.port.value) == [1, 2])
        var absent = makeInstance(port: 5)
        absent.weight = .with { $0.value = 100 }
        #expect(LoadBalancer.selectable([absent, weighted(6, weight: 1)]).map(\.port.value) == [6])
    }

    @Test func weightedRandomFollowsWeights() {
        var balancer = LoadBalancer(strategy: .weightedRandom, seed: 42)
        let instances = [weighted(1, weight: 100), weighted(2, weight: 300), weighted(3, weight: 600)]
        var counts: [UInt32: Int] = [:]
        for _ in 0..<20_000 { counts[balancer.order(instances)[0].port.value, default: 0] += 1 }
        #expect(abs(Double(counts[1, default: 0]) / 20_000 - 0.1) < 0.02)
        #expect(abs(Double(counts[2, default: 0]) / 20_000 - 0.3) < 0.02)
        #expect(abs(Double(counts[3, default: 0]) / 20_000 - 0.6) < 0.02)
        #expect(Set(balancer.order(instances).map(\.port.value)) == [1, 2, 3])
    }

    @Test func roundRobinTakesTurns() {
        var balancer = LoadBalancer(strategy: .roundRobin)
        let instances = [weighted(3, weight: 1), weighted(1, weight: 1), weighted(2, weight: 1)]
        let picks = (0..<6).map { _ in balancer.order(instances)[0].port.value }
        #expect(picks == [1, 2, 3, 1, 2, 3])
    }

    @Test func ringHashIsStableAndSpreadsKeys() {
        let instances = [weighted(1, weight: 100), weighted(2, weight: 100), weighted(3, weight: 100)]
        var balancer = LoadBalancer(strategy: .ringHash, hashKey: "user-17")
        let first = balancer.order(instances)
        #expect(first.count == 3)
        #expect(balancer.order(instances.reversed()).map(\.port.value) == first.map(\.port.value))
        var owners = Set<UInt32>()
        for key in 0..<200 {
            owners.insert(LoadBalancer.ring(instances, key: "k\(key)")[0].port.value)
        }
        #expect(owners == [1, 2, 3])
        // Removing one instance moves only the keys it owned.
        let reduced = Array(instances.prefix(2))
        for key in 0..<200 {
            let before = LoadBalancer.ring(instances, key: "k\(key)")[0].port.value
            if before != 3 { #expect(LoadBalancer.ring(reduced, key: "k\(key)")[0].port.value == before) }
        }
    }

    @Test func polarisTargets() throws {
        let plain = try PolarisTarget(parsing: "polaris://echo")
        #expect(plain.namespace == "default" && plain.service == "echo")
        let spaced = try PolarisTarget(parsing: "polaris://prod/echo.v1")
        #expect(spaced.namespace == "prod" && spaced.service == "echo.v1")
        #expect(throws: RegistryError.self) { _ = try PolarisTarget(parsing: "polaris://") }
        #expect(throws: RegistryError.self) { _ = try PolarisTarget(parsing: "polaris://a b") }
    }
}

@Suite struct LoadBalancerOrderTests {
    @Test func weightedOrderListsEveryInstanceOnce() {
        var balancer = LoadBalancer(strategy: .weightedRandom, seed: 7)
        let many = (1...1000).map { weighted(UInt32($0), weight: UInt32($0 % 5 + 1)) }
        let ordered = balancer.order(many)
        #expect(ordered.count == 1000)
        #expect(Set(ordered.map(\.port.value)).count == 1000)
        let zero = [weighted(1, weight: 0), weighted(2, weight: 0)]
        #expect(balancer.order(zero).count == 2)
    }
}
