import Foundation

/// Rewrites libprotobuf's JSON parse errors into one line that names the JSON
/// path (`inner.items[2]`) or the line and column of the problem.
///
/// libprotobuf 3.21 words them as `(path): invalid value X for type T`,
/// `(path) name: Cannot find field.`, `name: Cannot find field.`, or a parser
/// message followed by the text around the problem and a caret line.
enum JSONErrorText {
    static func refine(_ error: SchemaError, json: [UInt8], type: String) -> SchemaError {
        var refined = error
        var text = error.message
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        // Syntax errors: "Unexpected token.\n<context>\n<caret>".
        if lines.count >= 3, let caret = lines[lines.count - 1].firstIndex(of: "^") {
            // The context may itself span lines; the caret counts from its start.
            let context = lines[1..<(lines.count - 1)].joined(separator: "\n")
            let column = lines[lines.count - 1].distance(from: lines[lines.count - 1].startIndex, to: caret)
            let reason = lines[0].hasSuffix(".") ? String(lines[0].dropLast()) : lines[0]
            if let offset = locate(context: context, caretColumn: column, in: json) {
                let (line, col) = lineAndColumn(of: offset, in: json)
                refined.message = "invalid JSON for \(type) at line \(line), column \(col): \(reason.lowercasedFirst)"
            } else {
                refined.message = "invalid JSON for \(type): \(reason.lowercasedFirst) near \(context.trimmed.quoted)"
            }
            return refined
        }
        lines = lines.filter { !$0.isEmpty }
        text = lines.joined(separator: " ")

        var path = ""
        var detail = text.hasPrefix(": ") ? String(text.dropFirst(2)) : text
        if text.hasPrefix("("), let close = text.firstIndex(of: ")") {
            path = String(text[text.index(after: text.startIndex)..<close])
            detail = String(text[text.index(after: close)...]).trimmed
            if detail.hasPrefix(":") { detail = String(detail.dropFirst()).trimmed }
        }
        if let range = detail.range(of: ": Cannot find field.") {
            let name = String(detail[..<range.lowerBound])
            path = path.isEmpty ? name : path + "." + name
            refined.path = path
            refined.message = "invalid JSON for \(type) at \(path): unknown field"
            return refined
        }
        if detail == "Root element must be a message." {
            refined.message = "invalid JSON for \(type): the message must be a JSON object"
            return refined
        }
        if detail.hasPrefix("invalid value ") {
            var value = String(detail.dropFirst("invalid value ".count))
            var target = ""
            if let range = value.range(of: " for type ", options: .backwards) {
                target = String(value[range.upperBound...])
                value = String(value[..<range.lowerBound])
            }
            if value.hasPrefix("Field '"), let comma = value.range(of: "', ") {
                value = String(value[comma.upperBound...])
            }
            if let slash = target.lastIndex(of: "/") { target = String(target[target.index(after: slash)...]) }
            if target.hasPrefix("TYPE_") { target = String(target.dropFirst(5)).lowercased() }
            detail = target.isEmpty ? "invalid value \(value)" : "invalid value for \(target): \(value)"
        }
        refined.path = path.isEmpty ? nil : path
        refined.message = "invalid JSON for \(type)" + (path.isEmpty ? "" : " at \(path)") + ": " + detail
        return refined
    }

    /// The byte offset of the caret, found by locating the context snippet in the input.
    private static func locate(context: String, caretColumn: Int, in json: [UInt8]) -> Int? {
        let needle = Array(context.utf8)
        if needle.isEmpty { return caretColumn <= json.count ? caretColumn : nil }
        guard needle.count <= json.count else { return nil }
        var start = 0
        while start + needle.count <= json.count {
            if json[start..<start + needle.count].elementsEqual(needle) {
                let prefix = String(context.prefix(caretColumn))
                return start + prefix.utf8.count
            }
            start += 1
        }
        return nil
    }

    private static func lineAndColumn(of offset: Int, in json: [UInt8]) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in json.prefix(offset) {
            if byte == 0x0a {
                line += 1
                column = 1
            } else if byte & 0xc0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }

    fileprivate var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }

    fileprivate var quoted: String { "\"\(self)\"" }
}
