/// The limiter's gain computer, one for `TruePeakLimiter` (a step is a frame)
/// and `LimiterPreview` (a step is a window of about 1 ms): from each step's
/// true peak, the gain it needs, `min(1, target / peak)`, and from that the gain
/// it gets, by
///
/// 1. hold: the minimum of the needed gains over the last `holdSteps` steps
///    (a monotonic queue, O(1) a step);
/// 2. release: rising back towards 1 no faster than a one-pole curve
///    (`releasePerStep`), never above the held gain;
/// 3. attack: a moving average over `attackSteps` steps, which turns each step
///    down into a ramp; the caller delays the audio so the ramp starts before
///    the peak that needs it.
///
/// Every value in the average is at most the gain the peak needs, so the ramp
/// reaches that gain by the peak: no overshoot; and the average is tracked
/// exactly back to unity, so a limiter at rest passes audio bit for bit.
struct LimiterGainComputer: Sendable {
    /// The level peaks are held to, linear (`LimiterParameters.target`).
    let target: Float
    let holdSteps: Int
    let attackSteps: Int
    let releasePerStep: Double

    private var queueIndex: [Int]
    private var queueGain: [Float]
    private var queueHead = 0, queueCount = 0
    private var step = 0
    private var released: Double = 1
    private var box: [Float]
    private var boxPosition = 0
    private var boxSum: Double
    private var boxBelowUnity = 0

    init(target: Float, holdSteps: Int, attackSteps: Int, releasePerStep: Double) {
        self.target = target
        self.holdSteps = max(1, holdSteps)
        self.attackSteps = max(1, attackSteps)
        self.releasePerStep = releasePerStep
        queueIndex = Array(repeating: 0, count: self.holdSteps + 1)
        queueGain = Array(repeating: 1, count: self.holdSteps + 1)
        box = Array(repeating: 1, count: self.attackSteps)
        boxSum = Double(self.attackSteps)
    }

    /// The gain of the next step, given its true peak (linear).
    @inline(__always)
    mutating func next(peak: Float) -> Float {
        defer { step += 1 }
        let needed: Float = peak > target ? target / peak : 1
        // At rest (nothing held, released or averaged below unity) a step that
        // needs nothing leaves the state as it is: one queue entry, all ones.
        if needed == 1 && released == 1 && boxBelowUnity == 0 && queueGain[queueHead] == 1 {
            queueHead = 0
            queueCount = 1
            queueIndex[0] = step
            queueGain[0] = 1
            return 1
        }
        let capacity = queueIndex.count
        // Running minimum over the last `holdSteps` needed gains.
        while queueCount > 0 {
            var last = queueHead + queueCount - 1
            if last >= capacity { last -= capacity }
            if queueGain[last] >= needed { queueCount -= 1 } else { break }
        }
        var tail = queueHead + queueCount
        if tail >= capacity { tail -= capacity }
        queueIndex[tail] = step
        queueGain[tail] = needed
        queueCount += 1
        if queueIndex[queueHead] <= step - holdSteps {
            queueHead += 1
            if queueHead == capacity { queueHead = 0 }
            queueCount -= 1
        }
        let held = Double(queueGain[queueHead])
        // Release: rise towards 1 along a one-pole curve, never above the held gain.
        var rising = 1 - (1 - released) * releasePerStep
        if 1 - rising < 1e-7 { rising = 1 }
        released = min(held, rising)
        // Moving average over the attack, tracked exactly back to unity.
        let h = Float(released)
        let old = box[boxPosition]
        box[boxPosition] = h
        boxPosition = boxPosition + 1 == attackSteps ? 0 : boxPosition + 1
        boxBelowUnity += (h < 1 ? 1 : 0) - (old < 1 ? 1 : 0)
        if boxBelowUnity == 0 {
            boxSum = Double(attackSteps)
            return 1
        }
        boxSum += Double(h) - Double(old)
        return Float(boxSum / Double(attackSteps))
    }
}
