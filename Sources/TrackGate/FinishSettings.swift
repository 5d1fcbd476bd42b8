import AudioDSP
import AudioIO

/// What to do when the gain to the target would push the true peak over the ceiling.
public enum PeakHandling: String, Sendable, Codable, CaseIterable {
    /// Apply the gain and let the true-peak limiter take the peaks down, only
    /// as much as needed; the loudness target is met.
    case limit
    /// Lower the gain until the peaks fit; the loudness falls short of the
    /// target by the reported amount. No dynamic processing at all.
    case cap
}

/// How `process` turns a track into a delivery file. Defaults are those of the
/// command-line contract.
public struct FinishSettings: Sendable, Equatable {
    /// Integrated loudness to normalise to, LUFS (EBU R 128 / BS.1770-4).
    /// -14 LUFS is what the large streaming services play music at.
    public var targetLUFS: Double = -14
    /// Highest true peak of the output, dBTP. -1 dBTP leaves room for lossy
    /// encoders, whose reconstruction overshoots (EBU R 128 s1 and AES TD1004 advise -1).
    public var ceilingDBTP: Double = -1
    public var peakHandling: PeakHandling = .limit
    /// Delivery rate; nil keeps the source rate (no resampling at all).
    public var sampleRate: Int?
    public var format: OutputFormat = .wav24
    public var resampler: ResamplerEngine = .libsamplerate
    /// `medium` by measurement: flat within 0.06 dB to 19 kHz and 129 dB SNR with
    /// libsamplerate (beyond 24-bit dither's reach in the audible band) at a
    /// quarter of `best`'s time; see the README's resampling table.
    public var resampleQuality: ResampleQuality = .medium
    /// TPDF dither when quantising to 16 or 24 bits (float output is never dithered).
    public var dither = true
    /// Player gain tags; nil for the format's standard (`GainTagStyle.standard(for:)`).
    public var gainTags: GainTagStyle?
    /// The gain tags the delivery gets.
    public var gainTagStyle: GainTagStyle { gainTags ?? .standard(for: format.container) }
    /// Measure and set gain tags in a copy of the source, leaving its audio
    /// (and format) as it is: FLAC, Ogg and MP3 sources only.
    public var tagsOnly = false
    /// A source this close to the target (LU), under the ceiling and already in
    /// the delivery format and rate, is copied unchanged (gain tags set) instead of finished.
    public var skipIfWithinLU: Double?
    /// How close the written file's integrated loudness must come to the target, LU.
    public var loudnessTolerance = 0.1
    /// Headroom both peak modes keep below the ceiling, dB: the limiter's margin
    /// (`LimiterParameters.defaultMargin`), which also absorbs dither and the
    /// resampler's reconstruction of peaks at the new rate.
    public static let peakMargin = LimiterParameters.defaultMargin

    /// The limiter that `--peak limit` runs: the ceiling, standard timing and margin.
    public var limiterParameters: LimiterParameters { limiterParameters(headroomDB: 0) }

    /// The highest true peak either peak mode aims for, dBTP: the ceiling less
    /// the margin and `headroomDB` (a lossy encoder's room, `Finisher.Plan.headroomDB`).
    public func peakAim(headroomDB: Double) -> Double { ceilingDBTP - Self.peakMargin - headroomDB }

    /// The limiter with its ceiling `headroomDB` lower: the room a lossy
    /// encoder's overshoot takes (`Finisher.Plan.headroomDB`).
    public func limiterParameters(headroomDB: Double) -> LimiterParameters {
        LimiterParameters(ceilingDBTP: ceilingDBTP - headroomDB, margin: Self.peakMargin)
    }

    public init() {}

    /// The output rate for a source rate: `sampleRate`, or the source's rate when
    /// the format stores it (48 kHz for Opus or MP3 from a rate they cannot take).
    public func outputRate(for sourceRate: Int) -> Int { sampleRate ?? format.container.deliveryRate(forSource: sourceRate) }
}
