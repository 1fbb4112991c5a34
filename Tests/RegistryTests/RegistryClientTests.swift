import Foundation
import RPC
import SwiftProtobuf
import Synchronization
import Testing
import WireProtos
@testable import Registry

/// The client, keeper and resolver against an in-process embedded registry on loopback.
@Suite(.serialized) struct RegistryClientTests {
    final class Events: Sendable {
        let list = Mutex<[InstanceKeeper.Event]>([])
        func add(_ event: InstanceKeeper.Event) { list.withLock { $0.append(event) } }
        func count(_ matches: (InstanceKeeper.Event) -> Bool) -> Int { list.withLock { $0.filter(matches).count } }
    }

    static func waitUntil(_ timeout: Double = 20, _ body: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await body() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func clientRoundTripAndResolverCacheByRevision() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let running = try await EmbeddedRegistry.start(listen: .tcp(host: "127.0.0.1", port: 0), dataDirectory: directory, token: nil)
        let client = RegistryClient(address: running.localAddress)
        #expect(try await client.register(makeInstance("echo", port: 1)).code.value == 200000)
        #expect(try await client.register(makeInstance("echo", port: 2)).code.value == 200000)
        let resolver = ServiceResolver(client: client)
        let target = try PolarisTarget(parsing: "polaris://echo")
        #expect(try await resolver.instances(of: target).count == 2)
        let revision = try #require(await resolver.cachedRevision(of: target))
        #expect(try await client.discoverInstances(namespace: "default", service: "echo", revision: revision).code.value == 200001)
        #expect(try await resolver.instances(of: target).count == 2)
        #expect(await resolver.cachedRevision(of: target) == revision)
        _ = try await client.deregister(makeInstance("echo", port: 2))
        #expect(try await resolver.selectable(target).map(\.port.value) == [1])
        #expect(await resolver.cachedRevision(of: target) != revision)
        await #expect(throws: RegistryError.self) { _ = try await resolver.instances(of: try PolarisTarget(parsing: "polaris://none")) }
        await client.close()
        await running.stop()
    }

    @Test func unreachableRegistryThrowsUnreachable() async throws {
        let client = RegistryClient(address: .tcp(host: "127.0.0.1", port: 1))
        do {
            _ = try await client.register(makeInstance())
            Issue.record("no error")
        } catch let error as RegistryError {
            #expect(error.code == .unreachable)
        }
    }

    @Test func keeperHeartbeatsAndDeregistersOnCancel() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let running = try await EmbeddedRegistry.start(listen: .tcp(host: "127.0.0.1", port: 0), dataDirectory: directory, token: nil)
        let keeper = InstanceKeeper(client: RegistryClient(address: running.localAddress), instance: makeInstance("kept", ttl: 1), ttl: 1)
        let events = Events()
        let task = Task { try await keeper.run(onEvent: events.add) }
        #expect(await Self.waitUntil { events.count { if case .registered = $0 { true } else { false } } == 1 })
        try await Task.sleep(for: .seconds(4))
        let alive = running.registry.discover(discoverRequest("kept")).instances
        #expect(alive.count == 1 && alive.first?.healthy.value == true)
        task.cancel()
        try await task.value
        #expect(events.count { if case .deregistered = $0 { true } else { false } } == 1)
        #expect(running.registry.discover(discoverRequest("kept")).instances.isEmpty)
        await running.stop()
    }

    @Test func keeperRegistersAgainAfterThreeFailedHeartbeats() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let running = try await EmbeddedRegistry.start(listen: .tcp(host: "127.0.0.1", port: 0), dataDirectory: directory, token: nil)
        let keeper = InstanceKeeper(client: RegistryClient(address: running.localAddress), instance: makeInstance("lost", ttl: 1), ttl: 1)
        let events = Events()
        let task = Task { try await keeper.run(onEvent: events.add) }
        #expect(await Self.waitUntil { events.count { if case .registered = $0 { true } else { false } } == 1 })
        // The registry loses the instance: beats answer success four times, then 400202.
        _ = running.registry.deregister(makeInstance("lost"))
        #expect(await Self.waitUntil(40) { events.count { if case .reregistered = $0 { true } else { false } } == 1 })
        #expect(events.count { if case .heartbeatFailed = $0 { true } else { false } } == 3)
        #expect(running.registry.discover(discoverRequest("lost")).instances.count == 1)
        task.cancel()
        try await task.value
        await running.stop()
    }
}
