/// How a sample rate is cut into the windows of BS.1770-4 and EBU Tech 3341.
///
/// Momentary (400 ms) and short-term (3 s) loudness are evaluated every
/// `subBlockLength` samples, about 5 ms: finer than the 10 ms Tech 3341 needs
/// (a coarse grid under-reads short bursts, as in its case 13). Gating blocks
/// and short-term values for LRA advance by `hopLength`, 100 ms.
/// The sub-block divides the hop exactly wherever the rate allows, so windows
/// are exactly 400 ms and 3 s long.
public struct MeasurementGrid: Sendable, Equatable {
    public let sampleRate: Int
    /// Samples per 100 ms hop: round(rate / 10), as libebur128 takes it.
    public let hopLength: Int
    /// Samples per sub-block; a divisor of `hopLength` where one near 5 ms exists.
    public let subBlockLength: Int
    /// Sub-blocks per hop.
    public let subBlocksPerHop: Int

    public init(sampleRate: Int) {
        precondition(sampleRate > 0)
        self.sampleRate = sampleRate
        let hop = max(1, (sampleRate + 5) / 10)
        hopLength = hop
        // Prefer 20 sub-blocks per hop (5 ms); accept 10 (10 ms) to 40 (2.5 ms).
        let candidates = [20, 21, 18, 24, 16, 25, 15, 30, 14, 12, 28, 32, 35, 36, 40, 10]
        if let d = candidates.first(where: { hop % $0 == 0 }) {
            subBlocksPerHop = d
            subBlockLength = hop / d
        } else {
            // A rate with no such divisor (a prime rate): one sub-block per ~10 ms,
            // the hop rounded to a whole number of them.
            subBlocksPerHop = 10
            subBlockLength = max(1, Int((Double(hop) / 10).rounded()))
        }
    }

    /// Sub-blocks in a 400 ms momentary window.
    public var momentarySubBlocks: Int { 4 * subBlocksPerHop }
    /// Sub-blocks in a 3 s short-term window.
    public var shortTermSubBlocks: Int { 30 * subBlocksPerHop }
    /// Evaluation interval in seconds.
    public var resolution: Double { Double(subBlockLength) / Double(sampleRate) }
}
