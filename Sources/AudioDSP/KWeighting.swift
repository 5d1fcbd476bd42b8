import AudioCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The K-weighting of ITU-R BS.1770-4, Annex 1: a high-shelf "pre-filter" that
/// models the head, then the RLB high-pass.
///
/// BS.1770-4 tabulates the coefficients for 48 kHz only. These are derived for
/// any rate from the analog prototypes behind those tables (shelf: 1681.97 Hz,
/// +4.0 dB, Q 0.7072; high-pass: 38.135 Hz, Q 0.5003), by the bilinear
/// transform with pre-warping, as libebur128 does; at 48 kHz they reproduce the
/// tabulated values.
public enum KWeighting {
    /// Stage 1 (BS.1770-4 Table 1 at 48 kHz).
    public static func preFilter(sampleRate: Double) -> BiquadCoefficients {
        let f0 = 1681.974450955533, gainDB = 3.999843853973347, q = 0.7071752369554196
        let k = tan(Double.pi * f0 / sampleRate)
        let vh = Decibels.amplitude(gainDB)
        let vb = pow(vh, 0.4996667741545416)
        let a0 = 1 + k / q + k * k
        return BiquadCoefficients(b0: (vh + vb * k / q + k * k) / a0, b1: 2 * (k * k - vh) / a0,
                                  b2: (vh - vb * k / q + k * k) / a0,
                                  a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
    }

    /// Stage 2, the RLB high-pass (BS.1770-4 Table 2 at 48 kHz).
    ///
    /// The numerator stays 1, -2, 1 as tabulated rather than being divided by
    /// a0 = 1 + K/Q + K^2. At 48 kHz that is the table's own passband gain of
    /// +0.043 dB; derived at other rates it becomes +0.047 dB at 44.1 kHz,
    /// +0.094 dB at 22.05 kHz, +0.022 dB at 96 kHz. libebur128 and ffmpeg make
    /// the same choice, so readings agree with theirs to the hundredth at every rate.
    public static func highPassPassbandGain(sampleRate: Double) -> Double {
        let k = tan(Double.pi * 38.13547087602444 / sampleRate)
        return 1 + k / 0.5003270373238773 + k * k
    }

    /// Stage 2 coefficients; see `highPassPassbandGain(sampleRate:)` for the numerator.
    public static func highPass(sampleRate: Double) -> BiquadCoefficients {
        let f0 = 38.13547087602444, q = 0.5003270373238773
        let k = tan(Double.pi * f0 / sampleRate)
        let a0 = 1 + k / q + k * k
        return BiquadCoefficients(b0: 1, b1: -2, b2: 1, a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
    }
}
