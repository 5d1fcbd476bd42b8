#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions between amplitude ratios and decibels (20 log10), the one
/// definition for gains (dB), levels (dBFS) and true peaks (dBTP).
public enum Decibels {
    /// The amplitude ratio of `dB` decibels: 10^(dB / 20).
    @inlinable
    public static func amplitude(_ dB: Double) -> Double { pow(10, dB / 20) }

    /// `dB` as a single-precision sample gain.
    @inlinable
    public static func gain(_ dB: Double) -> Float { Float(pow(10, dB / 20)) }

    /// The decibels of an amplitude ratio: 20 log10(ratio); nil for 0 (silence has no level).
    @inlinable
    public static func level(_ amplitude: Double) -> Double? { amplitude > 0 ? 20 * log10(amplitude) : nil }
}
