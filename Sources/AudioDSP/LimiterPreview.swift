import AudioCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Predicts how much integrated loudness (ITU-R BS.1770-4) `TruePeakLimiter`
/// takes from a track at any gain, from one pass over the audio at its own level.
///
/// Limiting lowers loudness, so normalising under a true-peak ceiling needs
/// make-up gain, and the right amount depends on the limiter's work at that
/// gain. Rendering the whole chain once per guess costs a decode, resample,
/// limiter and encode each time; this preview records, per window of about
/// 1 ms, the largest true-peak estimate (`TruePeakEstimator`, the limiter's own)
/// and the K-weighted energy (BS.1770-4 Annex 1), then replays the limiter's gain
/// computer (hold, release, attack ramp) on those windows for each gain asked
/// about, and gates the result as BS.1770-4 section 5 does. A question costs a
/// pass over the windows (a few milliseconds for a 4-minute track).
///
/// The frames are fed as they are in the file, so the preview can ride on the
/// analysis pass, before the gain is known (`Goal`): peaks are then measured
/// exactly down to where the gain the track is heading for, plus `headroomDB`
/// of make-up and a safety margin, would bring them to the limiter; the gain
/// estimate comes from the loudness of the frames so far. `reliableGainDB` says
/// which gains the answers hold for; beyond it, feed the source again with the
/// gain known.
///
/// The replay is coarser than the limiter (windows, not frames; the source
/// rate, not the delivery rate), so the answer is a prediction: on music it
/// comes within a few hundredths of an LU of what the limiter really leaves,
/// and the caller verifies the written file.
public struct LimiterPreview: Sendable, BlockConsumer {
    public let sampleRate: Int
    public let channelCount: Int
    /// Frames per window: a divisor of the 100 ms hop, about 1 ms.
    public let windowFrames: Int
    /// Make-up (dB) over the expected gain that the peaks are measured for.
    public let headroomDB: Double
    /// The limiter whose work is predicted.
    public let parameters: LimiterParameters
    public let goal: Goal

    /// Where the track is going: the loudness it is normalised to, and the gain
    /// that takes it there if already known.
    public struct Goal: Sendable, Equatable {
        /// The integrated loudness the finisher aims for, LUFS.
        public var targetLUFS: Double
        /// The gain from the file's level to `targetLUFS`, dB, when the track's
        /// loudness is already measured; nil estimates it from the frames so far.
        public var knownGainDB: Double?

        public init(targetLUFS: Double, knownGainDB: Double? = nil) {
            self.targetLUFS = targetLUFS
            self.knownGainDB = knownGainDB
        }
    }

    /// The make-up (dB) a preview answers for by default: 6 dB, enough for the
    /// heaviest limiting TrackGate is asked for (a 3 dB or 1.5 dB headroom made
    /// a heavily limited test track miss its target after three corrective renders).
    public static let defaultHeadroomDB = 6.0

    /// The make-up (dB) the analysis pass's preview answers for: 1 dB. The
    /// cost of a preview grows with how far below the peaks it measures;
    /// light limiting, the common case, needs hundredths of a dB of make-up
    /// (0.002-0.054 dB on five limited extremetuxracer recordings at -14 LUFS),
    /// and a track that needs more gets a pass of its own with the gain known.
    public static let analysisHeadroomDB = 1.0

    /// With the gain estimated, how far the running estimate may lie above the
    /// track's final loudness, dB: 1.5 dB. The estimate is the mean energy of the
    /// 400 ms blocks so far above the absolute gate, which is never above the
    /// gated loudness of the same blocks (the relative gate removes only quieter
    /// blocks); the margin covers tracks whose ending is quieter than what came
    /// before. Where it does not suffice, `reliableGainDB` says so.
    public static let estimateMarginDB = 1.5

    private var detector: TruePeakEstimator
    private let hopLength: Int
    private let weights: [Double]
    private var kWeighting: KWeightingFilter
    private var channelEnergies: [Double]
    private var windowPeaks: [Float] = []
    /// K-weighted energy per window; single precision is ample for a millisecond's sum,
    /// and keeps the preview at 8 bytes per millisecond of audio (29 MB an hour).
    private var windowEnergies: [Float] = []
    private var openWindowEnergy = 0.0
    private var framesIn = 0
    private var peaksIn = 0
    private var finished = false
    /// The running loudness estimate: the last four hops' energies and the
    /// blocks above the absolute gate so far.
    private var recentHops: [Double] = []
    private var openHopEnergy = 0.0
    private var gatedBlockSum = 0.0
    private var gatedBlockCount = 0
    /// The lowest gain (dB) any stretch's peaks were measured for.
    public private(set) var reliableGainDB = Double.infinity

    /// - Parameters:
    ///   - channelWeights: BS.1770-4's G_i.
    ///   - parameters: the limiter's (`TruePeakLimiter.parameters`).
    ///   - goal: the target, and the gain when known.
    ///   - headroomDB: the largest make-up asked about beyond the gain to the target.
    public init(channelCount: Int, sampleRate: Int, channelWeights: [Double], parameters: LimiterParameters,
                goal: Goal, headroomDB: Double = LimiterPreview.defaultHeadroomDB) {
        precondition(channelCount > 0 && sampleRate > 0 && channelWeights.count == channelCount)
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.headroomDB = headroomDB
        self.parameters = parameters
        self.goal = goal
        weights = channelWeights
        detector = TruePeakEstimator(channelCount: channelCount, sampleRate: sampleRate, level: 0)
        let hop = MeasurementGrid(sampleRate: sampleRate).hopLength
        hopLength = hop
        windowFrames = (1...max(1, sampleRate / 1000)).reversed().first { hop % $0 == 0 } ?? 1
        kWeighting = KWeightingFilter(sampleRate: sampleRate, channelWeights: channelWeights)
        channelEnergies = Array(repeating: 0, count: channelCount)
    }

    /// The gain (dB) whose peaks must be measured exactly now: the known one, or
    /// the estimate from the loudness so far (infinite before the first block:
    /// everything is measured), plus the headroom.
    private var gainToMeasureDB: Double {
        if let known = goal.knownGainDB { return known + headroomDB }
        guard gatedBlockCount > 0 else { return .infinity }
        let estimate = LoudnessGating.loudness(energy: gatedBlockSum / Double(gatedBlockCount))
        return goal.targetLUFS - estimate + headroomDB + Self.estimateMarginDB
    }

    /// Records the next frames (one buffer per channel, equal lengths), at the
    /// file's level. Non-finite samples count as silence, as the finisher renders them.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount && !finished)
        if NonFiniteSamples.any(in: channels) {
            NonFiniteSamples.silenced(channels).channels.withUnsafeChannelPointers { addFinite($0) }
        } else {
            addFinite(channels)
        }
    }

    private mutating func addFinite(_ channels: [UnsafeBufferPointer<Float>]) {
        let n = channels.first?.count ?? 0
        guard n > 0 else { return }
        let gain = gainToMeasureDB
        reliableGainDB = min(reliableGainDB, gain)
        detector.level = gain.isFinite ? parameters.target * Decibels.gain(-gain) : 0
        detector.estimate(channels, count: n)
        recordPeaks(count: n)
        recordEnergies(channels, count: n)
        framesIn += n
    }

    /// Flushes the detector's delay; call once after the last frames.
    public mutating func finish() {
        guard !finished else { return }
        if framesIn % windowFrames != 0 { windowEnergies.append(Float(openWindowEnergy)) }
        let zeros = [Float](repeating: 0, count: detector.delay)
        if !zeros.isEmpty {
            zeros.withUnsafeBufferPointer { z in detector.estimate(Array(repeating: z, count: channelCount), count: z.count) }
            recordPeaks(count: zeros.count)
        }
        finished = true
    }

    /// Detection index `peaksIn + t` describes input frame `peaksIn + t - delay`.
    private mutating func recordPeaks(count n: Int) {
        let delay = detector.delay
        var t = max(0, delay - peaksIn)
        while t < n {
            let frame = peaksIn + t - delay
            let w = frame / windowFrames
            let end = min(n, t + (w + 1) * windowFrames - frame)
            let peak = detector.peaks.withUnsafeBufferPointer { TruePeakEstimator.maxMagnitude(UnsafeBufferPointer(rebasing: $0[t ..< end])) }
            if windowPeaks.count <= w { windowPeaks.append(0) }
            windowPeaks[w] = max(windowPeaks[w], peak)
            t = end
        }
        peaksIn += n
    }

    private mutating func recordEnergies(_ channels: [UnsafeBufferPointer<Float>], count n: Int) {
        var offset = 0
        while offset < n {
            let w = (framesIn + offset) / windowFrames
            let take = min(n - offset, (w + 1) * windowFrames - (framesIn + offset))
            for c in 0..<channelCount { channelEnergies[c] = 0 }
            kWeighting.accumulate(channels, range: offset ..< offset + take, into: &channelEnergies)
            for c in 0..<channelCount { openWindowEnergy += weights[c] * channelEnergies[c] }
            offset += take
            // Stored once whole, so the value does not depend on where blocks end.
            if (framesIn + offset) % windowFrames == 0 {
                windowEnergies.append(Float(openWindowEnergy))
                openHopEnergy += openWindowEnergy
                openWindowEnergy = 0
                if (framesIn + offset) % hopLength == 0 { closeHop() }
            }
        }
    }

    /// A hop's energy is in: one more 400 ms block for the running estimate.
    private mutating func closeHop() {
        recentHops.append(openHopEnergy)
        openHopEnergy = 0
        if recentHops.count > 4 { recentHops.removeFirst() }
        guard recentHops.count == 4 else { return }
        let block = recentHops.reduce(0, +) / Double(4 * hopLength)
        if block > LoudnessGating.energy(loudness: LoudnessGating.absoluteGateLUFS) {
            gatedBlockSum += block
            gatedBlockCount += 1
        }
    }

    /// The integrated loudness (LUFS) of the limiter's output with the frames
    /// turned up by `gainDB`; nil when nothing passes the gates. Exact only up to
    /// `reliableGainDB`.
    public func integratedLUFS(gainDB: Double) -> Double? {
        let gain = Decibels.gain(gainDB)
        return integrated(hops: replay(gain: gain), power: Double(gain) * Double(gain))
    }

    /// What limiting takes at `gainDB`: the loudness after the limiter less the
    /// loudness without it, in LU (negative, 0 when it has nothing to do).
    public func limitingChange(gainDB: Double) -> Double? {
        let gain = Decibels.gain(gainDB)
        let power = Double(gain) * Double(gain)
        guard let limited = integrated(hops: replay(gain: gain), power: power),
              let plain = integrated(hops: replay(gain: nil), power: power) else { return nil }
        return limited - plain
    }

    /// The energy of each 100 ms hop after the limiter's gain computer, as it
    /// would set its gain per window with the frames turned up by `gain` (nil: no limiting).
    private func replay(gain: Float?) -> [Double] {
        let n = windowEnergies.count
        let W = windowFrames
        let perHop = hopLength / W
        var hops = [Double](repeating: 0, count: n / perHop)
        guard let gain else {
            for w in 0..<(hops.count * perHop) { hops[w / perHop] += Double(windowEnergies[w]) }
            return hops
        }
        // The limiter's gain computer, a step a window.
        let attackFrames = parameters.attackFrames(sampleRate: sampleRate)
        let holdFrames = parameters.holdFrames(sampleRate: sampleRate, reach: detector.reach)
        var computer = LimiterGainComputer(target: parameters.target, holdSteps: (holdFrames + W - 1) / W,
                                           attackSteps: Int((Double(attackFrames) / Double(W)).rounded()),
                                           releasePerStep: pow(parameters.releaseCoefficient(sampleRate: sampleRate), Double(W)))
        // A peak at window j turns down windows j - lookAhead ... : the ramp starts
        // `reach + attack` frames before it, and the hold keeps it down `reach` after.
        let lookAhead = max(0, Int((Double(detector.reach + attackFrames - 1) / Double(W)).rounded()))
        for v in 0..<(n + lookAhead) {
            let g = Double(computer.next(peak: v < windowPeaks.count ? windowPeaks[v] * gain : 0))
            let q = v - lookAhead
            if q >= 0, q / perHop < hops.count {
                hops[q / perHop] += Double(windowEnergies[q]) * g * g
            }
        }
        return hops
    }

    /// BS.1770-4 gated loudness of 400 ms blocks of four hops, every hop.
    private func integrated(hops hopEnergy: [Double], power: Double) -> Double? {
        let hops = hopEnergy.count
        guard hops >= 4 else { return nil }
        let blockFrames = Double(4 * hopLength)
        let blocks = (0...(hops - 4)).map { k in
            power * (hopEnergy[k] + hopEnergy[k + 1] + hopEnergy[k + 2] + hopEnergy[k + 3]) / blockFrames
        }
        return LoudnessGating.integrated(blockEnergies: blocks)
    }
}
