import AudioCore
import AudioDSP
import AudioIO
import Foundation

/// What `trackgate loudness` reports for one file, with the JSON keys of the
/// command-line contract. A level that does not exist is `null` in JSON, and
/// `unavailable` says why; it is never a made-up number such as -70 or -inf.
public struct LoudnessReport: Sendable, Equatable, Encodable {
    public var file: String
    public let integratedLUFS: Double?
    public let loudnessRangeLU: Double?
    public let maxMomentaryLUFS: Double?
    public let maxShortTermLUFS: Double?
    /// The largest channel's sample peak.
    public let samplePeakDBFS: Double?
    /// The largest channel's true peak.
    public let truePeakDBTP: Double?
    public let channelSamplePeakDBFS: [Double?]
    public let channelTruePeakDBTP: [Double?]
    public let channelWeights: [Double]
    public let durationS: Double?
    public let sampleRate: Int?
    public let unavailable: [String: String]
    public let nonFiniteSamples: Int
    public let error: String?

    enum CodingKeys: String, CodingKey {
        case file, integratedLUFS = "integrated_lufs", loudnessRangeLU = "loudness_range_lu"
        case maxMomentaryLUFS = "max_momentary_lufs", maxShortTermLUFS = "max_short_term_lufs"
        case samplePeakDBFS = "sample_peak_dbfs", truePeakDBTP = "true_peak_dbtp"
        case channelSamplePeakDBFS = "channel_sample_peak_dbfs", channelTruePeakDBTP = "channel_true_peak_dbtp"
        case channelWeights = "channel_weights", durationS = "duration_s", sampleRate = "sample_rate"
        case unavailable, nonFiniteSamples = "non_finite_samples", error
    }

    /// Every number kept is finite: one that is not (an overflow no input should
    /// reach) becomes nil, and `unavailable` says so under its key.
    public init(file: String, measurement m: LoudnessMeasurement, weights: [Double], sampleRate: Int) {
        self.file = file
        // The encoding edge: the DSP's quantities become the report's field names.
        var unavailable = Dictionary(uniqueKeysWithValues: m.unavailable.map { (Self.key($0.key).rawValue, $0.value) })
        func finite(_ value: Double?, _ key: CodingKeys) -> Double? {
            guard let value else { return nil }
            if value.isFinite { return value }
            unavailable[key.rawValue] = "not measurable: the computation overflowed on this signal"
            return nil
        }
        integratedLUFS = finite(m.integratedLUFS, .integratedLUFS)
        loudnessRangeLU = finite(m.loudnessRangeLU, .loudnessRangeLU)
        maxMomentaryLUFS = finite(m.maxMomentaryLUFS, .maxMomentaryLUFS)
        maxShortTermLUFS = finite(m.maxShortTermLUFS, .maxShortTermLUFS)
        samplePeakDBFS = finite(m.maxSamplePeakDBFS, .samplePeakDBFS)
        truePeakDBTP = finite(m.maxTruePeakDBTP, .truePeakDBTP)
        channelSamplePeakDBFS = m.samplePeakDBFS.map { $0.flatMap { $0.isFinite ? $0 : nil } }
        channelTruePeakDBTP = m.truePeakDBTP.map { $0.flatMap { $0.isFinite ? $0 : nil } }
        channelWeights = weights
        durationS = m.duration.isFinite ? m.duration : nil
        self.sampleRate = sampleRate
        self.unavailable = unavailable
        nonFiniteSamples = m.nonFiniteSamples
        error = nil
    }

    public init(error: AudioIOError) {
        file = error.path
        integratedLUFS = nil; loudnessRangeLU = nil; maxMomentaryLUFS = nil; maxShortTermLUFS = nil
        samplePeakDBFS = nil; truePeakDBTP = nil; channelSamplePeakDBFS = []; channelTruePeakDBTP = []
        channelWeights = []; durationS = nil; sampleRate = nil; unavailable = [:]; nonFiniteSamples = 0
        self.error = error.detail
    }

    /// Every level key is written, `null` when the level does not exist.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        if let error {
            try c.encode(error, forKey: .error)
            return
        }
        func level(_ value: Double?, _ key: CodingKeys) throws {
            if let value { try c.encode(Self.rounded(value), forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try level(integratedLUFS, .integratedLUFS)
        try level(loudnessRangeLU, .loudnessRangeLU)
        try level(maxMomentaryLUFS, .maxMomentaryLUFS)
        try level(maxShortTermLUFS, .maxShortTermLUFS)
        try level(samplePeakDBFS, .samplePeakDBFS)
        try level(truePeakDBTP, .truePeakDBTP)
        try c.encode(channelSamplePeakDBFS.map { $0.map(Self.rounded) }, forKey: .channelSamplePeakDBFS)
        try c.encode(channelTruePeakDBTP.map { $0.map(Self.rounded) }, forKey: .channelTruePeakDBTP)
        try c.encode(channelWeights, forKey: .channelWeights)
        try level(durationS, .durationS)
        try c.encodeIfPresent(sampleRate, forKey: .sampleRate)
        if !unavailable.isEmpty { try c.encode(unavailable, forKey: .unavailable) }
        if nonFiniteSamples > 0 { try c.encode(nonFiniteSamples, forKey: .nonFiniteSamples) }
    }

    /// The report's field for a quantity of the meter.
    static func key(_ quantity: LoudnessMeasurement.Quantity) -> CodingKeys {
        switch quantity {
        case .integrated: .integratedLUFS
        case .loudnessRange: .loudnessRangeLU
        case .maxMomentary: .maxMomentaryLUFS
        case .maxShortTerm: .maxShortTermLUFS
        case .samplePeak: .samplePeakDBFS
        case .truePeak: .truePeakDBTP
        }
    }

    static func rounded(_ x: Double) -> Double { ReportNumber.tenThousandths(x) }

    public var exitStatus: ExitStatus { error == nil ? .success : .unreadable }
}

extension LoudnessReport {
    /// Decodes a file block by block into a `LoudnessMeter`: memory stays bounded
    /// whatever the length.
    public static func measure(path: String, truePeak: Bool = true) -> LoudnessReport {
        do throws(AudioIOError) {
            var file = try SoundFile(path: path)
            let info = file.info
            let weights = ChannelWeighting.weights(layout: info.channelLayout, channelCount: info.channelCount)
            var meter = LoudnessMeter(sampleRate: info.sampleRate, channelWeights: weights, truePeak: truePeak)
            var block = AudioBlock(channelCount: info.channelCount, capacity: 16_384)
            while try file.read(into: &block) {
                block.withChannels { meter.add($0) }
            }
            return LoudnessReport(file: path, measurement: meter.measurement, weights: weights, sampleRate: info.sampleRate)
        } catch {
            return LoudnessReport(error: error)
        }
    }
}
