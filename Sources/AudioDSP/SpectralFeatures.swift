import AudioCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams audio into one feature vector per frame for section-change analysis:
/// log energies in 16 bands (level and timbre) followed by 12 chroma values
/// (harmony). By default frames are 2048 samples of the mono downmix with a
/// Hann window, taken every 2048 samples (46 ms at 44.1 kHz): section changes
/// live on a scale of seconds, so that resolution is ample and the cost small.
/// Longer, overlapping frames (`frameSize` > `hop`) resolve low notes better.
/// Alongside, it keeps the level of every eighth of a hop, the onset envelope
/// that `Tempogram` reads rhythm from (5.8 ms steps at the defaults).
public struct SpectralFeatures: Sendable, BlockConsumer {
    public static let bandCount = 16
    public static let chromaCount = 12
    public static var dimension: Int { bandCount + chromaCount }

    public let sampleRate: Int
    public let frameSize: Int
    /// Samples between frame starts.
    public let hop: Int
    private var spectrum: RealPowerSpectrum
    private var power: [Float]
    private var windowed: [Float]
    private let window: [Float]
    /// For each FFT bin: its band (or -1) and its pitch class (or -1).
    private let binBand: [Int]
    private let binChroma: [Int]
    private var buffer: [Float] = []
    /// Frame after frame, `dimension` values each.
    public private(set) var features: [Float] = []
    public private(set) var frameCount = 0
    /// Samples per level step: an eighth of the hop.
    public var levelStep: Int { hop / 8 }
    /// Level in dB of each `levelStep` samples of the mono mix, in order.
    public private(set) var levels: [Float] = []
    private var levelEnergy: Float = 0
    private var levelFill = 0

    public init(sampleRate: Int, frameSize: Int = 2048, hop: Int? = nil) {
        precondition(frameSize & (frameSize - 1) == 0 && (hop ?? frameSize) <= frameSize && (hop ?? frameSize) % 8 == 0)
        self.sampleRate = sampleRate
        self.frameSize = frameSize
        self.hop = hop ?? frameSize
        spectrum = RealPowerSpectrum(size: frameSize)
        power = [Float](repeating: 0, count: frameSize / 2 + 1)
        windowed = [Float](repeating: 0, count: frameSize)
        window = (0..<frameSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(frameSize))) }
        let binHz = Double(sampleRate) / Double(frameSize)
        // Bands spaced evenly in log frequency from 60 Hz to 16 kHz (or Nyquist).
        let low = 60.0, high = min(16_000, Double(sampleRate) / 2)
        binBand = (0...frameSize / 2).map { k in
            let f = Double(k) * binHz
            guard f >= low && f < high else { return -1 }
            return min(Self.bandCount - 1, Int(Double(Self.bandCount) * log(f / low) / log(high / low)))
        }
        // Pitch classes from 80 Hz to 5 kHz, where harmony is clearest.
        binChroma = (0...frameSize / 2).map { k in
            let f = Double(k) * binHz
            guard f >= 80 && f <= 5000 else { return -1 }
            let midi = 69 + 12 * log2(f / 440)
            return ((Int(midi.rounded()) % 12) + 12) % 12
        }
    }

    /// Seconds between frames.
    public var framePeriod: Double { Double(hop) / Double(sampleRate) }

    /// Adds a block (one buffer per channel); the channels are averaged, a
    /// non-finite sample counting as silence.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        let n = channels.first?.count ?? 0
        let scale = 1 / Float(channels.count)
        var offset = 0
        while offset < n {
            let take = min(n - offset, frameSize - buffer.count)
            let start = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: take))
            // Moved out and back so the closure can append without touching self.
            var (energy, fill, step) = (levelEnergy, levelFill, levelStep)
            var newLevels = levels
            levels = []
            buffer.withUnsafeMutableBufferPointer { b in
                let out = UnsafeMutableRawPointer(b.baseAddress! + start)
                for c in channels {
                    let x = UnsafeRawPointer(c.baseAddress! + offset)
                    var i = 0
                    while i + 8 <= take {
                        let v = x.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                        // x - x is NaN exactly where x is NaN or infinite.
                        let finite = v.replacing(with: 0, where: (v - v) .!= 0)
                        out.storeBytes(of: out.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) + finite,
                                       toByteOffset: 4 * i, as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < take {
                        let v = c[offset + i]
                        b[start + i] += v.isFinite ? v : 0
                        i += 1
                    }
                }
                var i = start
                while i < start + take {
                    let n = min(step - fill, start + take - i)
                    energy += Self.scale(b.baseAddress! + i, count: n, by: scale)
                    (fill, i) = (fill + n, i + n)
                    if fill == step {
                        newLevels.append(10 * log10(energy / Float(step) + 1e-9))
                        (energy, fill) = (0, 0)
                    }
                }
            }
            (levelEnergy, levelFill) = (energy, fill)
            levels = newLevels
            offset += take
            if buffer.count == frameSize {
                analyse()
                buffer.removeFirst(hop)
            }
        }
    }

    /// Multiplies `count` samples by `gain` in place; returns their energy after.
    private static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by gain: Float) -> Float {
        let raw = UnsafeMutableRawPointer(x)
        var sum = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) * gain
            raw.storeBytes(of: v, toByteOffset: 4 * i, as: SIMD8<Float>.self)
            sum += v * v
            i += 8
        }
        var energy = sum.sum()
        while i < count {
            x[i] *= gain
            energy += x[i] * x[i]
            i += 1
        }
        return energy
    }

    private mutating func analyse() {
        buffer.withUnsafeBufferPointer { x in
            window.withUnsafeBufferPointer { w in
                windowed.withUnsafeMutableBufferPointer { out in
                    for i in 0..<frameSize { out[i] = x[i] * w[i] }
                }
            }
        }
        windowed.withUnsafeBufferPointer { x in
            power.withUnsafeMutableBufferPointer { p in spectrum.compute(x, into: p) }
        }
        var bands = [Double](repeating: 0, count: Self.bandCount)
        var chroma = [Double](repeating: 0, count: Self.chromaCount)
        power.withUnsafeBufferPointer { power in
            binBand.withUnsafeBufferPointer { binBand in
                binChroma.withUnsafeBufferPointer { binChroma in
                    bands.withUnsafeMutableBufferPointer { bands in
                        chroma.withUnsafeMutableBufferPointer { chroma in
                            for k in 0...frameSize / 2 {
                                let p = Double(power[k])
                                if binBand[k] >= 0 { bands[binBand[k]] += p }
                                if binChroma[k] >= 0 { chroma[binChroma[k]] += p }
                            }
                        }
                    }
                }
            }
        }
        // Log energies with a floor at about -100 dBFS, so silence is finite.
        let floor = 1e-10 * Double(frameSize)
        for band in bands { features.append(Float(10 * log10(band + floor))) }
        // Chroma as shares of the harmonic energy, scaled to sit beside dB values.
        let total = chroma.reduce(0, +) + floor
        for value in chroma { features.append(Float(30 * value / total)) }
        frameCount += 1
    }
}
