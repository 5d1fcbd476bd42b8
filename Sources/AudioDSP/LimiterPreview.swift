#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Predicts how much integrated loudness (ITU-R BS.1770-4) `TruePeakLimiter`
/// takes from a track at any make-up gain, from one pass over the audio.
///
/// Limiting lowers loudness, so normalising under a true-peak ceiling needs
/// make-up gain, and the right amount depends on the limiter's work at that
/// gain. Rendering the whole chain once per guess costs a decode, resample,
/// limiter and encode each time; this preview records, per window of about
/// 1 ms, the largest true-peak estimate (the limiter's own detector) and the
/// K-weighted energy (BS.1770-4 Annex 1), then replays the limiter's gain
/// computer (hold, release, attack ramp) on those windows for each make-up
/// asked about, and gates the result as BS.1770-4 section 5 does. A question
/// costs a pass over the windows (a few milliseconds for a 4-minute track).
///
/// The replay is coarser than the limiter (windows, not frames; the source
/// rate, not the delivery rate), so the answer is a prediction: on music it
/// comes within a few hundredths of an LU of what the limiter really leaves,
/// and the caller verifies the written file. Feed frames at the planned gain;
/// peaks are measured `headroomDB` below the limiter's detection level, the
/// largest make-up the preview can answer for.
public struct LimiterPreview: Sendable {
    public let sampleRate: Int
    public let channelCount: Int
    /// Frames per window: a divisor of the 100 ms hop, about 1 ms.
    public let windowFrames: Int
    /// The largest make-up gain (dB) the preview answers for.
    public let headroomDB: Double

    /// The limiter whose work is predicted.
    public let parameters: LimiterParameters
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

    /// - Parameters:
    ///   - channelWeights: BS.1770-4's G_i.
    ///   - parameters: the limiter's (`TruePeakLimiter.parameters`).
    ///   - headroomDB: the largest make-up asked about: peaks are estimated this
    ///     far below the limiter's target.
    public init(channelCount: Int, sampleRate: Int, channelWeights: [Double], parameters: LimiterParameters,
                headroomDB: Double = 6) {
        precondition(channelCount > 0 && sampleRate > 0 && channelWeights.count == channelCount)
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.headroomDB = headroomDB
        self.parameters = parameters
        weights = channelWeights
        detector = TruePeakEstimator(channelCount: channelCount, sampleRate: sampleRate,
                                     level: parameters.target * Float(pow(10, -headroomDB / 20)))
        let hop = MeasurementGrid(sampleRate: sampleRate).hopLength
        hopLength = hop
        windowFrames = (1...max(1, sampleRate / 1000)).reversed().first { hop % $0 == 0 } ?? 1
        kWeighting = KWeightingFilter(sampleRate: sampleRate, channelWeights: channelWeights)
        channelEnergies = Array(repeating: 0, count: channelCount)
    }

    /// Records the next frames (one buffer per channel, equal lengths), already at the planned gain.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount && !finished)
        let n = channels.first?.count ?? 0
        guard n > 0 else { return }
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
                openWindowEnergy = 0
            }
        }
    }

    /// The integrated loudness (LUFS) of the limiter's output at `makeupDB` over
    /// the gain the frames were fed at; nil when nothing passes the gates.
    public func integratedLUFS(makeupDB: Double) -> Double? {
        let makeup = Float(pow(10, makeupDB / 20))
        return integrated(hops: replay(makeup: makeup), power: Double(makeup) * Double(makeup))
    }

    /// What limiting takes at `makeupDB`: the loudness after the limiter less the
    /// loudness without it, in LU (negative, 0 when it has nothing to do).
    public func limitingChange(makeupDB: Double) -> Double? {
        let makeup = Float(pow(10, makeupDB / 20))
        let power = Double(makeup) * Double(makeup)
        guard let limited = integrated(hops: replay(makeup: makeup), power: power),
              let plain = integrated(hops: replay(makeup: nil), power: power) else { return nil }
        return limited - plain
    }

    /// The energy of each 100 ms hop after the limiter's gain computer, as it
    /// would set its gain per window at this make-up (nil: no limiting).
    private func replay(makeup: Float?) -> [Double] {
        let n = windowEnergies.count
        let W = windowFrames
        let perHop = hopLength / W
        var hops = [Double](repeating: 0, count: n / perHop)
        guard let makeup else {
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
            let g = Double(computer.next(peak: v < windowPeaks.count ? windowPeaks[v] * makeup : 0))
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
