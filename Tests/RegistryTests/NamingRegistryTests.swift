import Foundation
import SwiftProtobuf
import Testing
import WireProtos
@testable import Registry

func makeInstance(_ service: String = "svc", host: String = "127.0.0.1", port: UInt32 = 8080, ttl: UInt32? = nil,
                  namespace: String = "default") -> V1_Instance {
    V1_Instance.with {
        $0.service = .with { $0.value = service }
        $0.namespace = .with { $0.value = namespace }
        $0.host = .with { $0.value = host }
        $0.port = .with { $0.value = port }
        if let ttl {
            $0.healthCheck = .with { $0.type = .heartbeat; $0.heartbeat.ttl = .with { $0.value = ttl } }
        }
    }
}

func discoverRequest(_ service: String, revision: String = "", namespace: String = "default") -> V1_DiscoverRequest {
    V1_DiscoverRequest.with {
        $0.type = .instance
        $0.service.name = .with { $0.value = service }
        $0.service.namespace = .with { $0.value = namespace }
        if !revision.isEmpty { $0.service.revision = .with { $0.value = revision } }
    }
}

@Suite struct NamingRegistryTests {
    @Test func instanceIDIsSHA1OfTheTuple() {
        #expect(InstanceRules.instanceID(namespace: "default", service: "a", host: "1.1.1.1", port: 80)
            == "82fb8e267cf81da9c29b4c039d614ce5a686ec38")
        #expect(InstanceRules.emptyRevision == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    @Test func registerAppliesDefaultsAndEchoesIdentity() throws {
        let registry = try NamingRegistry(store: nil)
        let response = registry.register(makeInstance("a", host: "1.1.1.1", port: 80))
        #expect(response.code.value == 200000)
        #expect(response.instance.id.value == "82fb8e267cf81da9c29b4c039d614ce5a686ec38")
        #expect(response.instance.host.value == "1.1.1.1" && response.instance.port.value == 80)
        let found = registry.discover(discoverRequest("a"))
        #expect(found.code.value == 200000)
        let instance = try #require(found.instances.first)
        #expect(instance.hasHealthy && instance.healthy.value)
        #expect(instance.hasIsolate && !instance.isolate.value)
        #expect(instance.weight.value == 100)
        #expect(!instance.hasServiceToken)
        #expect(found.service.name.value == "a" && found.service.namespace.value == "default")
    }

    @Test func reRegisterIsAnUpsertKeepingIsolate() throws {
        let registry = try NamingRegistry(store: nil)
        var first = makeInstance()
        first.isolate = .with { $0.value = true }
        first.weight = .with { $0.value = 5 }
        _ = registry.register(first)
        var second = makeInstance()
        second.weight = .with { $0.value = 7 }
        #expect(registry.register(second).code.value == 200000)
        let instances = registry.discover(discoverRequest("svc")).instances
        #expect(instances.count == 1)
        #expect(instances.first?.weight.value == 7)
        #expect(instances.first?.isolate.value == true)
    }

    @Test(arguments: [
        (makeInstance("bad name!"), UInt32(400120)),
        (makeInstance("svc", namespace: ""), UInt32(400110)),
        (makeInstance("svc", host: ""), UInt32(400131)),
        (makeInstance("svc", port: 70000), UInt32(400132)),
    ])
    func invalidInstancesAreRejected(instance: V1_Instance, code: UInt32) throws {
        let registry = try NamingRegistry(store: nil)
        #expect(registry.register(instance).code.value == code)
        #expect(registry.instanceCount == 0)
    }

    @Test func metadataAndWeightLimits() throws {
        let registry = try NamingRegistry(store: nil)
        var heavy = makeInstance()
        heavy.weight = .with { $0.value = 70000 }
        #expect(registry.register(heavy).code.value == 400000)
        var crowded = makeInstance()
        for index in 0..<65 { crowded.metadata["k\(index)"] = "v" }
        #expect(registry.register(crowded).code.value == 400150)
        var long = makeInstance()
        long.metadata["k"] = String(repeating: "x", count: 4097)
        #expect(registry.register(long).code.value == 400150)
    }

    @Test func ttlIsClamped() throws {
        let registry = try NamingRegistry(store: nil)
        _ = registry.register(makeInstance(port: 1, ttl: 0))
        _ = registry.register(makeInstance(port: 2, ttl: 61))
        _ = registry.register(makeInstance(port: 3, ttl: 60))
        let ttls = registry.discover(discoverRequest("svc")).instances.sorted { $0.port.value < $1.port.value }
            .map { $0.healthCheck.heartbeat.ttl.value }
        #expect(ttls == [5, 5, 60])
    }

    @Test func deregisterIsIdempotentAndByIDOrTuple() throws {
        let registry = try NamingRegistry(store: nil)
        let id = registry.register(makeInstance(port: 1)).instance.id.value
        _ = registry.register(makeInstance(port: 2))
        #expect(registry.deregister(V1_Instance.with { $0.id = .with { $0.value = id } }).code.value == 200000)
        #expect(registry.deregister(makeInstance(port: 2)).code.value == 200000)
        #expect(registry.deregister(makeInstance(port: 2)).code.value == 200000)
        #expect(registry.deregister(V1_Instance.with { $0.id = .with { $0.value = "" } }).code.value == 400130)
        let answer = registry.discover(discoverRequest("svc"))
        #expect(answer.code.value == 200000 && answer.instances.isEmpty)
        #expect(answer.service.revision.value == InstanceRules.emptyRevision)
    }

    @Test func revisionsAndDataNoChange() throws {
        let registry = try NamingRegistry(store: nil)
        _ = registry.register(makeInstance(port: 1))
        let first = registry.discover(discoverRequest("svc"))
        let revision = first.service.revision.value
        #expect(!revision.isEmpty)
        let same = registry.discover(discoverRequest("svc", revision: revision))
        #expect(same.code.value == 200001 && same.instances.isEmpty && same.service.name.value == "svc")
        _ = registry.register(makeInstance("other", port: 1))
        #expect(registry.discover(discoverRequest("svc", revision: revision)).code.value == 200001)
        _ = registry.register(makeInstance(port: 2))
        let changed = registry.discover(discoverRequest("svc", revision: revision))
        #expect(changed.code.value == 200000 && changed.instances.count == 2)
        #expect(changed.service.revision.value != revision)
    }

    @Test func unknownServiceAndRuleTypes() throws {
        let registry = try NamingRegistry(store: nil)
        var request = discoverRequest("nope")
        request.direction = .caller
        let missing = registry.discover(request)
        #expect(missing.code.value == 400202 && missing.service.name.value == "nope" && missing.direction == .caller)
        for type in [V1_DiscoverRequest.DiscoverRequestType.routing, .rateLimit, .circuitBreaker, .faultDetector, .lane, .nearbyRouteRule] {
            var rule = discoverRequest("nope")
            rule.type = type
            let answer = registry.discover(rule)
            #expect(answer.code.value == 200000 && answer.type.rawValue == type.rawValue)
        }
        var unknown = discoverRequest("nope")
        unknown.type = .unknown
        #expect(registry.discover(unknown).code.value == 400004)
    }

    @Test func servicesListAndEmptyServicesStay() throws {
        let registry = try NamingRegistry(store: nil)
        _ = registry.register(makeInstance("a"))
        _ = registry.register(makeInstance("b", namespace: "prod"))
        _ = registry.deregister(makeInstance("a"))
        var request = V1_DiscoverRequest()
        request.type = .services
        let all = registry.discover(request)
        #expect(Set(all.services.map(\.name.value)) == ["a", "b"])
        request.service.namespace = .with { $0.value = "prod" }
        let prod = registry.discover(request)
        #expect(prod.services.map(\.name.value) == ["b"])
        request.service.revision = prod.service.revision
        #expect(registry.discover(request).code.value == 200001)
    }

    @Test func tokenIsRequiredOnWrites() throws {
        let registry = try NamingRegistry(store: nil, token: "secret")
        #expect(registry.register(makeInstance()).code.value == 401000)
        #expect(registry.register(makeInstance(), headerToken: "wrong").code.value == 401000)
        #expect(registry.register(makeInstance(), headerToken: "secret").code.value == 200000)
        var withField = makeInstance(port: 2)
        withField.serviceToken = .with { $0.value = "secret" }
        #expect(registry.register(withField, headerToken: "wrong").code.value == 200000)
        #expect(registry.heartbeat(makeInstance()).code.value == 401000)
        #expect(registry.deregister(makeInstance()).code.value == 401000)
        #expect(registry.discover(discoverRequest("svc")).instances.count == 2)
    }

    @Test func unhealthyAfterThreeTTLsAndHealthyOnNextBeat() throws {
        let time = ManualClock()
        let registry = try NamingRegistry(store: nil, clock: time.clock)
        _ = registry.register(makeInstance(port: 1, ttl: 2))
        _ = registry.register(makeInstance(port: 2))
        let start = registry.discover(discoverRequest("svc")).service.revision.value
        time.advance(by: 5.9)
        #expect(registry.judgeHealth() == 0)
        #expect(registry.heartbeat(makeInstance(port: 1)).code.value == 200000)
        time.advance(by: 5.9)
        #expect(registry.judgeHealth() == 0)
        time.advance(by: 0.2)
        #expect(registry.judgeHealth() == 1)
        let expired = registry.discover(discoverRequest("svc", revision: start))
        #expect(expired.code.value == 200000)
        #expect(expired.instances.first { $0.port.value == 1 }?.healthy.value == false)
        #expect(expired.instances.first { $0.port.value == 2 }?.healthy.value == true)
        time.advance(by: 100)
        #expect(registry.judgeHealth() == 0)
        #expect(registry.heartbeat(makeInstance(port: 1)).code.value == 200000)
        let back = registry.discover(discoverRequest("svc", revision: expired.service.revision.value))
        #expect(back.code.value == 200000 && back.instances.allSatisfy { $0.healthy.value })
    }

    @Test func heartbeatForUnknownIDFourTimesThenNotFound() throws {
        let registry = try NamingRegistry(store: nil)
        let codes = (0..<6).map { _ in registry.heartbeat(makeInstance(port: 9)).code.value }
        #expect(codes == [200000, 200000, 200000, 200000, 400202, 400202])
    }

    @Test func batchHeartbeatRevivesInstances() throws {
        let time = ManualClock()
        let registry = try NamingRegistry(store: nil, clock: time.clock)
        let id = registry.register(makeInstance(ttl: 1)).instance.id.value
        time.advance(by: 4)
        #expect(registry.judgeHealth() == 1)
        registry.batchHeartbeat(.with { $0.heartbeats = [.with { $0.instanceID = id }] })
        #expect(registry.discover(discoverRequest("svc")).instances.first?.healthy.value == true)
    }
}

@Suite struct TimestampTests {
    @Test func serverTimeFormat() {
        #expect(NamingRegistry.timestamp(0) == "1970-01-01 00:00:00")
        #expect(NamingRegistry.timestamp(1_700_000_000) == "2023-11-14 22:13:20")
    }
}

@Suite struct EncodedDiscoverTests {
    @Test func encodedAnswerEqualsTheMessage() throws {
        let registry = try NamingRegistry(store: nil)
        for port in 1...50 { _ = registry.register(makeInstance(port: UInt32(port), ttl: 5)) }
        let request = discoverRequest("svc")
        let decoded = try V1_DiscoverResponse(serializedBytes: try registry.discoverEncoded(request))
        #expect(decoded == registry.discover(request))
        #expect(decoded.instances.count == 50)
        _ = registry.deregister(makeInstance(port: 7))
        let again = try V1_DiscoverResponse(serializedBytes: try registry.discoverEncoded(request))
        #expect(again.instances.count == 49 && again == registry.discover(request))
        var current = request
        current.service.revision = again.service.revision
        #expect(try V1_DiscoverResponse(serializedBytes: try registry.discoverEncoded(current)).code.value == 200001)
    }
}
