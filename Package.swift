// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The sample loops (oversampling, FFT, quantiser) are written over SIMD8; the
// default x86-64 target splits each into two 4-lane SSE operations. With
// TRACKGATE_NATIVE=1 (set by the scripts in scripts/ and Benchmarks/), on an
// x86-64 machine with AVX2 and FMA (every x86 server since 2013), the DSP
// targets are built for that CPU: 11 % faster checking and 15 % faster
// processing on the benchmark recordings, with bit-identical output
// (Benchmarks/README.md). Opt-in because such a binary needs such a CPU, and
// unsafe flags would keep the libraries from being a versioned dependency.
let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
let wideVectors = ProcessInfo.processInfo.environment["TRACKGATE_NATIVE"] == "1"
    && cpu.contains(" avx2") && cpu.contains(" fma") && cpu.contains(" bmi2")
let dspSettings: [SwiftSetting] = wideVectors ? [.unsafeFlags(["-target-cpu", "haswell"])] : []

// Layers, bottom to top: AudioCore (no dependencies) and the C shims -> AudioIO / AudioDSP /
// RequestModel -> TrackGate -> trackgate.
// The C module never appears in a public signature above AudioIO.
let package = Package(
    name: "TrackGate",
    products: [
        .executable(name: "trackgate", targets: ["TrackGateCLI"]),
        .library(name: "TrackGate", targets: ["TrackGate"]),
        .library(name: "AudioCore", targets: ["AudioCore"]),
        .library(name: "AudioIO", targets: ["AudioIO"]),
        .library(name: "RequestModel", targets: ["RequestModel"]),
        .library(name: "AudioDSP", targets: ["AudioDSP"]),
        // Signal generators shared by the tests and the nested Benchmarks package.
        .library(name: "TrackGateTestSupport", targets: ["TrackGateTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSndFile",
            pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]
        ),
        .systemLibrary(
            name: "CMPG123",
            pkgConfig: "libmpg123",
            providers: [.apt(["libmpg123-dev"])]
        ),
        // FFmpeg's libraries decode what libsndfile cannot (AAC/ALAC in MP4/M4A).
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswresample-dev"])]
        ),
        .systemLibrary(
            name: "CSampleRate",
            pkgConfig: "samplerate",
            providers: [.apt(["libsamplerate0-dev"])]
        ),
        .systemLibrary(
            name: "CSoxr",
            pkgConfig: "soxr",
            providers: [.apt(["libsoxr-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "AudioCore", swiftSettings: dspSettings),
        .target(name: "AudioIO", dependencies: ["AudioCore", "CSndFile", "CMPG123", "CFFmpeg", "CSampleRate", "CSoxr", "CCrypto"],
                swiftSettings: dspSettings),
        .target(name: "AudioDSP", dependencies: ["AudioCore"], swiftSettings: dspSettings),
        .target(name: "RequestModel"),
        .target(name: "TrackGate", dependencies: ["AudioCore", "AudioIO", "AudioDSP", "RequestModel"]),
        .executableTarget(
            name: "TrackGateCLI",
            dependencies: [
                "TrackGate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TrackGateTestSupport", dependencies: ["AudioCore", "AudioIO"]),
        .executableTarget(name: "make-samples", dependencies: ["AudioCore", "AudioIO", "RequestModel", "TrackGateTestSupport"]),
        .executableTarget(name: "make-cases", dependencies: ["TrackGateTestSupport"]),

        // libebur128 serves the tests as an independent implementation; the product never links it.
        .systemLibrary(name: "CEBUR128", path: "Tests/CEBUR128", pkgConfig: "libebur128",
                       providers: [.apt(["libebur128-dev"])]),
        .testTarget(name: "AudioDSPTests", dependencies: ["AudioCore", "AudioDSP", "AudioIO", "CEBUR128", "TrackGateTestSupport"]),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioCore", "AudioIO", "AudioDSP", "TrackGateTestSupport"]),
        .testTarget(name: "RequestModelTests", dependencies: ["RequestModel", "TrackGateTestSupport"]),
        .testTarget(name: "TrackGateTests", dependencies: ["AudioCore", "TrackGate", "TrackGateTestSupport", "CEBUR128"]),
        .testTarget(name: "TrackGateCLITests", dependencies: ["TrackGateTestSupport", "AudioCore", "AudioIO"]),
    ],
    swiftLanguageModes: [.v6]
)
