import Foundation
import Schema

/// Schemas fetched by server reflection, kept per server under the user's
/// cache folder (`$XDG_CACHE_HOME/polarisctl/reflection`, else
/// `~/.cache/polarisctl/reflection`).
///
/// An entry holds the services the server listed and the descriptors fetched
/// for them. It is reused while the server lists the same services (one
/// reflection round trip instead of several); any other list replaces it.
/// Entries are written atomically; an unreadable or foreign entry is a miss.
enum DescriptorCache {
    private static let magic = "polarisctl-reflection-cache 1"

    /// The cache folder.
    static var directory: String {
        if let base = Environment["XDG_CACHE_HOME"], base.hasPrefix("/") {
            return base + "/polarisctl/reflection"
        }
        return (Environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache/polarisctl/reflection"
    }

    /// What identifies a server's schema: its address and how it is reached.
    static func key(address: String, connection: ConnectionOptions) -> String {
        [address, connection.plaintext ? "h2c" : "tls", connection.authority ?? "", connection.serverName ?? ""]
            .joined(separator: "|")
    }

    /// The cached schema for `key` if the server still lists `services`.
    static func load(key: String, services: [String]) -> SchemaPool? {
        guard let data = FileManager.default.contents(atPath: path(for: key)) else { return nil }
        let bytes = [UInt8](data)
        guard let (lines, start) = header(bytes, lines: 3), lines[1] == "key " + key,
              lines[2] == "services " + services.sorted().joined(separator: ",")
        else { return nil }
        return try? SchemaPool.load(protosets: [Array(bytes[start...])])
    }

    /// An entry's first `count` header lines (the magic line, "key …", "services …";
    /// the descriptor set follows them) and where the rest starts; nil for a foreign file.
    private static func header(_ bytes: [UInt8], lines count: Int) -> (lines: [String], rest: Int)? {
        var lines: [String] = []
        var start = 0
        while lines.count < count, let end = bytes[start...].firstIndex(of: 0x0a) {
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end + 1
        }
        guard lines.count == count, lines[0] == magic else { return nil }
        return (lines, start)
    }

    /// Stores `pool` as the schema of the server at `key` listing `services`;
    /// a cache that cannot be written is skipped silently.
    static func store(key: String, services: [String], pool: SchemaPool) {
        guard let descriptors = try? pool.exportDescriptorSet() else { return }
        let header = [magic, "key " + key, "services " + services.sorted().joined(separator: ",")]
            .joined(separator: "\n") + "\n"
        guard (try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
        else { return }
        try? FileIO.writeAtomically(Array(header.utf8) + descriptors, to: path(for: key), mode: 0o600)
    }

    /// The addresses of the servers with an entry, most recently used first.
    static func addresses() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found: [(address: String, used: Date)] = []
        for name in names where name.hasSuffix(".cache") {
            let path = directory + "/" + name
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            let head = (try? handle.read(upToCount: 4096)) ?? Data()
            try? handle.close()
            guard let (lines, _) = header([UInt8](head), lines: 2), lines[1].hasPrefix("key "),
                  let address = lines[1].dropFirst(4).split(separator: "|").first else { continue }
            let used = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            found.append((String(address), used))
        }
        var seen = Set<String>()
        return found.sorted { $0.used > $1.used }.map(\.address).filter { seen.insert($0).inserted }
    }

    /// Removes every entry; returns how many there were.
    static func clear() throws -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed = 0
        for name in names where name.hasSuffix(".cache") {
            do {
                try FileManager.default.removeItem(atPath: directory + "/" + name)
                removed += 1
            } catch {
                throw CLIError.file("\(directory)/\(name): cannot be removed (\(error.localizedDescription))")
            }
        }
        return removed
    }

    /// The entry's file: a 64-bit FNV-1a hash of the key (the key itself is
    /// stored inside and checked, so a collision is only a miss).
    static func path(for key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return directory + "/" + String(hash, radix: 16) + ".cache"
    }
}

extension SchemaPool {
    /// Whether the pool defines `symbol` as a service, a method
    /// (`pkg.Service/Method` or `pkg.Service.Method`), a message or an enum.
    func defines(_ symbol: String) -> Bool {
        var name = symbol.hasPrefix("/") ? String(symbol.dropFirst()) : symbol
        if (try? method(named: name)) != nil { return true }
        if name.hasPrefix(".") { name.removeFirst() }
        return service(named: name) != nil || messageNames.contains(name) || enumNames.contains(name)
    }
}
