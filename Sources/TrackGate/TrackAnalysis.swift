import AudioCore
import AudioDSP
import AudioIO

/// Everything the gate measures in a track, from one decoding pass: loudness,
/// defects and the section-change novelty.
public struct TrackAnalysis: Sendable {
    public let info: AudioFileInfo
    /// Frames decoded: the track's length, whatever its header announced.
    public let frameCount: Int
    /// Seconds decoded (`frameCount` at the file's rate).
    public var duration: Double { Double(frameCount) / Double(info.sampleRate) }
    public let loudness: LoudnessReport
    public let defects: DefectFindings
    /// Where the music changes: the curve that places a change (`detected_s`).
    public let novelty: NoveltyCurve
    /// Section contrast over 6 s each side: the curve the plan is tested on
    /// (`PlanAlignment`) and the picture shows.
    public let planCurve: NoveltyCurve
    /// Short-term (3 s) loudness every 100 ms from 3 s on, as energies
    /// (`LoudnessGating.loudness(energy:)` turns them into LUFS).
    public let shortTermEnergies: [Double]
    /// The waveform's outline for a picture, when asked for.
    public let envelope: WaveformEnvelope?
    /// What the make-up prediction needs (`Finisher.makeup`), recorded when the
    /// analysis was asked for the finishing settings and they limit peaks.
    public let limiterPreview: LimiterPreview?

    /// Decodes `path` block by block; memory stays bounded by the track's length
    /// in 10 ms and 46 ms frames, not by its samples.
    ///
    /// - Parameters:
    ///   - envelopeColumns: also outline the waveform in this many columns (for plots).
    ///   - finishing: the settings the track will be finished with, when it will
    ///     be: with `--peak limit` the pass also records the make-up prediction's
    ///     windows (`LimiterPreview`), so finishing need not decode the source again.
    public static func analyse(path: String, envelopeColumns: Int? = nil,
                               finishing: FinishSettings? = nil) throws(AudioIOError) -> TrackAnalysis {
        try analyse(source: AudioSource(path: path), envelopeColumns: envelopeColumns, finishing: finishing)
    }

    /// `analyse(path:)` over a file opened once for the whole job.
    public static func analyse(source: AudioSource, envelopeColumns: Int? = nil,
                               finishing: FinishSettings? = nil) throws(AudioIOError) -> TrackAnalysis {
        let path = source.path
        var file = try SoundFile(source: source)
        let info = file.info
        let weights = ChannelWeighting.weights(layout: info.channelLayout, channelCount: info.channelCount)
        var meter = LoudnessMeter(sampleRate: info.sampleRate, channelWeights: weights)
        var scanner = DefectScanner(sampleRate: info.sampleRate, channelCount: info.channelCount)
        var features = SpectralFeatures(sampleRate: info.sampleRate)
        var envelope = envelopeColumns.map {
            WaveformEnvelope(channelCount: info.channelCount, columns: $0)
        }
        var preview = finishing.flatMap { settings in
            settings.peakHandling == .limit
                ? LimiterPreview(channelCount: info.channelCount, sampleRate: info.sampleRate, channelWeights: weights,
                                 parameters: settings.limiterParameters, goal: .init(targetLUFS: settings.targetLUFS),
                                 headroomDB: LimiterPreview.analysisHeadroomDB)
                : nil
        }
        var block = AudioBlock(channelCount: info.channelCount, capacity: 16_384)
        while try file.read(into: &block) {
            // One pass, fanned out to every analyser (`BlockConsumer`), the block lent once.
            block.withChannels { channels in
                meter.add(channels)
                scanner.add(channels)
                features.add(channels)
                envelope?.add(channels)
                preview?.add(channels)
            }
        }
        preview?.finish()
        let section = SectionFeatures(features)
        return TrackAnalysis(
            info: info, frameCount: file.position,
            loudness: LoudnessReport(file: path, measurement: meter.measurement, weights: weights, sampleRate: info.sampleRate),
            defects: scanner.findings, novelty: NoveltyCurve.sectionChanges(section), planCurve: PlanAlignment.curve(section),
            shortTermEnergies: meter.shortTermEnergies, envelope: envelope, limiterPreview: preview)
    }
}
