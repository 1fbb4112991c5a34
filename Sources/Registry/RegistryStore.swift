import CSQLite
import Foundation
public import WireProtos
import SwiftProtobuf

/// The embedded registry's durable state: services and instances in one SQLite database
/// (WAL journal) under a data directory, held exclusively by one process.
///
/// Every write is committed before it returns, so an acknowledged register or deregister
/// survives the registry process being killed. Opening never overwrites anything: a file
/// that is not a registry database, or a directory another registry holds, is an error.
public final class RegistryStore {
    /// A service row: namespace, name and creation time.
    public struct ServiceRow: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var ctime: String

        public init(namespace: String, name: String, ctime: String) {
            self.namespace = namespace
            self.name = name
            self.ctime = ctime
        }
    }

    /// The application id stamped into the database header ("PLRS").
    static let applicationID: Int64 = 0x504C_5253

    /// The data directory.
    public let directory: String
    private let database: SQLiteDatabase
    private let lockDescriptor: Int32

    /// The default data directory: `$XDG_DATA_HOME/polarisctl/registry`, else
    /// `~/.local/share/polarisctl/registry`.
    public static var defaultDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/polarisctl/registry" }
        return NSHomeDirectory() + "/.local/share/polarisctl/registry"
    }

    /// Opens (creating when needed) the store in `directory`.
    ///
    /// - Throws: ``RegistryError`` with ``RegistryError/Code/dataDirectory`` (cannot create
    ///   or write the directory), ``RegistryError/Code/storeLocked`` (another registry holds
    ///   it), ``RegistryError/Code/corruptStore`` (the file is not a registry database).
    public init(directory: String) throws {
        self.directory = directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw RegistryError(code: .dataDirectory, message: "data directory \(directory) is a file, not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw RegistryError(code: .dataDirectory, message: "cannot create data directory \(directory): \(error.localizedDescription)")
            }
        }
        let lockPath = directory + "/registry.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RegistryError(code: .dataDirectory, message: "cannot write in data directory \(directory): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw RegistryError(code: .storeLocked, message: "data directory \(directory) is in use by another registry (\(lockPath) is locked)")
        }
        let path = directory + "/registry.sqlite"
        do {
            database = try SQLiteDatabase(path: path, create: true)
            try Self.prepare(database)
        } catch {
            close(descriptor)
            throw error
        }
        lockDescriptor = descriptor
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    private static func prepare(_ database: SQLiteDatabase) throws {
        var application: Int64 = 0
        try database.run("PRAGMA application_id") { application = $0.int(0) }
        var tables: Int64 = 0
        try database.run("SELECT count(*) FROM sqlite_master") { tables = $0.int(0) }
        if application == 0 && tables > 0 || application != 0 && application != applicationID {
            throw RegistryError(
                code: .corruptStore,
                message: "\(database.path) is a SQLite database but not a polarisctl registry; it was left untouched")
        }
        try database.execute("PRAGMA journal_mode=WAL")
        // WAL with synchronous=NORMAL: a commit is in the OS once it returns, so it survives
        // the process being killed (a power loss may drop the last commits).
        try database.execute("PRAGMA synchronous=NORMAL")
        if tables == 0 {
            try database.execute("""
                BEGIN;
                CREATE TABLE services (namespace TEXT NOT NULL, name TEXT NOT NULL, ctime TEXT NOT NULL, PRIMARY KEY (namespace, name));
                CREATE TABLE instances (id TEXT PRIMARY KEY, namespace TEXT NOT NULL, service TEXT NOT NULL, data BLOB NOT NULL);
                PRAGMA application_id=\(applicationID);
                COMMIT;
                """)
        }
    }

    /// Every service.
    public func loadServices() throws -> [ServiceRow] {
        var rows: [ServiceRow] = []
        try database.run("SELECT namespace, name, ctime FROM services") { row in
            rows.append(ServiceRow(namespace: row.text(0), name: row.text(1), ctime: row.text(2)))
        }
        return rows
    }

    /// Every instance.
    ///
    /// - Throws: ``RegistryError/Code/corruptStore`` when a stored instance does not decode.
    public func loadInstances() throws -> [V1_Instance] {
        var instances: [V1_Instance] = []
        try database.run("SELECT id, data FROM instances") { row in
            do {
                instances.append(try V1_Instance(serializedBytes: row.blob(1)))
            } catch {
                throw RegistryError(code: .corruptStore, message: "instance \(row.text(0)) in \(self.database.path) does not decode; the store was left untouched")
            }
        }
        return instances
    }

    /// Records a service (no change when it exists).
    public func insertService(_ service: ServiceRow) throws {
        try database.run(
            "INSERT OR IGNORE INTO services (namespace, name, ctime) VALUES (?, ?, ?)",
            [.text(service.namespace), .text(service.name), .text(service.ctime)])
    }

    /// Inserts or replaces an instance (by id).
    public func upsertInstance(_ instance: V1_Instance) throws {
        let bytes: [UInt8]
        do {
            bytes = try instance.serializedBytes()
        } catch {
            throw RegistryError(code: .storeFailure, message: "cannot encode instance \(instance.id.value)")
        }
        try database.run(
            "INSERT OR REPLACE INTO instances (id, namespace, service, data) VALUES (?, ?, ?, ?)",
            [.text(instance.id.value), .text(instance.namespace.value), .text(instance.service.value), .blob(bytes)])
    }

    /// Removes an instance; no error when it is absent.
    public func deleteInstance(id: String) throws {
        try database.run("DELETE FROM instances WHERE id = ?", [.text(id)])
    }

    /// Runs `body` in one transaction (many writes, one commit).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try database.execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try database.execute("COMMIT")
            return result
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }
}

@available(*, unavailable)
extension RegistryStore: Sendable {}
