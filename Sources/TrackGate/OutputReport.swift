import AudioIO

/// What `process` did to a track and what the written file measures: the
/// `output` object of a track report.
public struct OutputReport: Sendable, Encodable {
    /// The delivery file, or nil when no audio was written (see `notWritten`).
    public var audio: String?
    /// The sidecar report (`NAME.json`).
    public var report: String
    /// Why no audio was written (a failing or erroneous track without `--force`).
    public var notWritten: String?
    public var format: String
    /// `16`, `24` or `32f`; nil for a lossy format, which stores no samples.
    public var bitDepth: String?
    /// The encoder's bit rate, kbit/s, for a lossy format.
    public var bitrateKbps: Int?
    public var sampleRate: Int
    public var sourceSampleRate: Int
    /// `engine` and `quality`, or nil when the rate was kept.
    public var resampler: [String: String]?
    /// `tpdf` or `none`.
    public var dither: String
    public var targetLUFS: Double
    public var ceilingDBTP: Double
    /// The static gain, dB, including any make-up for what the limiter took.
    public var gainDB: Double
    /// Part of `gainDB` that makes up for the loudness the stages after the gain
    /// take (the limiter; the resampler's roll-off above 20 kHz), dB.
    public var makeupDB: Double
    /// What was done about peaks the gain would have put over the ceiling.
    public var peakHandling: PeakOutcome

    /// `none` (the gain fit under the ceiling, or the limiter had nothing to
    /// do), `limited` (the limiter turned peaks down) or `capped` (the gain was
    /// lowered: `--peak cap`).
    public enum PeakOutcome: String, Sendable, Codable {
        case none, limited, capped
    }
    /// Largest gain reduction of the limiter, dB (0 when it did nothing).
    public var limiterMaxReductionDB: Double?
    /// Seconds of output the limiter turned down at all.
    public var limiterActiveS: Double?
    /// With `--peak cap`: how far the loudness stays below the target, LU.
    public var shortfallLU: Double?
    /// For a lossy format: how far under the ceiling the limiter (or the cap)
    /// had to aim so the decoded delivery stays under it, dB; 0 when the
    /// encoder's overshoot fit in the margin.
    public var encodedHeadroomDB: Double?
    /// The player gain tags written (`REPLAYGAIN_TRACK_GAIN`, `R128_TRACK_GAIN`, ...), by name.
    public var gainTags: [String: String]?
    /// The written file's own measurement, read back from disk (decoded, for a lossy format).
    public var loudness: LoudnessReport?
    /// True when the written file met the target and the ceiling.
    public var verified: Bool
    /// What a person should know about how the source was finished (a silent
    /// channel that left the gain to the other, samples beyond full scale turned
    /// down); empty when nothing was out of the ordinary.
    public var notes: [String] = []

    enum CodingKeys: String, CodingKey {
        case audio, report, notWritten = "not_written", format, bitDepth = "bit_depth", bitrateKbps = "bitrate_kbps"
        case sampleRate = "sample_rate", encodedHeadroomDB = "encoded_headroom_db", gainTags = "gain_tags"
        case sourceSampleRate = "source_sample_rate", resampler, dither, targetLUFS = "target_lufs"
        case ceilingDBTP = "ceiling_dbtp", gainDB = "gain_db", makeupDB = "makeup_db", peakHandling = "peak_handling"
        case limiterMaxReductionDB = "limiter_max_reduction_db", limiterActiveS = "limiter_active_s"
        case shortfallLU = "shortfall_lu", loudness, verified, notes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func rounded(_ v: Double?) -> Double? { v.map(ReportNumber.thousandths) }
        try c.encode(audio, forKey: .audio)
        try c.encode(report, forKey: .report)
        if let notWritten { try c.encode(notWritten, forKey: .notWritten) }
        try c.encode(format, forKey: .format)
        try c.encode(bitDepth, forKey: .bitDepth)
        if let bitrateKbps { try c.encode(bitrateKbps, forKey: .bitrateKbps) }
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(sourceSampleRate, forKey: .sourceSampleRate)
        try c.encode(resampler, forKey: .resampler)
        try c.encode(dither, forKey: .dither)
        try c.encode(targetLUFS, forKey: .targetLUFS)
        try c.encode(ceilingDBTP, forKey: .ceilingDBTP)
        try c.encode(rounded(gainDB), forKey: .gainDB)
        try c.encode(rounded(makeupDB), forKey: .makeupDB)
        try c.encode(peakHandling, forKey: .peakHandling)
        try c.encode(rounded(limiterMaxReductionDB), forKey: .limiterMaxReductionDB)
        try c.encode(rounded(limiterActiveS), forKey: .limiterActiveS)
        try c.encode(rounded(shortfallLU), forKey: .shortfallLU)
        if let encodedHeadroomDB { try c.encode(rounded(encodedHeadroomDB), forKey: .encodedHeadroomDB) }
        if let gainTags { try c.encode(gainTags, forKey: .gainTags) }
        try c.encode(loudness, forKey: .loudness)
        try c.encode(verified, forKey: .verified)
        if !notes.isEmpty { try c.encode(notes, forKey: .notes) }
    }
}
