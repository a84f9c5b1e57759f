// swift-tools-version: 6.0
// libFuzzer harnesses for EventRouter. Build and run with `fuzz/run.sh` (see README.md); a plain
// `swift build` here fails at link time, as the executables need `-sanitize=fuzzer`.
import PackageDescription

let fuzzers = ["fuzz-pattern", "fuzz-match", "fuzz-differential", "fuzz-json", "fuzz-schedule", "fuzz-router", "fuzz-transform", "fuzz-policy", "fuzz-services"]

let package = Package(
    name: "EventRouterFuzz",
    products: fuzzers.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(name: "EventRouter", path: ".."),
    ],
    targets: [
        // Declares LLVMFuzzerRunDriver for Swift.
        .target(name: "CFuzzDriver"),
        // jansson, for the JSON differential check.
        .systemLibrary(name: "CJansson", path: "CJansson", pkgConfig: "jansson", providers: [.apt(["libjansson-dev"])]),
        // The checks, shared with the main package's replay tests (which compile Checks/ too; the two
        // symlinked files are the test support's reference matcher and pattern generator).
        .target(
            name: "FuzzChecks",
            dependencies: [
                .product(name: "EventPatterns", package: "EventRouter"),
                .product(name: "EventSchedule", package: "EventRouter"),
                .product(name: "EventBus", package: "EventRouter"),
                .product(name: "Simulators", package: "EventRouter"),
                "CJansson",
            ],
            path: "Checks"
        ),
    ] + fuzzers.map {
        .executableTarget(name: $0, dependencies: ["CFuzzDriver", "FuzzChecks"], path: "Sources/\($0)")
    }
)
