import AudioCore

/// Rounds float samples to the grid of a `bits`-deep integer format, with
/// triangular (TPDF) dither.
///
/// TPDF dither, the difference of two independent uniform values of one step
/// each, is the lowest-power dither that makes the first and second moments of
/// the total error independent of the signal (Wannamaker, Lipshitz & Vanderkooy,
/// "A Theory of Nonsubtractive Dither", IEEE Trans. Signal Processing 48, 2000):
/// the error is noise of variance step²/4 (−101.2 dBFS RMS at 16 bits, full
/// band), with no distortion products and no noise that follows the music, and
/// signals below one step survive as signals, not as silence.
///
/// `SoundFileWriter` quantises every integer output through one of these (with
/// dither off, plain rounding: a decode and re-encode is then bit-exact).
/// The noise comes from seeded generators: the same input and seed give the
/// same file, which keeps reruns of a batch byte-identical.
///
/// Formats of up to 20 bits are quantised eight samples at a time in single
/// precision, which holds every step of such a grid with room for the dither;
/// the dither there comes from sixteen xorshift32 generators, one per lane and
/// draw, seeded for each call from the SplitMix64 stream. Deeper formats go one sample at a time in double precision, with
/// SplitMix64 noise.
public struct Quantizer: Sendable {
    public let bits: Int
    public let dithered: Bool
    private let scale: Double
    private let low: Double
    private let high: Double
    private var random: SplitMix64

    public init(bits: Int, dithered: Bool = true, seed: UInt64 = 0x5EED_7D1F) {
        precondition((2...31).contains(bits))
        self.bits = bits
        self.dithered = dithered
        scale = Double(1 << (bits - 1))
        low = -scale
        high = scale - 1
        random = SplitMix64(seed: seed)

    }

    /// Quantises a channel in place: every value becomes `k / 2^(bits-1)`.
    public mutating func process(_ samples: UnsafeMutableBufferPointer<Float>) {
        guard let base = samples.baseAddress else { return }
        let steps = UnsafeMutableBufferPointer<Int32>.allocate(capacity: samples.count)
        defer { steps.deallocate() }
        quantise(UnsafeBufferPointer(start: base, count: samples.count), into: steps, shift: 0)
        let inverse = 1 / scale
        for i in samples.indices { samples[i] = Float(Double(steps[i]) * inverse) }
    }

    /// Quantises into the top `bits` of each `Int32`, where libsndfile's integer
    /// path stores them without rounding again.
    mutating func quantise(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Int32>) {
        quantise(source, into: destination, shift: Int32(32 - bits))
    }

    private mutating func quantise(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Int32>,
                                   shift: Int32) {
        var i = 0
        if bits <= 20, let from = source.baseAddress, let to = destination.baseAddress {
            let input = UnsafeRawPointer(from), output = UnsafeMutableRawPointer(to)
            // Each call seeds its lane generators from the SplitMix64 stream (xorshift32 must
            // not start at 0). Keeping them in the struct instead made the noncopyable
            // `SoundFileWriter` that holds it crash in `close()` (Swift 6.3.1, release).
            var a = SIMD8<UInt32>(), b = SIMD8<UInt32>()
            for lane in 0..<8 {
                a[lane] = UInt32(truncatingIfNeeded: random.next()) | 1
                b[lane] = UInt32(truncatingIfNeeded: random.next()) | 1
            }
            while i + 8 <= source.count {
                let steps = eightSteps(input.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self), &a, &b)
                output.storeBytes(of: steps &<< SIMD8(repeating: shift), toByteOffset: 4 * i, as: SIMD8<Int32>.self)
                i += 8
            }
            if i < source.count {
                var tail = SIMD8<Float>()
                for k in 0..<(source.count - i) { tail[k] = from[i + k] }
                let steps = eightSteps(tail, &a, &b)
                for k in 0..<(source.count - i) { to[i + k] = steps[k] &<< shift }
            }
            return
        }
        while i < source.count { destination[i] = step(source[i]) &<< shift; i += 1 }
    }

    /// Eight samples: scaled, dithered, clipped and rounded half to even in single
    /// precision (exact for |v| < 2^22: adding 1.5 * 2^23 leaves no fraction bits,
    /// and the integer is the low bits of the sum's pattern).
    @inline(__always)
    private func eightSteps(_ x: SIMD8<Float>, _ first: inout SIMD8<UInt32>, _ second: inout SIMD8<UInt32>) -> SIMD8<Int32> {
        var v = x * Float(scale)
        v.replace(with: 0, where: v .!= v)
        if dithered {
            // Two uniform draws on [-2^31, 2^31) per lane; their difference, in steps, is triangular on (-1, 1).
            first ^= first &<< 13; first ^= first &>> 17; first ^= first &<< 5
            second ^= second &<< 13; second ^= second &>> 17; second ^= second &<< 5
            let a = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: first))
            let b = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: second))
            v += (a - b) * 0x1p-32
        }
        v.replace(with: Float(high), where: v .> Float(high))
        v.replace(with: Float(low), where: v .< Float(low))
        let magic: Float = 12_582_912
        return unsafeBitCast(v + magic, to: SIMD8<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
    }

    /// One sample: scaled, dithered, rounded to the nearest step and clipped to
    /// the format's range. NaN becomes 0; everything beyond full scale clips.
    @inline(__always)
    private mutating func step(_ x: Float) -> Int32 {
        var v = Double(x) * scale
        if dithered {
            // Two 32-bit uniforms from one 64-bit draw; their difference, in steps, is triangular on (-1, 1).
            let r = random.next()
            v += (Double(UInt32(truncatingIfNeeded: r)) - Double(UInt32(truncatingIfNeeded: r >> 32))) * 0x1p-32
        }
        guard !v.isNaN else { return 0 }
        return Self.roundToEven(min(high, max(low, v)))
    }

    /// Round half to even, for |x| < 2^31: adding 1.5 * 2^52 leaves no fraction
    /// bits, so the FPU rounds the sum to nearest even and its low 32 bits are
    /// the integer, two's complement. Clipping first keeps x in range. (The
    /// plain `Int32(x.rounded(.toNearestOrEven))` is a call to `rint` and a
    /// range check per sample on the baseline x86-64 target.)
    @inline(__always)
    static func roundToEven(_ x: Double) -> Int32 {
        Int32(truncatingIfNeeded: (x + 6_755_399_441_055_744.0).bitPattern)
    }
}
