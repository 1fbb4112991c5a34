import Foundation

/// Environment variables, read one at a time (`ProcessInfo.environment` copies
/// the whole environment into a new dictionary on every read).
enum Environment {
    static subscript(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
