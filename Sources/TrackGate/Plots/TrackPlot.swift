import AudioDSP
import AudioIO
import Foundation

/// What the picture of one track shows, gathered from its analysis and report:
/// the waveform's outline, short-term loudness against the target, the novelty
/// curve with the requested and detected section changes, and the defects.
public struct TrackPlot: Sendable {
    /// Pixel columns of the waveform outline: the plot area of a 1200 px picture.
    public static let envelopeColumns = TrackPlotSVG.plotWidth

    public enum Shade: String, Sendable { case silence, dropout, clipping }

    public struct Region: Sendable, Equatable {
        public let start: Double
        public let end: Double
        public let kind: Shade
    }

    public var id: String
    public var verdict: TrackReport.Verdict
    public var duration: Double
    public var requestedDuration: Double?
    public var integratedLUFS: Double?
    public var truePeakDBTP: Double?
    public var envelope: WaveformEnvelope?
    /// (time s, LUFS) every 100 ms; silence below -70 LUFS is left out.
    public var shortTerm: [(time: Double, lufs: Double)]
    /// The loudness the delivery aims at (the target of `process`).
    public var targetLUFS: Double
    public var novelty: NoveltyCurve
    /// The strength a change needs to stand out on this track (`PlanAlignment`),
    /// nil when the plan could not be tested.
    public var confirmStrength: Double?
    /// The plan test's outcome, for the caption.
    public var planAlignment: TrackReport.PlanReport?
    public var boundaries: [TrackReport.Boundary]
    /// The section order the request's lyrics ask for (Sonic, Producer), untimed.
    public var lyricSections: [String]
    public var regions: [Region]
    /// Checks that warned or failed, for the caption.
    public var problems: [TrackReport.Check]

    public init(analysis: TrackAnalysis, report: TrackReport, policy: Policy, targetLUFS: Double) {
        id = report.id
        verdict = report.verdict
        duration = analysis.duration
        requestedDuration = report.requestedDurationS
        integratedLUFS = analysis.loudness.integratedLUFS
        truePeakDBTP = analysis.loudness.truePeakDBTP
        envelope = analysis.envelope
        // The first short-term value covers 0-3 s and is drawn at its end.
        shortTerm = analysis.shortTermEnergies.enumerated().compactMap { i, energy in
            let lufs = LoudnessGating.loudness(energy: energy)
            return lufs > LoudnessGating.absoluteGateLUFS ? (3 + Double(i) * 0.1, lufs) : nil
        }
        self.targetLUFS = targetLUFS
        novelty = analysis.planCurve
        confirmStrength = report.planAlignment?.confirmingStrength
        planAlignment = report.planAlignment
        boundaries = report.boundaries
        lyricSections = report.lyricSections ?? []
        problems = report.checks.filter { $0.status != .pass }

        let d = analysis.defects
        var regions: [Region] = []
        for span in d.silences(below: Float(policy.silenceThresholdDBFS), minimum: 0.01) {
            let inside = span.start > 0 && span.end < d.duration - 1e-9
            if inside && span.duration < policy.dropoutMinimumS { continue }
            regions.append(Region(start: span.start, end: span.end, kind: inside ? .dropout : .silence))
        }
        // Clip runs are samples long: each is drawn at least a pixel wide.
        for run in d.clipRuns {
            regions.append(Region(start: run.start, end: run.start + Double(run.samples) / Double(d.sampleRate), kind: .clipping))
        }
        self.regions = regions
    }

    /// Writes the picture as `path` (complete or not at all, replacing an older one).
    public func save(to path: String) throws(AudioIOError) {
        try AtomicFile.write(Array(TrackPlotSVG.render(self).utf8), to: path, replaceExisting: true)
    }
}

extension TrackReport {
    /// Draws this track's picture at `path` (the report as it stands decides the
    /// colours, so call it last) and names it in `plot`. A picture that cannot
    /// be written is noted in `plotError`; the verdict does not depend on it.
    public mutating func attachPlot(analysis: TrackAnalysis?, policy: Policy, targetLUFS: Double, path: String) {
        guard let analysis else { return }
        do throws(AudioIOError) {
            try TrackPlot(analysis: analysis, report: self, policy: policy, targetLUFS: targetLUFS).save(to: path)
            plot = path
        } catch {
            plotError = error.description
        }
    }
}
