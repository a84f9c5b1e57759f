// swift-tools-version: 6.0
import PackageDescription

// EventRouter as a service: AWS's wire protocols over HTTP (Documentation/SERVER.md).
// A package of its own so that the library keeps no dependencies.
let package = Package(
    name: "EventRouterServer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "eventrouter-server", targets: ["eventrouter-server"]),
        .library(name: "EventRouterServer", targets: ["EventRouterServer"]),
    ],
    dependencies: [
        .package(name: "EventRouter", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // Protocol logic, independent of the HTTP server: SigV4, credentials, the JSON / REST-JSON /
        // query protocol adapters, the XML writer, and the dispatcher onto `Router.call`.
        .target(
            name: "EventRouterServer",
            dependencies: [
                .product(name: "EventBus", package: "EventRouter"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The HTTP server (Hummingbird) and the command line: thin.
        .executableTarget(
            name: "eventrouter-server",
            dependencies: [
                "EventRouterServer",
                .product(name: "EventBus", package: "EventRouter"),
                .product(name: "Simulators", package: "EventRouter"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EventRouterServerTests", dependencies: ["EventRouterServer", .product(name: "EventBus", package: "EventRouter")]),
    ]
)
