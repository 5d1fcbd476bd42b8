import AudioCore
import AudioDSP
import AudioIO
import Benchmark
import Foundation
import TrackGateTestSupport

// The hot stages of `check` and `process`, each on the same 30 s of music-like
// stereo at 44.1 kHz, streamed in blocks of 16,384 frames as the commands do.
// Names are plain words and dashes: the tool's threshold files are named after
// them, and its reader and writer disagree on other characters.
// Wall time is reported; regressions are gated on allocations (repeatable on
// any machine, unlike time on a shared VM): see Benchmarks/README.md.

let rate = 44_100
let blockFrames = 16_384
let music: [[Float]] = MusicSynth(sampleRate: rate, seed: 7).render(plan: [("intro", 10), ("verse", 10), ("chorus", 10)]).channels
let frames = music[0].count
let scratch: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("trackgate-stages-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// The track as planar blocks, ready to feed.
let blocks: [[[Float]]] = stride(from: 0, to: frames, by: blockFrames).map { start in
    music.map { Array($0[start..<min(frames, start + blockFrames)]) }
}

func feed(_ body: ([UnsafeBufferPointer<Float>]) -> Void) {
    for block in blocks { block.withUnsafeChannelPointers(body) }
}

/// A 16-bit WAV of the track, written once for the decoding benchmark.
let wavPath: String = {
    let path = scratch + "/music.wav"
    do {
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: rate, channelCount: 2, replaceExisting: true)
        try writer.write(AudioBuffer(sampleRate: rate, channels: music))
        try writer.commit()
    } catch { fatalError("cannot write \(path): \(error)") }
    return path
}()

nonisolated(unsafe) let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 1,
    scalingFactor: .one,
    maxDuration: .seconds(3),
    maxIterations: 20,
    // Allocations are the gate: a stage that starts allocating per block (or
    // per sample) shows here on any machine. Counts are per 30 s track.
    thresholds: [.mallocCountTotal: .init(relative: [.p90: 10.0], absolute: [.p90: 50])]
)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = configuration

    Benchmark("decode-wav16") { benchmark in
        for _ in benchmark.scaledIterations {
            var file = try SoundFile(path: wavPath)
            var block = AudioBlock(channelCount: 2, capacity: blockFrames)
            var total = 0
            while try file.read(into: &block) { total += block.frameCount }
            blackHole(total)
        }
    }

    Benchmark("meter-truepeak") { benchmark in
        for _ in benchmark.scaledIterations {
            var meter = LoudnessMeter(sampleRate: rate, channelWeights: [1, 1])
            feed { meter.add($0) }
            blackHole(meter.measurement)
        }
    }

    Benchmark("meter-no-truepeak") { benchmark in
        for _ in benchmark.scaledIterations {
            var meter = LoudnessMeter(sampleRate: rate, channelWeights: [1, 1], truePeak: false)
            feed { meter.add($0) }
            blackHole(meter.measurement)
        }
    }

    Benchmark("novelty-scan") { benchmark in
        for _ in benchmark.scaledIterations {
            var features = SpectralFeatures(sampleRate: rate)
            feed { features.add($0) }
            blackHole(NoveltyCurve.sectionChanges(features: features))
        }
    }

    Benchmark("limiter-6dB-hot") { benchmark in
        let hot = blocks.map { $0.map { $0.map { $0 * 2 } } }
        for _ in benchmark.scaledIterations {
            var limiter = TruePeakLimiter(channelCount: 2, sampleRate: rate, ceilingDBTP: -1)
            var out = 0
            for block in hot { block.withUnsafeChannelPointers { limiter.process($0) { out += $0[0].count } } }
            limiter.finish { out += $0[0].count }
            blackHole(out)
        }
    }

    for engine in ResamplerEngine.allCases {
        Benchmark("resample-48k-\(engine)-medium") { benchmark in
            for _ in benchmark.scaledIterations {
                var resampler = try Resampler(engine: engine, quality: .medium, channelCount: 2, inputRate: rate, outputRate: 48_000)
                var out = 0
                for block in blocks {
                    try block.withUnsafeChannelPointers { (channels) throws(AudioIOError) in
                        try resampler.process(channels) { (emitted) throws(AudioIOError) in out += emitted[0].count }
                    }
                }
                try resampler.finish { (emitted) throws(AudioIOError) in out += emitted[0].count }
                blackHole(out)
            }
        }
    }

    Benchmark("encode-wav16-dither") { benchmark in
        for _ in benchmark.scaledIterations {
            var writer = try SoundFileWriter(path: scratch + "/encoded.wav", format: .wav16, sampleRate: rate,
                                             channelCount: 2, dither: true, replaceExisting: true)
            for block in blocks {
                try block.withUnsafeChannelPointers { (channels) throws(AudioIOError) in try writer.write(channels: channels) }
            }
            try writer.commit()
        }
    }
}
