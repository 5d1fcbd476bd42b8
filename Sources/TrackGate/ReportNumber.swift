/// How the reports write measured numbers: rounded to a fixed number of
/// decimals as they are encoded, so a file carries the measurement's precision
/// and no binary noise (0.30000000000000004), while the values in memory stay
/// exact for the gate's decisions, the text and the pictures. Every report's
/// `encode(to:)` rounds here, and nothing else rounds.
enum ReportNumber {
    /// Seconds, gains in dB, section contrasts: to thousandths (1 ms, 0.001 dB),
    /// below what a listener or a meter resolves.
    static func thousandths(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
    /// Levels (LUFS, LU, dBFS, dBTP) and p-values: to four decimals, far finer
    /// than any meter's accuracy (BS.1770-4 meters agree to about 0.1 LU).
    static func tenThousandths(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
