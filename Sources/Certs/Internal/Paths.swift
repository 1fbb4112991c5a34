import Foundation

/// `directory/name`, without doubling a trailing slash; just `name` for ".".
func join(_ directory: String, _ name: String) -> String {
    if directory == "." || directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
}

/// Reads a whole input file.
///
/// - Throws: ``CertsError`` with code ``CertsError/Code/unreadableFile``.
func readFile(_ path: String, purpose: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw CertsError(code: .unreadableFile, message: "\(purpose) \(path): no such file", path: path)
    }
    guard !isDirectory.boolValue else {
        throw CertsError(code: .unreadableFile, message: "\(purpose) \(path): is a directory", path: path)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CertsError(code: .unreadableFile, message: "\(purpose) \(path): cannot be read", path: path)
    }
    return Array(data)
}
