// Conversions per second of the schema core, for scripts/bench/schema: the
// native codec and libprotobuf's converter, same process, same input.
// Usage: SchemaCodecBench IMPORT_DIR PROTO TYPE JSON_FILE [SECONDS]
// Prints one JSON line: {"type", "bytes", "json_bytes", and per codec
// "<codec>_json_to_binary_per_s", "<codec>_binary_to_json_per_s"}.
import Foundation
import Schema

let args = CommandLine.arguments
guard args.count >= 5 else {
    FileHandle.standardError.write(Data("usage: SchemaCodecBench IMPORT_DIR PROTO TYPE JSON_FILE [SECONDS]\n".utf8))
    exit(2)
}
let seconds = args.count > 5 ? Double(args[5]) ?? 2 : 2
let pool = try SchemaPool.load(protoFiles: [args[2]], importPaths: [args[1]])
let json = Array(try Data(contentsOf: URL(fileURLWithPath: args[4])))
let type = args[3]

/// With SCHEMA_BENCH_COUNT=N each conversion runs exactly N times (for
/// instruction counts under `valgrind --tool=callgrind`).
let fixedCount = ProcessInfo.processInfo.environment["SCHEMA_BENCH_COUNT"].flatMap { Int($0) }

/// With SCHEMA_BENCH_CODECS=native (or libprotobuf) only that codec is timed
/// (to profile one codec alone); the other's rates print as 0.
let timedCodecs = ProcessInfo.processInfo.environment["SCHEMA_BENCH_CODECS"].map {
    Set($0.split(separator: ",").compactMap { SchemaCodec(rawValue: String($0)) })
} ?? Set(SchemaCodec.allCases)

/// Runs `body` in batches until `seconds` have passed (bounded: at most 10M calls).
func rate(_ body: () throws -> Void) rethrows -> Double {
    if let fixedCount {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<fixedCount { try body() }
        return Double(fixedCount) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let start = DispatchTime.now().uptimeNanoseconds
    var count = 0
    var elapsed = 0.0
    while elapsed < seconds && count < 10_000_000 {
        for _ in 0..<200 { try body() }
        count += 200
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    return Double(count) / elapsed
}

// Both codecs must give the same bytes and text before they are timed.
pool.codec = .libprotobuf
let binary = try pool.jsonToBinary(json, messageType: type)
let text = try pool.binaryToJSON(binary, messageType: type)
pool.codec = .native
guard try pool.jsonToBinary(json, messageType: type) == binary, try pool.binaryToJSON(binary, messageType: type) == text else {
    FileHandle.standardError.write(Data("SchemaCodecBench: the codecs disagree on \(type)\n".utf8))
    exit(1)
}

// The native codec must handle this input itself, not through its fallback.
do {
    let parsed = try pool.parseJSON(json, messageType: type)
    guard pool.encode(parsed) == binary, try pool.json(pool.decode(binary, messageType: type)) == text else {
        FileHandle.standardError.write(Data("SchemaCodecBench: the native codec falls back on \(type)\n".utf8))
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("SchemaCodecBench: the native codec falls back on \(type): \(error)\n".utf8))
    exit(1)
}

var fields = [#""type":"\#(type)""#, #""bytes":\#(binary.count)"#, #""json_bytes":\#(json.count)"#]
for codec in [SchemaCodec.native, .libprotobuf] {
    pool.codec = codec
    guard timedCodecs.contains(codec) else {
        fields.append(#""\#(codec.rawValue)_json_to_binary_per_s":0"#)
        fields.append(#""\#(codec.rawValue)_binary_to_json_per_s":0"#)
        continue
    }
    let toBinary = try rate { _ = try pool.jsonToBinary(json, messageType: type) }
    let toJSON = try rate { _ = try pool.binaryToJSON(binary, messageType: type) }
    fields.append(#""\#(codec.rawValue)_json_to_binary_per_s":\#(Int(toBinary))"#)
    fields.append(#""\#(codec.rawValue)_binary_to_json_per_s":\#(Int(toJSON))"#)
}
print("{" + fields.joined(separator: ",") + "}")
