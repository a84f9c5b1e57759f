// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "EventRouter",
    products: [
        .library(name: "EventPatterns", targets: ["EventPatterns"]),
        .library(name: "EventSchedule", targets: ["EventSchedule"]),
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
                "EventSchedule",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Schedule expressions (rate/cron/at), fire times, time zones. Foundation only, for zones.
        .target(name: "EventSchedule"),
        .testTarget(name: "EventScheduleTests", dependencies: ["EventSchedule"]),
        // Shared by the test targets: the naive reference matcher and fixture loading.
        .target(name: "PatternTestSupport", dependencies: ["EventPatterns"], path: "Tests/PatternTestSupport"),
        .testTarget(name: "EventPatternsTests", dependencies: ["EventPatterns", "PatternTestSupport"]),
        // Runs the built `eventrouter` tool; the dependency makes `swift test` build it first.
        .testTarget(name: "CommandLineTests", dependencies: ["eventrouter-cli", "EventPatterns", "PatternTestSupport"]),
    ]
)
