// swift-tools-version: 6.0
import PackageDescription

// Benchmark programs that print figures. Kept out of the main package so `swift build` there
// stays fast. Run: cd Benchmarks && swift run -c release <Name>
let package = Package(
    name: "GlossBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Gloss", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "StoreBenchmark",
            dependencies: [
                .product(name: "GlossCore", package: "Gloss"),
                .product(name: "GlossStore", package: "Gloss"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .executableTarget(
            name: "SyncBenchmark",
            dependencies: [
                .product(name: "GlossCore", package: "Gloss"),
                .product(name: "GlossStore", package: "Gloss"),
                .product(name: "GlossSync", package: "Gloss"),
                .product(name: "GlossServer", package: "Gloss"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .executableTarget(
            name: "WorkflowBenchmark",
            dependencies: [
                .product(name: "GlossCore", package: "Gloss"),
                .product(name: "GlossStore", package: "Gloss"),
            ]),
        .executableTarget(
            name: "ConflictBenchmark",
            dependencies: [
                .product(name: "GlossCore", package: "Gloss"),
                .product(name: "GlossStore", package: "Gloss"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
