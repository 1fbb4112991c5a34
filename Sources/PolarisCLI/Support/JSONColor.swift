/// ANSI colours for JSON printed on a terminal: keys bold blue, strings green,
/// numbers cyan, `true`/`false`/`null` yellow. The text is valid JSON; the
/// colouring only inserts escape sequences between tokens.
enum JSONColor {
    private static let key = "\u{1B}[1;34m", string = "\u{1B}[32m", number = "\u{1B}[36m"
    private static let literal = "\u{1B}[33m", reset = "\u{1B}[0m"

    static func colorize(_ json: String) -> String {
        let bytes = Array(json.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 2)
        var i = 0
        func emit(_ color: String, _ range: Range<Int>) {
            out += Array(color.utf8)
            out += bytes[range]
            out += Array(reset.utf8)
        }
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                    j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                j = min(j + 1, bytes.count)
                // A key is a string followed (after blanks) by a colon.
                var k = j
                while k < bytes.count, bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\n") { k += 1 }
                emit(k < bytes.count && bytes[k] == UInt8(ascii: ":") ? key : string, i..<j)
                i = j
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < bytes.count, isNumberByte(bytes[j]) { j += 1 }
                emit(number, i..<j)
                i = j
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                var j = i + 1
                while j < bytes.count, bytes[j] >= UInt8(ascii: "a"), bytes[j] <= UInt8(ascii: "z") { j += 1 }
                emit(literal, i..<j)
                i = j
            default:
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
            || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }
}
