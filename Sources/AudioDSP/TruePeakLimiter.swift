#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A look-ahead limiter that keeps the true peak (ITU-R BS.1770-4 Annex 2) of its
/// output at or under a ceiling, and leaves everything else untouched.
///
/// Detection oversamples like `TruePeakMeter` (4x below 96 kHz, 2x to 192 kHz)
/// and refines the largest points by a parabola, so inter-sample peaks count.
/// Each frame gets the gain it needs, `min(1, ceiling / peak)`, one gain for all
/// channels so the stereo image does not move. That gain curve is then
///
/// 1. held: the minimum over `attack + 2 * reach` frames, where `reach` is the
///    oversampling filter's half length, so every sample that contributes to an
///    interpolated peak is turned down with it;
/// 2. released: it may rise back towards 1 no faster than a one-pole curve with
///    time constant `release`, and never above the held gain;
/// 3. smoothed: a moving average over `attack` frames, which turns each step
///    down into a ramp that starts `attack` before the peak.
///
/// Because every value in the average is at most the gain the peak needs, the
/// ramp reaches that gain by the peak: the limiter never overshoots, and it is
/// exactly unity (the input delayed, bit for bit) wherever no peak is near.
/// Detection aims `margin` (0.1 dB) below the ceiling: where the gain moves
/// within the interpolation filter's span, inter-sample points of the output
/// can rise slightly above gain times input (measured: 0.08 dB on a 24 kHz
/// sine at 96 kHz, where the meter has only 2x points); the margin absorbs it.
///
/// The cost is `latency` frames of delay, which `process` and `finish` hide:
/// the output has exactly as many frames as the input, aligned with it.
public struct TruePeakLimiter: Sendable {
    public let channelCount: Int
    public let sampleRate: Int
    /// The ceiling, linear (1 = 0 dBTP).
    public let ceiling: Float
    /// The level detection holds peaks to: the ceiling less the margin, linear.
    public let target: Float
    /// Frames of the attack ramp (the look-ahead).
    public let attackFrames: Int
    /// Frames between an input frame and the output frame it becomes.
    public let latency: Int

    private var detector: TruePeakEstimator
    private let holdFrames: Int
    private let releaseCoefficient: Double

    private var gains: [Float] = []
    /// Monotonic queue for the running minimum: frame indices and their required gains.
    private var queueIndex: [Int]
    private var queueGain: [Float]
    private var queueHead = 0, queueCount = 0
    private var frame = 0
    private var released: Double = 1
    private var box: [Float]
    private var boxPosition = 0
    private var boxSum: Double
    private var boxBelowUnity = 0
    private var delayLine: [[Float]]
    private var delayed: [Float] = []
    private var framesToDrop: Int

    /// The smallest gain applied so far (1 when nothing was limited).
    public private(set) var minimumGain: Float = 1
    /// Output frames whose gain was below 1.
    public private(set) var limitedFrames = 0

    /// - Parameters:
    ///   - ceilingDBTP: the highest true peak the output may reach, in dBTP.
    ///   - attack: look-ahead and length of the gain ramp, seconds. 5 ms reaches
    ///     the gain a peak needs without the click of a hard step; shorter ramps
    ///     distort the bass, longer ones audibly duck the beat before a peak.
    ///   - release: time constant of the recovery, seconds. 150 ms recovers within
    ///     a beat without following the waveform of low notes (which distorts).
    ///   - margin: dB below the ceiling that detection aims for.
    public init(channelCount: Int, sampleRate: Int, ceilingDBTP: Double,
                attack: Double = 0.005, release: Double = 0.15, margin: Double = 0.1) {
        precondition(channelCount > 0 && sampleRate > 0 && attack > 0 && release > 0)
        self.channelCount = channelCount
        self.sampleRate = sampleRate
        ceiling = Float(pow(10, ceilingDBTP / 20))
        target = Float(pow(10, (ceilingDBTP - max(0, margin)) / 20))
        detector = TruePeakEstimator(channelCount: channelCount, sampleRate: sampleRate, level: target)
        let half = detector.reach
        attackFrames = max(1, Int((attack * Double(sampleRate)).rounded()))
        holdFrames = attackFrames + 2 * half
        // Detection of frame a needs inputs up to a + half - 1; the gain of frame q
        // is known once the held minimum covers q + half.
        latency = (half - 1) + half + attackFrames - 1
        releaseCoefficient = exp(-1 / (release * Double(sampleRate)))
        queueIndex = Array(repeating: 0, count: holdFrames + 1)
        queueGain = Array(repeating: 1, count: holdFrames + 1)
        box = Array(repeating: 1, count: attackFrames)
        boxSum = Double(attackFrames)
        delayLine = Array(repeating: Array(repeating: 0, count: latency), count: channelCount)
        framesToDrop = latency
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
        let capacity = queueIndex.count
        for t in 0..<n {
            let peak = detector.peaks[t]
            let needed: Float = peak > target ? target / peak : 1
            // At rest (nothing held, released or averaged below unity) a frame that
            // needs nothing leaves the state as it is: one queue entry, all ones.
            if needed == 1 && released == 1 && boxBelowUnity == 0 && queueGain[queueHead] == 1 {
                queueHead = 0
                queueCount = 1
                queueIndex[0] = frame
                queueGain[0] = 1
                gains[t] = 1
                frame += 1
                continue
            }
            // Running minimum over the last `holdFrames` needed gains.
            while queueCount > 0 {
                var last = queueHead + queueCount - 1
                if last >= capacity { last -= capacity }
                if queueGain[last] >= needed { queueCount -= 1 } else { break }
            }
            var tail = queueHead + queueCount
            if tail >= capacity { tail -= capacity }
            queueIndex[tail] = frame
            queueGain[tail] = needed
            queueCount += 1
            if queueIndex[queueHead] <= frame - holdFrames {
                queueHead += 1
                if queueHead == capacity { queueHead = 0 }
                queueCount -= 1
            }
            let held = Double(queueGain[queueHead])
            // Release: rise towards 1 along a one-pole curve, never above the held gain.
            var rising = 1 - (1 - released) * releaseCoefficient
            if 1 - rising < 1e-7 { rising = 1 }
            released = min(held, rising)
            // Moving average over the attack, tracked exactly back to unity.
            let h = Float(released)
            let old = box[boxPosition]
            box[boxPosition] = h
            boxPosition = boxPosition + 1 == attackFrames ? 0 : boxPosition + 1
            boxBelowUnity += (h < 1 ? 1 : 0) - (old < 1 ? 1 : 0)
            if boxBelowUnity == 0 {
                boxSum = Double(attackFrames)
                gains[t] = 1
            } else {
                boxSum += Double(h) - Double(old)
                gains[t] = Float(boxSum / Double(attackFrames))
            }
            frame += 1
        }
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
