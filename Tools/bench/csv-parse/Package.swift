// swift-tools-version: 6.2
import PackageDescription

// Parse-only speed of colfile's CSV scanner (`CSVScanner` of the ColFileCSV library, this
// repository's package) against yaslab/CSV.swift 2.5.2, which `colfile import` used before: see
// BENCHMARKS.md, "CSV import".
let package = Package(
    name: "csv-parse",
    dependencies: [
        .package(name: "colfile", path: "../../.."),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        .executableTarget(
            name: "csv-parse",
            dependencies: [
                .product(name: "ColFileCSV", package: "colfile"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6), .strictMemorySafety()]
        ),
    ]
)
