import CSQLite

/// A minimal owner of one SQLite connection: statements are prepared, run and finalized
/// inside each call, and every failure becomes a ``RegistryError``.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (creating when `create`) the database file.
    init(path: String, create: Bool) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let text = db.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
            sqlite3_close(db)
            throw RegistryError(code: .dataDirectory, message: "cannot open registry database \(path): \(text)")
        }
        handle = db
        sqlite3_busy_timeout(db, 2000)
    }

    deinit { sqlite3_close(handle) }

    /// The last error as a registry error; "not a database" becomes ``RegistryError/Code/corruptStore``.
    func failure(_ rc: Int32, _ what: String) -> RegistryError {
        let text = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
        let primary = rc & 0xff
        if primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT {
            return RegistryError(code: .corruptStore, message: "registry database \(path) is corrupt or not a database (\(text)); it was left untouched")
        }
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED {
            return RegistryError(code: .storeLocked, message: "registry database \(path) is locked by another process (\(text))")
        }
        return RegistryError(code: .storeFailure, message: "registry database \(path): \(what) failed: \(text)")
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw failure(rc, sql.split(separator: " ").prefix(2).joined(separator: " ")) }
    }

    /// A value bound to a statement parameter.
    enum Value {
        case text(String)
        case blob([UInt8])
        case int(Int64)
    }

    /// Runs one statement with parameters, calling `row` for each result row.
    func run(_ sql: String, _ values: [Value] = [], row: ((Row) throws -> Void)? = nil) throws {
        var statement: OpaquePointer?
        var rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw failure(rc, "prepare") }
        defer { sqlite3_finalize(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .text(let text):
                rc = text.withCString { csqlite_bind_text(statement, index, $0, -1) }
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { csqlite_bind_blob(statement, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count)) }
            case .int(let number):
                rc = sqlite3_bind_int64(statement, index, number)
            }
            guard rc == SQLITE_OK else { throw failure(rc, "bind") }
        }
        while true {
            rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure(rc, "step") }
            try row?(Row(statement: statement))
        }
    }

    /// One result row.
    struct Row {
        let statement: OpaquePointer

        func text(_ column: Int32) -> String {
            guard let pointer = sqlite3_column_text(statement, column) else { return "" }
            return String(cString: pointer)
        }

        func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

        func blob(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: count))
        }
    }
}
