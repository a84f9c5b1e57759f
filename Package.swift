// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "EventRouter",
    products: [
        .library(name: "EventPatterns", targets: ["EventPatterns"]),
        .executable(name: "eventrouter", targets: ["eventrouter-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The matcher core: no dependencies, no Foundation.
        .target(name: "EventPatterns"),
        .executableTarget(
            name: "eventrouter-cli",
            dependencies: [
                "EventPatterns",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets: the naive reference matcher and fixture loading.
        .target(name: "PatternTestSupport", dependencies: ["EventPatterns"], path: "Tests/PatternTestSupport"),
        .testTarget(name: "EventPatternsTests", dependencies: ["EventPatterns", "PatternTestSupport"]),
    ]
)
