// swift-tools-version: 6.1
import Foundation
import PackageDescription

// One list of Swift settings for every Swift target (STYLE.md, house rule 12).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Links a system library from its static archive when one is installed, so the
/// release binary carries it (`ldd` shows only the C runtime); falls back to the
/// shared library elsewhere.
func staticLibrary(_ name: String, then extra: [String] = []) -> [LinkerSetting] {
    let dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]
    let extraSettings = extra.map { LinkerSetting.linkedLibrary($0) }
    for dir in dirs where FileManager.default.fileExists(atPath: "\(dir)/lib\(name).a") {
        return [.unsafeFlags(["-Xlinker", "\(dir)/lib\(name).a"])] + extraSettings
    }
    return [.linkedLibrary(name)] + extraSettings
}

let package = Package(
    name: "polarisctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "polarisctl", targets: ["polarisctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
    ],
    targets: [
        // MARK: C bridges
        // C++ shim over libprotobuf 3.21 with a plain C API: .proto parsing,
        // descriptor pools, JSON <-> binary, proto source rendering.
        .target(
            name: "CProtoBridge",
            linkerSettings: staticLibrary("protobuf", then: ["z", "pthread"])
        ),
        // libnghttp2 (HTTP/2 framing, HPACK, flow control) plus small C helpers.
        .target(
            name: "CNGHTTP2",
            linkerSettings: staticLibrary("nghttp2", then: ["z"])
        ),
        // OpenSSL libcrypto for certificate work.
        .target(
            name: "CCertsOpenSSL",
            linkerSettings: staticLibrary("crypto", then: ["dl", "pthread"])
        ),

        // SQLite (the embedded registry's durable store).
        .target(
            name: "CSQLite",
            linkerSettings: staticLibrary("sqlite3", then: ["m", "dl", "pthread"])
        ),

        // MARK: Core modules
        .target(
            name: "Schema",
            dependencies: [
                "CProtoBridge",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "RPC",
            dependencies: [
                "CNGHTTP2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // swift-protobuf messages generated from the fixed internal protocols
        // (reflection, health, google.rpc.Status, Polaris naming subset).
        .target(
            name: "WireProtos",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Protos"]
        ),
        // Server reflection: the client that fetches schemas (and later the service).
        .target(
            name: "Reflection",
            dependencies: [
                "RPC", "Schema", "WireProtos",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "Certs",
            dependencies: ["CCertsOpenSSL"]
        ),
        // The mock server behind `serve`: fake data, stubs, reflection, health, admin, journal.
        .target(
            name: "Mock",
            dependencies: [
                "RPC", "Schema", "WireProtos",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // PolarisMesh naming: durable embedded registry, client, keeper, resolver and balancers.
        .target(
            name: "Registry",
            dependencies: [
                "RPC", "WireProtos", "CSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The load engine behind `bench`: closed and open loops on the RPC engine's
        // callback face, templates, HDR histograms, reports.
        .target(
            name: "Bench",
            dependencies: [
                "RPC", "Schema",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),

        // MARK: CLI
        .target(
            name: "PolarisCLI",
            dependencies: [
                "Schema",
                "Certs",
                "RPC",
                "Reflection",
                "Registry",
                "WireProtos",
                "Mock",
                "Bench",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "polarisctl",
            dependencies: ["PolarisCLI"],
            linkerSettings: [
                // Start-up time, which is most of a short `call`: the static Swift
                // runtime's link arguments export every symbol of the program (~29,000)
                // to the dynamic table, where the loader and dladdr() search them on
                // every run; nothing loads code into this process, so none is exported.
                // And linked as a fixed-address executable (as Go links grpcurl and
                // ghz), the loader applies none of the ~128,000 relative relocations
                // of a position-independent one and ~400 fewer pages are copied on
                // write: 3.5 ms of a 14 ms run here. Shared libraries, heap and stacks
                // keep their randomized addresses.
                .unsafeFlags(["-Xlinker", "--no-export-dynamic", "-Xclang-linker", "-no-pie"],
                             .when(configuration: .release)),
            ]
        ),

        // MARK: Benchmarks (run by scripts/bench/, not by the tests)
        .executableTarget(
            name: "SchemaCodecBench",
            dependencies: ["Schema"],
            path: "Benchmarks/SchemaCodecBench"
        ),
        .executableTarget(
            name: "EngineBench",
            dependencies: [
                "RPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/EngineBench"
        ),

        // MARK: Tests
        .testTarget(
            name: "SchemaTests",
            dependencies: ["Schema", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Resources"]
        ),
        .testTarget(
            name: "RPCTests",
            dependencies: ["RPC"]
        ),
        .testTarget(
            name: "MockTests",
            dependencies: ["Mock", "Schema", "RPC", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: ["Registry", "RPC", "WireProtos", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "BenchTests",
            dependencies: [
                "Bench", "RPC", "Schema",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(
            name: "CertsTests",
            dependencies: ["Certs"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["PolarisCLI"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["polarisctl"],
            exclude: ["Resources"]
        ),
    ],
    cxxLanguageStandard: .cxx17
)

for target in package.targets where target.type != .system && target.name.first != "C" {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}

// The hot paths (the engine's per-call work, the load driver) run without the
// runtime's dynamic exclusivity checks in release builds: each class-property
// access there paid for a check (~9% of a load test's instructions). Debug
// builds, and so the module tests, keep them.
for target in package.targets where ["RPC", "Bench"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    ]
}
