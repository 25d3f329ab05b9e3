// swift-tools-version: 6.0
import PackageDescription

// Layers (imports point down only):
//   gloss (CLI) -> GlossServer -> GlossSync -> GlossStore -> GlossCore
// The store, sync and test-support layers are optimized in debug builds too, assertions kept
// (`-assert-config Debug`). Most of the test suite's CPU is the randomized sync tests (1,000 seeds
// each, every run), whose time went to unoptimized generic code in these layers: optimized, the
// two take 39 s and 31 s instead of 47 s and 37 s (run together, stores in memory). Incremental
// builds recompile a changed file only, as before; a first build takes a few minutes more. For
// stepping through these layers in a debugger: `GLOSS_ONONE=1 swift build`.
let optimizedInDebug: [SwiftSetting] =
    Context.environment["GLOSS_ONONE"] != nil ? [] : [.unsafeFlags(["-O", "-assert-config", "Debug"], .when(configuration: .debug))]

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gloss", targets: ["gloss"]),
        .library(name: "GlossCore", targets: ["GlossCore"]),
        .library(name: "GlossStore", targets: ["GlossStore"]),
        .library(name: "GlossSync", targets: ["GlossSync"]),
        .library(name: "GlossServer", targets: ["GlossServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own lifecycle package, named so tests can stop a server gracefully.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "GlossCore", swiftSettings: optimizedInDebug),
        .target(
            name: "GlossStore",
            dependencies: ["GlossCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: optimizedInDebug
        ),
        .target(
            name: "GlossSync",
            dependencies: [
                "GlossCore", "GlossStore", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimizedInDebug
        ),
        .target(
            name: "GlossServer",
            dependencies: [
                "GlossSync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "gloss",
            dependencies: [
                "GlossCore", "GlossStore", "GlossSync", "GlossServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: [
                // Release builds on Linux link the Swift runtime and Foundation into the binary:
                // loading and relocating ~15 Swift shared libraries was most of every command's
                // start-up (`gloss --version` 27 -> 17 ms of CPU). lld resolves the static
                // archives in any order; RELR packs the relative relocations of the PIE. The
                // archives named here are what the dynamic modules' autolink entries leave out.
                .unsafeFlags(
                    [
                        "-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                        "-Xlinker", "-lFoundationNetworking", "-Xlinker", "-l_CFURLSessionInterface",
                        "-Xlinker", "-lFoundationInternationalization", "-Xlinker", "-l_FoundationICU",
                        "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-l_FoundationCShims",
                        "-Xlinker", "-lCoreFoundation", "-Xlinker", "-l:libcurl.so.4", "-Xlinker", "-lstdc++",
                    ], .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        .target(
            name: "GlossTestSupport",
            dependencies: ["GlossCore", "GlossStore", "GlossSync"],
            swiftSettings: optimizedInDebug
        ),
        .testTarget(name: "GlossCoreTests", dependencies: ["GlossCore", "GlossTestSupport"]),
        .testTarget(name: "GlossStoreTests", dependencies: ["GlossStore", "GlossTestSupport"]),
        .testTarget(name: "GlossSyncTests", dependencies: ["GlossSync", "GlossTestSupport"]),
        .testTarget(
            name: "GlossServerTests",
            dependencies: [
                "GlossServer", "GlossTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // End-to-end tests run the built `gloss` binary (`swift build` builds it); they do not
        // link its module, so its release link flags (a static Swift runtime) stay out of the
        // test bundle, which loads the toolchain's dynamic Testing library.
        .testTarget(name: "GlossCLITests", dependencies: ["GlossCore", "GlossStore", "GlossSync", "GlossTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
