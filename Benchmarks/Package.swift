// swift-tools-version: 6.1
import PackageDescription

// A path dependency is known by its folder's name, which differs between checkouts.
let root = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "main"

// Benchmarks live in their own package so the main build never needs libebur128
// or the benchmark tooling.
let package = Package(
    name: "TrackGateBenchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .systemLibrary(name: "CEBUR128", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
        .executableTarget(
            name: "loudness-benchmark",
            dependencies: [
                "CEBUR128",
                .product(name: "AudioCore", package: root),
                .product(name: "AudioDSP", package: root),
                .product(name: "AudioIO", package: root),
                .product(name: "TrackGate", package: root),
                .product(name: "TrackGateTestSupport", package: root),
            ]
        ),
        // package-benchmark suites (`swift package benchmark`): the hot stages on
        // 30 s of music-like stereo, gated on allocation counts.
        .executableTarget(
            name: "TrackGateStages",
            dependencies: [
                .product(name: "AudioCore", package: root),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AudioDSP", package: root),
                .product(name: "AudioIO", package: root),
                .product(name: "TrackGateTestSupport", package: root),
            ],
            path: "Benchmarks/TrackGateStages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The material of side-by-side.sh, and the decode-and-write limit it measures.
        .executableTarget(
            name: "make-batch",
            dependencies: [
                .product(name: "AudioCore", package: root),
                .product(name: "AudioIO", package: root),
                .product(name: "TrackGateTestSupport", package: root),
            ]
        ),
        .executableTarget(
            name: "decode-write",
            dependencies: [.product(name: "AudioCore", package: root), .product(name: "AudioIO", package: root)]
        ),
        .executableTarget(
            name: "plan-eval",
            dependencies: [
                .product(name: "AudioCore", package: root),
                .product(name: "AudioDSP", package: root),
                .product(name: "AudioIO", package: root),
            ]
        ),
        .executableTarget(
            name: "boundary-eval",
            dependencies: [
                .product(name: "AudioCore", package: root),
                .product(name: "AudioDSP", package: root),
                .product(name: "AudioIO", package: root),
                .product(name: "TrackGateTestSupport", package: root),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
