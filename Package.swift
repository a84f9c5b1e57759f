// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "EventRouter",
    products: [
        .library(name: "EventPatterns", targets: ["EventPatterns"]),
        .library(name: "EventSchedule", targets: ["EventSchedule"]),
        .library(name: "EventBus", targets: ["EventBus", "EventTargets", "EventInput"]),
        // Simulated AWS services that are rule targets and event sources (Documentation/SIMULATORS.md).
        .library(name: "Simulators", targets: ["BatchSimulator", "EMRSimulator", "ELBSimulator", "SimulatedServices"]),
        .executable(name: "eventrouter", targets: ["eventrouter-cli"]),
        // The C library (include/eventrouter.h). `make lib` builds the shippable libeventrouter.so from it:
        // self-contained (static Swift runtime), only `evr_*` exported, soname libeventrouter.so.0.
        .library(name: "EventRouterC", type: .dynamic, targets: ["EventRouterC"]),
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
                "EventBus",
                "EventTargets",
                "SimulatedServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Schedule expressions (rate/cron/at), fire times, time zones. Foundation only, for zones.
        .target(name: "EventSchedule"),
        .testTarget(name: "EventScheduleTests", dependencies: ["EventSchedule", "EventPatterns"]),
        // What a target receives: Input, InputPath, InputTransformer (validation and rendering).
        .target(name: "EventInput", dependencies: ["EventPatterns"]),
        .testTarget(name: "EventInputTests", dependencies: ["EventInput", "EventPatterns"]),
        // The event envelope, target protocol and clocks shared by the bus and the simulators.
        .target(name: "EventTargets", dependencies: ["EventPatterns", "EventSchedule"]),
        // Buses, rules, targets, delivery, permissions, archives; the AWS-shaped JSON API.
        .target(name: "EventBus", dependencies: ["EventPatterns", "EventSchedule", "EventTargets", "EventInput"]),
        .testTarget(name: "EventBusTests", dependencies: ["EventBus", "EventTargets", "EventInput", "EventPatterns", "EventSchedule", "PatternTestSupport"]),
        // Simulated AWS services (`SimulatedService`): Batch, EMR, ELBv2. Each knows only the target and
        // event protocols of EventTargets, never the bus; their tests drive them through a Router.
        .target(name: "BatchSimulator", dependencies: ["EventTargets", "EventPatterns", "EventSchedule"]),
        .testTarget(name: "BatchSimulatorTests", dependencies: ["BatchSimulator", "EventBus", "EventTargets", "EventPatterns", "EventSchedule", "SimulatorTestSupport"]),
        .target(name: "EMRSimulator", dependencies: ["EventTargets", "EventPatterns", "EventSchedule"]),
        .testTarget(name: "EMRSimulatorTests", dependencies: ["EMRSimulator", "EventBus", "EventTargets", "EventPatterns", "EventSchedule", "SimulatorTestSupport"]),
        .target(name: "ELBSimulator", dependencies: ["EventTargets", "EventPatterns", "EventSchedule"]),
        .testTarget(name: "ELBSimulatorTests", dependencies: ["ELBSimulator", "EventBus", "EventTargets", "EventPatterns", "EventSchedule", "SimulatorTestSupport"]),
        // `Router.attachSimulators(seed:)`: all three on one router (the CLI, the C library, the server).
        .target(name: "SimulatedServices", dependencies: ["EventBus", "BatchSimulator", "EMRSimulator", "ELBSimulator"]),
        // Shared by the simulators' test targets: hostile values, a slow sink, transition-order checks.
        .target(name: "SimulatorTestSupport", dependencies: ["EventBus", "EventTargets", "EventPatterns"], path: "Tests/SimulatorTestSupport"),
        // Shared by the test targets: the naive reference matcher and fixture loading.
        .target(name: "PatternTestSupport", dependencies: ["EventPatterns"], path: "Tests/PatternTestSupport"),
        .testTarget(name: "EventPatternsTests", dependencies: ["EventPatterns", "PatternTestSupport", "FuzzHarnessChecks"]),
        // The fuzzers' checks (fuzz/Checks/FuzzCheck.swift), compiled here too so that `swift test` replays
        // fuzz/corpora and fuzz/regressions without libFuzzer. The fuzz package's copies of the reference
        // matcher and generator are symlinks to PatternTestSupport, so they are excluded here.
        // jansson (Debian's libjansson-dev), the second opinion of the JSON differential check.
        .systemLibrary(name: "CJansson", path: "fuzz/CJansson", pkgConfig: "jansson", providers: [.apt(["libjansson-dev"])]),
        .target(name: "FuzzHarnessChecks", dependencies: ["EventPatterns", "EventSchedule", "EventBus", "EventTargets", "EventInput", "SimulatedServices", "PatternTestSupport", "CJansson"],
                path: "fuzz/Checks", exclude: ["ReferenceMatcher.swift", "PatternGenerator.swift"]),
        // Runs the built `eventrouter` tool; the dependency makes `swift test` build it first.
        // The hand-written C header, imported so that `@c @implementation` checks every signature.
        .systemLibrary(name: "CEventRouter", path: "include"),
        // The only module with C exports: validates every input and maps Swift errors to statuses.
        .target(name: "EventRouterC", dependencies: ["CEventRouter", "EventPatterns", "EventSchedule", "EventBus", "EventTargets", "SimulatedServices"]),
        // Drives the C API through its C declarations (the header), from Swift.
        .testTarget(name: "EventRouterCTests", dependencies: ["CEventRouter", "EventRouterC", "PatternTestSupport", "EventPatterns"]),
        .testTarget(name: "CommandLineTests", dependencies: ["eventrouter-cli", "EventPatterns", "PatternTestSupport"]),
    ]
)
