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
