#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gated statistics of BS.1770-4 and EBU Tech 3342, as pure functions of
/// mean-square block energies (K-weighted, channel-weighted).
public enum LoudnessGating {
    /// Loudness of a mean-square energy: L = -0.691 + 10 log10(E) (BS.1770-4 eq. 2).
    @inlinable
    public static func loudness(energy: Double) -> Double { -0.691 + 10 * log10(energy) }

    /// The energy whose loudness is `lufs`.
    @inlinable
    public static func energy(loudness lufs: Double) -> Double { pow(10, (lufs + 0.691) / 10) }

    /// Absolute gate of BS.1770-4 and Tech 3342: -70 LUFS.
    public static let absoluteGateLUFS = -70.0

    /// Integrated loudness (BS.1770-4, clause 2.8 of Annex 1): the blocks above the
    /// absolute gate give a first loudness; blocks more than 10 LU below it are
    /// then dropped, and the rest are averaged.
    /// - Returns: nil when no block is above -70 LUFS (silence, or no complete block).
    public static func integrated(blockEnergies: [Double]) -> Double? {
        let absolute = energy(loudness: absoluteGateLUFS)
        var sum = 0.0, count = 0
        for e in blockEnergies where e > absolute { sum += e; count += 1 }
        guard count > 0 else { return nil }
        let relative = sum / Double(count) * 0.1   // -10 LU
        var gatedSum = 0.0, gatedCount = 0
        for e in blockEnergies where e > absolute && e > relative { gatedSum += e; gatedCount += 1 }
        return loudness(energy: gatedSum / Double(gatedCount))
    }

    /// Loudness range (EBU Tech 3342): of the short-term (3 s) values, those above
    /// -70 LUFS and above the programme loudness minus 20 LU are kept; LRA is the
    /// spread between their 10th and 95th percentiles.
    /// - Returns: nil when no short-term value survives the gates.
    public static func loudnessRange(shortTermEnergies: [Double]) -> Double? {
        let absolute = energy(loudness: absoluteGateLUFS)
        let loud = shortTermEnergies.filter { $0 > absolute }
        guard !loud.isEmpty else { return nil }
        let relative = loud.reduce(0, +) / Double(loud.count) * 0.01   // -20 LU
        let kept = loud.filter { $0 > relative }.sorted()
        guard !kept.isEmpty else { return nil }
        // Nearest rank on (n - 1) p, as Tech 3342's reference code and libebur128 take it.
        func percentile(_ p: Double) -> Double {
            kept[Int(Double(kept.count - 1) * p + 0.5)]
        }
        return loudness(energy: percentile(0.95)) - loudness(energy: percentile(0.10))
    }
}
