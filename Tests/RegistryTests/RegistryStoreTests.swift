import SwiftProtobuf
import Foundation
import Testing
import WireProtos
@testable import Registry

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "registry-test-\(UUID().uuidString)"
    return path
}

@Suite struct RegistryStoreTests {
    @Test func writesSurviveReopening() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var revision = ""
        do {
            let registry = try NamingRegistry(store: try RegistryStore(directory: directory))
            _ = registry.register(makeInstance(port: 1, ttl: 5))
            _ = registry.register(makeInstance(port: 2))
            _ = registry.register(makeInstance(port: 3))
            _ = registry.deregister(makeInstance(port: 3))
            _ = registry.register(makeInstance("empty"))
            _ = registry.deregister(makeInstance("empty"))
            revision = registry.discover(discoverRequest("svc")).service.revision.value
        }
        let reopened = try NamingRegistry(store: try RegistryStore(directory: directory))
        let answer = reopened.discover(discoverRequest("svc"))
        #expect(answer.instances.map(\.port.value).sorted() == [1, 2])
        #expect(answer.service.revision.value == revision)
        #expect(answer.instances.first { $0.port.value == 1 }?.healthCheck.heartbeat.ttl.value == 5)
        #expect(reopened.discover(discoverRequest("empty")).code.value == 200000)
    }

    @Test func secondOpenOfADirectoryIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try RegistryStore(directory: directory)
        #expect(throws: RegistryError.self) { _ = try RegistryStore(directory: directory) }
        do {
            _ = try RegistryStore(directory: directory)
        } catch let error as RegistryError {
            #expect(error.code == .storeLocked)
            #expect(error.message.contains(directory))
        }
        _ = first
    }

    @Test func corruptFileIsReportedAndLeftUntouched() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let path = directory + "/registry.sqlite"
        try garbage.write(to: URL(fileURLWithPath: path))
        do {
            _ = try RegistryStore(directory: directory)
            Issue.record("a corrupt store opened")
        } catch let error as RegistryError {
            #expect(error.code == .corruptStore)
            #expect(error.message.contains("registry.sqlite"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func foreignSQLiteDatabaseIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()", directory + "/registry.sqlite"]
        try process.run()
        process.waitUntilExit()
        #expect(throws: RegistryError.self) { _ = try RegistryStore(directory: directory) }
    }

    @Test func aFileAsDataDirectoryIsAnError() throws {
        let path = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RegistryStore(directory: path)
            Issue.record("opened a file as a directory")
        } catch let error as RegistryError {
            #expect(error.code == .dataDirectory)
        }
    }
}
