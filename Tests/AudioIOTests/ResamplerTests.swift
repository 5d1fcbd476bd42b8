import AudioCore
import AudioDSP
import AudioIO
import Foundation
import Testing

/// Resampler quality, measured against the analytic signal at the output rate.
///
/// Every test signal here is a sum of sines with known frequency, amplitude and
/// phase, so the ideal output is computable at any rate: the error of a resampler
/// is the converted signal minus that ideal, sample by sample.
@Suite struct ResamplerTests {
    struct Tone { var frequency: Double; var amplitude: Double; var phase: Double = 0 }

    /// Sums of sines, evaluated at `n / rate`, with raised-cosine fades of `fade` seconds
    /// at both ends so the signal starts and stops cleanly (and so can be compared at the ends).
    static func render(_ tones: [Tone], rate: Int, frames: Int, fade: Double = 0) -> [Float] {
        let fadeFrames = fade * Double(rate)
        let total = Double(frames) / Double(rate)
        return (0..<frames).map { n in
            let t = Double(n) / Double(rate)
            var v = 0.0
            for tone in tones { v += tone.amplitude * sin(2 * .pi * tone.frequency * t + tone.phase) }
            return Float(v * Self.envelope(t, total: total, fade: fade, fadeFrames: fadeFrames))
        }
    }

    static func envelope(_ t: Double, total: Double, fade: Double, fadeFrames: Double) -> Double {
        guard fade > 0 else { return 1 }
        let edge = min(t, total - t)
        return edge >= fade ? 1 : edge <= 0 ? 0 : 0.5 - 0.5 * cos(.pi * edge / fade)
    }

    static func resample(_ channels: [[Float]], engine: ResamplerEngine, quality: ResampleQuality,
                         from inputRate: Int, to outputRate: Int, blockSize: Int = 10_000) throws -> [[Float]] {
        var resampler = try Resampler(engine: engine, quality: quality, channelCount: channels.count,
                                      inputRate: inputRate, outputRate: outputRate)
        var out = Array(repeating: [Float](), count: channels.count)
        let frames = channels[0].count
        var offset = 0
        while offset < frames {
            let n = min(blockSize, frames - offset)
            let slices = channels.map { Array($0[offset ..< offset + n]) }
            try slices.withUnsafeChannelPointers { (buffers) throws(AudioIOError) in
                try resampler.process(buffers) { produced throws(AudioIOError) in
                    for c in produced.indices { out[c].append(contentsOf: produced[c]) }
                }
            }
            offset += n
        }
        try resampler.finish { produced throws(AudioIOError) in
            for c in produced.indices { out[c].append(contentsOf: produced[c]) }
        }
        return out
    }

    /// Amplitude of the component at `frequency`, by least squares over `range`.
    static func amplitude(of signal: [Float], frequency: Double, rate: Int, range: Range<Int>) -> Double {
        var s = 0.0, c = 0.0
        for n in range {
            let w = 2 * Double.pi * frequency * Double(n) / Double(rate)
            s += Double(signal[n]) * sin(w)
            c += Double(signal[n]) * cos(w)
        }
        return 2 * (s * s + c * c).squareRoot() / Double(range.count)
    }

    /// Ratio of the ideal's power to the error's, in dB, over `range`.
    static func snr(_ signal: [Float], ideal: [Float], range: Range<Int>) -> Double {
        var p = 0.0, e = 0.0
        for n in range {
            p += Double(ideal[n]) * Double(ideal[n])
            let d = Double(signal[n]) - Double(ideal[n])
            e += d * d
        }
        return 10 * log10(p / max(e, 1e-300))
    }

    /// What each preset achieved when measured (README, "Resampling"), less a margin:
    /// the edge of its ±0.1 dB passband at 44.1 kHz, alias rejection from 48 kHz and
    /// from 96 kHz to 44.1 kHz, and SNR against the ideal on 44.1 to 48 kHz.
    struct Figures { var passband: Double; var alias48: Double; var alias96: Double; var snr: Double }
    static let figures: [String: Figures] = [
        "libsamplerate best": Figures(passband: 20_500, alias48: -155, alias96: -175, snr: 140),
        "libsamplerate medium": Figures(passband: 19_000, alias48: -118, alias96: -130, snr: 125),
        "libsamplerate fast": Figures(passband: 15_500, alias48: -118, alias96: -118, snr: 100),
        "soxr best": Figures(passband: 20_500, alias48: -190, alias96: -190, snr: 142),
        "soxr medium": Figures(passband: 20_500, alias48: -130, alias96: -140, snr: 128),
        "soxr fast": Figures(passband: 17_000, alias48: -110, alias96: -140, snr: 80),
    ]

    static let presets: [(ResamplerEngine, ResampleQuality)] = ResamplerEngine.allCases.flatMap { e in
        ResampleQuality.allCases.map { (e, $0) }
    }

    @Test(arguments: presets)
    func passbandIsFlat(engine: ResamplerEngine, quality: ResampleQuality) throws {
        let limit = try #require(Self.figures["\(engine) \(quality)"])
        for f in stride(from: 500.0, through: limit.passband, by: 500) {
            let x = Self.render([Tone(frequency: f, amplitude: 0.5)], rate: 48_000, frames: 24_000)
            let y = try Self.resample([x], engine: engine, quality: quality, from: 48_000, to: 44_100)[0]
            let dB = 20 * log10(Self.amplitude(of: y, frequency: f, rate: 44_100, range: 2205 ..< y.count - 2205) / 0.5)
            #expect(abs(dB) <= 0.1, "\(engine) \(quality) at \(f) Hz: \(dB) dB")
        }
    }

    @Test(arguments: presets)
    func rejectsAliases(engine: ResamplerEngine, quality: ResampleQuality) throws {
        let limit = try #require(Self.figures["\(engine) \(quality)"])
        // 23 kHz cannot exist at 44.1 kHz; what passes folds to 44.1 - 23 = 21.1 kHz.
        let x = Self.render([Tone(frequency: 23_000, amplitude: 0.5)], rate: 48_000, frames: 48_000)
        let y = try Self.resample([x], engine: engine, quality: quality, from: 48_000, to: 44_100)[0]
        let folded = Self.amplitude(of: y, frequency: 21_100, rate: 44_100, range: 4410 ..< y.count - 4410)
        #expect(20 * log10(folded / 0.5) <= limit.alias48, "\(engine) \(quality)")
        // From 96 kHz, 30 kHz folds to 14.1 kHz, inside the passband where it would be heard.
        let x96 = Self.render([Tone(frequency: 30_000, amplitude: 0.5)], rate: 96_000, frames: 96_000)
        let y96 = try Self.resample([x96], engine: engine, quality: quality, from: 96_000, to: 44_100)[0]
        let folded96 = Self.amplitude(of: y96, frequency: 14_100, rate: 44_100, range: 4410 ..< y96.count - 4410)
        #expect(20 * log10(folded96 / 0.5) <= limit.alias96, "\(engine) \(quality)")
    }

    /// Two tones with faded ends, compared with their ideal at the output rate over
    /// the whole length: a delay of a single sample would cost over 100 dB here, and
    /// a click at either end would show in the end segments.
    @Test(arguments: presets)
    func matchesTheIdealWithNoDelay(engine: ResamplerEngine, quality: ResampleQuality) throws {
        let limit = try #require(Self.figures["\(engine) \(quality)"])
        let tones = [Tone(frequency: 997, amplitude: 0.3), Tone(frequency: 9_973, amplitude: 0.3, phase: 1)]
        let x = Self.render(tones, rate: 44_100, frames: 44_100, fade: 0.01)
        let y = try Self.resample([x], engine: engine, quality: quality, from: 44_100, to: 48_000)[0]
        let ideal = Self.render(tones, rate: 48_000, frames: 48_000, fade: 0.01)
        #expect(y.count == 48_000)
        #expect(Self.snr(y, ideal: ideal, range: 0 ..< 48_000) >= limit.snr, "\(engine) \(quality)")
        #expect(Self.snr(y, ideal: ideal, range: 0 ..< 960) >= limit.snr - 20, "start of \(engine) \(quality)")
        #expect(Self.snr(y, ideal: ideal, range: 47_040 ..< 48_000) >= limit.snr - 20, "end of \(engine) \(quality)")
    }

    @Test(arguments: ResamplerEngine.allCases)
    func outputLengthIsExact(engine: ResamplerEngine) throws {
        let cases: [(Int, Int, Int)] = [(44_100, 48_000, 12_345), (48_000, 44_100, 12_345), (22_050, 96_000, 1),
                                        (192_000, 44_100, 7), (96_000, 44_100, 100_003), (44_100, 44_100 * 3, 999)]
        for (from, to, frames) in cases {
            let x = Self.render([Tone(frequency: 440, amplitude: 0.5)], rate: from, frames: frames)
            let y = try Self.resample([x], engine: engine, quality: .medium, from: from, to: to, blockSize: 4000)
            let expected = Int((Double(frames) * Double(to) / Double(from)).rounded())
            #expect(y[0].count == expected, "\(engine) \(from) -> \(to), \(frames) frames")
        }
        let empty = try Self.resample([[]], engine: engine, quality: .medium, from: 44_100, to: 48_000)
        #expect(empty[0].isEmpty)
    }

    /// Block boundaries are invisible: odd block sizes give the same samples as one
    /// big block, and each channel of a 6-channel stream equals that channel alone.
    @Test(arguments: ResamplerEngine.allCases)
    func streamingAndChannelsAreIndependent(engine: ResamplerEngine) throws {
        let channels = (0..<6).map { c in
            Self.render([Tone(frequency: 200 + 700 * Double(c), amplitude: 0.4, phase: Double(c))], rate: 44_100, frames: 30_011)
        }
        let whole = try Self.resample(channels, engine: engine, quality: .best, from: 44_100, to: 48_000, blockSize: 1 << 20)
        let pieces = try Self.resample(channels, engine: engine, quality: .best, from: 44_100, to: 48_000, blockSize: 997)
        for c in 0..<6 {
            let diff = zip(whole[c], pieces[c]).map { abs($0 - $1) }.max() ?? 0
            #expect(diff <= 1e-6, "\(engine) channel \(c): \(diff)")
            let alone = try Self.resample([channels[c]], engine: engine, quality: .best, from: 44_100, to: 48_000)[0]
            let cross = zip(whole[c], alone).map { abs($0 - $1) }.max() ?? 0
            #expect(cross <= 1e-6, "\(engine) channel \(c) alone: \(cross)")
        }
    }

    @Test func refusesImpossibleRates() {
        for (from, to) in [(8_000, 3_000_000), (0, 44_100), (44_100, -1)] {
            #expect(throws: AudioIOError.self) {
                _ = try Resampler(engine: .libsamplerate, quality: .medium, channelCount: 1, inputRate: from, outputRate: to)
            }
        }
    }
}
