#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A look-ahead limiter that keeps the true peak (ITU-R BS.1770-4 Annex 2) of its
/// output at or under a ceiling, and leaves everything else untouched.
///
/// Detection is `TruePeakEstimator`, the estimate the meter reports, so the
/// verification of a delivery reads the peak the limiter held. Each frame gets
/// the gain it needs, `min(1, target / peak)`, one gain for all channels so the
/// stereo image does not move, through `LimiterGainComputer` (hold over the
/// attack and the interpolation filter's span, release, attack ramp); the
/// audio is delayed so each ramp starts `attack` before its peak, and the
/// limiter never overshoots, and is exactly unity (the input delayed, bit for
/// bit) wherever no peak is near. Detection aims `margin` below the ceiling
/// (`LimiterParameters`).
///
/// The cost is `latency` frames of delay, which `process` and `finish` hide:
/// the output has exactly as many frames as the input, aligned with it.
public struct TruePeakLimiter: Sendable {
    public let channelCount: Int
    public let sampleRate: Int
    public let parameters: LimiterParameters
    /// The ceiling, linear (1 = 0 dBTP).
    public var ceiling: Float { parameters.ceiling }
    /// The level detection holds peaks to: the ceiling less the margin, linear.
    public let target: Float
    /// Frames of the attack ramp (the look-ahead).
    public let attackFrames: Int
    /// Frames between an input frame and the output frame it becomes.
    public let latency: Int

    private var detector: TruePeakEstimator
    private var computer: LimiterGainComputer
    private var gains: [Float] = []
    private var delayLine: [[Float]]
    private var delayed: [Float] = []
    private var framesToDrop: Int

    /// The smallest gain applied so far (1 when nothing was limited).
    public private(set) var minimumGain: Float = 1
    /// Output frames whose gain was below 1.
    public private(set) var limitedFrames = 0

    public init(channelCount: Int, sampleRate: Int, parameters: LimiterParameters) {
        precondition(channelCount > 0 && sampleRate > 0)
        self.channelCount = channelCount
        self.sampleRate = sampleRate
        self.parameters = parameters
        target = parameters.target
        detector = TruePeakEstimator(channelCount: channelCount, sampleRate: sampleRate, level: target)
        let half = detector.reach
        attackFrames = parameters.attackFrames(sampleRate: sampleRate)
        computer = LimiterGainComputer(target: target, holdSteps: parameters.holdFrames(sampleRate: sampleRate, reach: half),
                                       attackSteps: attackFrames,
                                       releasePerStep: parameters.releaseCoefficient(sampleRate: sampleRate))
        // The estimate of frame a comes `delay` frames after it; the gain of frame q
        // is known once the held minimum covers q + half.
        latency = detector.delay + half + attackFrames - 1
        delayLine = Array(repeating: Array(repeating: 0, count: latency), count: channelCount)
        framesToDrop = latency
    }

    /// A limiter with the standard timing and margin (`LimiterParameters`).
    public init(channelCount: Int, sampleRate: Int, ceilingDBTP: Double) {
        self.init(channelCount: channelCount, sampleRate: sampleRate, parameters: LimiterParameters(ceilingDBTP: ceilingDBTP))
    }

    /// Limits one block (one buffer per channel, equal lengths) and hands the
    /// frames that are ready to `emit`; buffers are valid only during the call.
    public mutating func process<E: Error>(_ input: [UnsafeBufferPointer<Float>],
                                           emit: ([UnsafeBufferPointer<Float>]) throws(E) -> Void) throws(E) {
        precondition(input.count == channelCount, "wrong channel count")
        let n = input.first?.count ?? 0
        guard n > 0 else { return }
        detector.estimate(input, count: n)
        computeGains(count: n)
        try applyGains(input, count: n, emit: emit)
    }

    /// Passes out the last `latency` frames, as if the input ended in silence.
    public mutating func finish<E: Error>(emit: ([UnsafeBufferPointer<Float>]) throws(E) -> Void) throws(E) {
        let zeros = [Float](repeating: 0, count: latency)
        try zeros.withUnsafeBufferPointer { (z) throws(E) in
            try process(Array(repeating: z, count: channelCount), emit: emit)
        }
    }

    private mutating func computeGains(count n: Int) {
        if gains.count < n { gains = [Float](repeating: 1, count: n) }
        for t in 0..<n { gains[t] = computer.next(peak: detector.peaks[t]) }
    }

    private mutating func applyGains<E: Error>(_ input: [UnsafeBufferPointer<Float>], count n: Int,
                                               emit: ([UnsafeBufferPointer<Float>]) throws(E) -> Void) throws(E) {
        let drop = min(framesToDrop, n)
        framesToDrop -= drop
        for t in drop..<n where gains[t] < 1 {
            limitedFrames += 1
            minimumGain = min(minimumGain, gains[t])
        }
        if delayed.count < channelCount * (latency + n) {
            delayed = [Float](repeating: 0, count: channelCount * (latency + n))
        }
        let stride = latency + n
        delayed.withUnsafeMutableBufferPointer { d in
            for c in 0..<channelCount {
                let base = c * stride
                for i in 0..<latency { d[base + i] = delayLine[c][i] }
                for i in 0..<n { d[base + latency + i] = input[c][i] }
                for i in 0..<latency { delayLine[c][i] = d[base + n + i] }
                // In place: frame t of this call is input frame (start + t - latency).
                for t in 0..<n { d[base + t] *= gains[t] }
            }
        }
        guard drop < n else { return }
        try delayed.withUnsafeBufferPointer { (d) throws(E) in
            try emit((0..<channelCount).map { UnsafeBufferPointer(rebasing: d[$0 * stride + drop ..< $0 * stride + n]) })
        }
    }
}
