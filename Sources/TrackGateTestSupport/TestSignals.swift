import AudioIO

/// Plain test signals with known properties.
public enum TestSignals {
    /// A sine of `amplitude` (peak) on every channel; channel `c` is shifted by `c * phaseStep` radians.
    public static func sine(frequency: Double, amplitude: Float = 0.5, seconds: Double, sampleRate: Int = 48_000,
                            channels: Int = 2, phaseStep: Double = 0) -> AudioBuffer {
        let frames = Int((seconds * Double(sampleRate)).rounded())
        let w = 2 * Double.pi * frequency / Double(sampleRate)
        let data = (0..<channels).map { c in
            (0..<frames).map { i in amplitude * Float(sin(w * Double(i) + Double(c) * phaseStep)) }
        }
        return AudioBuffer(sampleRate: sampleRate, channels: data)
    }

    /// Pink noise (-3 dB per octave, Paul Kellet's three-pole filter on white
    /// noise, within 0.5 dB from 10 Hz to Nyquist at 44.1 kHz), different per
    /// channel, scaled so its peak is `peak`: broadband material whose loudness a
    /// resampler's roll-off changes measurably.
    public static func pinkNoise(peak: Float = 0.5, seconds: Double, sampleRate: Int = 44_100,
                                 channels: Int = 2, seed: UInt64 = 1) -> AudioBuffer {
        var rng = SeededRandom(seed: seed)
        let frames = Int((seconds * Double(sampleRate)).rounded())
        var data = (0..<channels).map { _ in
            var (b0, b1, b2) = (0.0, 0.0, 0.0)
            return (0..<frames).map { _ -> Float in
                let white = Double(rng.bipolar())
                b0 = 0.99765 * b0 + white * 0.0990460
                b1 = 0.96300 * b1 + white * 0.2965164
                b2 = 0.57000 * b2 + white * 1.0526913
                return Float(b0 + b1 + b2 + white * 0.1848)
            }
        }
        let top = data.flatMap { $0 }.map(abs).max() ?? 1
        data = data.map { $0.map { $0 * peak / top } }
        return AudioBuffer(sampleRate: sampleRate, channels: data)
    }

    /// Uniform white noise, different per channel, reproducible from `seed`.
    public static func noise(amplitude: Float = 0.25, seconds: Double, sampleRate: Int = 48_000,
                             channels: Int = 2, seed: UInt64 = 1) -> AudioBuffer {
        var rng = SeededRandom(seed: seed)
        let frames = Int((seconds * Double(sampleRate)).rounded())
        let data = (0..<channels).map { _ in (0..<frames).map { _ in amplitude * rng.bipolar() } }
        return AudioBuffer(sampleRate: sampleRate, channels: data)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
