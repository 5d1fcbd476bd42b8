#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The synthetic test signals of EBU Tech 3341 (cases 1-6, 9-23) and Tech 3342
/// (cases 1-4), generated in code at any sample rate.
///
/// Levels are the peak of a 1 kHz sine in dBFS on every channel, as the Tech
/// documents state them; a stereo sine at -23 dBFS reads -23 LUFS.
public enum EBUTestSignals {
    /// One piece of a sequence: a 1 kHz sine at `dBFS` (nil for silence) for `seconds`.
    public struct Segment: Sendable {
        public var dBFS: Double?
        public var seconds: Double
        public init(_ dBFS: Double?, _ seconds: Double) {
            self.dBFS = dBFS
            self.seconds = seconds
        }
    }

    /// Pieces played back to back, each `channels` wide (levels per channel when
    /// `channelLevels` is given, which overrides the segment level), phase-continuous.
    public static func sequence(_ segments: [Segment], sampleRate: Int, channels: Int = 2,
                                channelLevels: [Double]? = nil) -> [[Float]] {
        var out = [[Float]](repeating: [], count: channels)
        let w = 2 * Double.pi * 1000 / Double(sampleRate)
        var n = 0
        for segment in segments {
            let frames = Int((segment.seconds * Double(sampleRate)).rounded())
            for c in 0..<channels {
                let level = channelLevels?[c] ?? segment.dBFS
                let a = level.map { pow(10, $0 / 20) } ?? 0
                out[c].append(contentsOf: (0..<frames).map { Float(a * sin(w * Double(n + $0))) })
            }
            n += frames
        }
        return out
    }

    /// Tech 3341 true-peak signals 15-19: a sine at `rate / divisor` Hz with a
    /// phase offset, 2 s long with 10 ms fades, on two channels.
    public static func truePeakSine(sampleRate: Int, divisor: Double, phaseDegrees: Double,
                                    amplitude: Double, fractionalDelay: Double = 0) -> [[Float]] {
        let frames = 2 * sampleRate
        let w = 2 * Double.pi / divisor
        let phase = phaseDegrees * Double.pi / 180
        let fade = sampleRate / 100
        let channel = (0..<frames).map { i -> Float in
            let ramp = min(1, Double(min(i, frames - 1 - i)) / Double(fade))
            return Float(amplitude * ramp * sin(w * (Double(i) + fractionalDelay) + phase))
        }
        return [channel, channel]
    }

    /// The Tech 3341 cases 15-23 with their expected true peak (dBTP).
    /// 15-19 are specified as sines; 20-23 are published as recordings of one
    /// 0 dBTP signal taken at four sub-sample offsets, made here as an fs/6 sine
    /// of amplitude 1 sampled a quarter sample apart.
    public static func truePeakCases(sampleRate: Int) -> [(name: String, signal: [[Float]], expectedDBTP: Double)] {
        var cases: [(String, [[Float]], Double)] = [
            ("15", truePeakSine(sampleRate: sampleRate, divisor: 4, phaseDegrees: 0, amplitude: 0.5), 20 * log10(0.5)),
            ("16", truePeakSine(sampleRate: sampleRate, divisor: 4, phaseDegrees: 45, amplitude: 0.5), 20 * log10(0.5)),
            ("17", truePeakSine(sampleRate: sampleRate, divisor: 6, phaseDegrees: 60, amplitude: 0.5), 20 * log10(0.5)),
            ("18", truePeakSine(sampleRate: sampleRate, divisor: 8, phaseDegrees: 67.5, amplitude: 0.5), 20 * log10(0.5)),
            ("19", truePeakSine(sampleRate: sampleRate, divisor: 4, phaseDegrees: 45, amplitude: 1.41), 20 * log10(1.41)),
        ]
        for (k, name) in ["20", "21", "22", "23"].enumerated() {
            cases.append((name, truePeakSine(sampleRate: sampleRate, divisor: 6, phaseDegrees: 90,
                                             amplitude: 1, fractionalDelay: Double(k) / 4), 0))
        }
        return cases
    }
}
