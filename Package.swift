// swift-tools-version: 6.2
import PackageDescription

/// Settings every colfile target shares: Swift 6 mode, strict memory safety, warnings are errors.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .strictMemorySafety(),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "colfile",
    products: [
        .library(name: "ColFile", targets: ["ColFile"]),
        .library(name: "ColFileCSV", targets: ["ColFileCSV"]),
        // The tool's executable is `colfile`; its module is `ColFileTool`, so that no two
        // modules' (or source folders') names differ only by letter case.
        .executable(name: "colfile", targets: ["ColFileTool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "CColFile",
            dependencies: ["CZlib"]
        ),
        .target(
            name: "ColFile",
            dependencies: [
                "CColFile",
                "CZlib",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ColFileCSV",
            dependencies: [
                "ColFile",
                "CColFile",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ColFileTool",
            dependencies: [
                "ColFile",
                "ColFileCSV",
                "CColFile",
                "CZlib",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ColFileFuzzer",
            dependencies: ["ColFile"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ColFileTestSupport",
            dependencies: [
                "ColFile",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/ColFileTestSupport",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "colfile-fixture",
            dependencies: ["ColFile", "ColFileTestSupport"],
            path: "Tests/FixtureTool",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ColFileTests",
            dependencies: [
                "ColFile", "ColFileTestSupport", "CColFile", "CZlib",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ColFileCSVTests",
            dependencies: [
                "ColFile", "ColFileCSV", "ColFileTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ColFileCLITests",
            dependencies: [
                "ColFile", "ColFileTestSupport", "ColFileTool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
