/// The readings of a `LoudnessMeter`. A level that does not exist (silence, or
/// too little audio for its window) is nil, and `unavailable` says why.
public struct LoudnessMeasurement: Sendable, Equatable {
    /// Programme loudness, LUFS (BS.1770-4 gated).
    public var integratedLUFS: Double?
    /// Loudness range, LU (EBU Tech 3342).
    public var loudnessRangeLU: Double?
    /// Largest momentary (400 ms) loudness, LUFS.
    public var maxMomentaryLUFS: Double?
    /// Largest short-term (3 s) loudness, LUFS.
    public var maxShortTermLUFS: Double?
    /// Largest sample magnitude per channel, dBFS.
    public var samplePeakDBFS: [Double?]
    /// True peak per channel, dBTP.
    public var truePeakDBTP: [Double?]
    /// Why a level is nil.
    public var unavailable: [Quantity: String]

    /// The levels a measurement holds, to say which one is missing and why.
    public enum Quantity: Sendable, Hashable, CaseIterable {
        case integrated, loudnessRange, maxMomentary, maxShortTerm, samplePeak, truePeak
    }
    /// Samples that were NaN or infinite and were measured as silence.
    public var nonFiniteSamples: Int
    /// Duration measured, in seconds.
    public var duration: Double

    /// Largest of the channels' sample peaks, dBFS.
    public var maxSamplePeakDBFS: Double? { samplePeakDBFS.compactMap { $0 }.max() }
    /// Largest of the channels' true peaks, dBTP.
    public var maxTruePeakDBTP: Double? { truePeakDBTP.compactMap { $0 }.max() }
}
