// swift-tools-version: 6.0
import PackageDescription

// Benchmarks live in their own package so the library's manifest stays free of their needs.
let package = Package(
    name: "EventRouterBenchmarks",
    dependencies: [
        .package(name: "EventRouter", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // zlib (to read .gz data) and a malloc counter.
        .target(name: "CBenchSupport", linkerSettings: [.linkedLibrary("z")]),
        .executableTarget(
            name: "eventrouter-bench",
            dependencies: [
                .product(name: "EventPatterns", package: "EventRouter"),
                "CBenchSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
