/// Streaming sample-peak and true-peak measurement per channel (ITU-R BS.1770-4, Annex 2).
///
/// Each block is oversampled with an `OversamplingFilter`; the true peak is the
/// largest magnitude among the input samples and the interpolated points.
/// When a block sets a new maximum, the peak is refined by a parabola through
/// the maximum and its two neighbouring points, which recovers most of what any
/// fixed oversampling grid misses between its points. The reading is therefore
/// never below the BS.1770 value and closer to the peak of the reconstructed signal.
///
/// State is a few dozen samples of history per channel; memory does not grow
/// with the length of the input.
public struct TruePeakMeter: Sendable {
    public let channelCount: Int
    public let filter: OversamplingFilter
    private var history: [[Float]]
    private var samplePeaks: [Float]
    private var interpolatedPeaks: [Float]
    private var work: [Float] = []
    private var phaseOutput: [[Float]]
    /// Each phase's taps, each broadcast to a vector once, here rather than per use.
    private let broadcastTaps: [[SIMD8<Float>]]
    /// The largest sum of |taps| of any phase: no interpolated point can exceed
    /// this times the largest input under the filter.
    private let gainBound: Float
    /// Outputs per skip decision.
    private static let chunk = 512
    /// Skip stretches that cannot raise the reading (exact either way; off only to verify that).
    public let skipsQuietStretches: Bool

    public init(channelCount: Int, sampleRate: Int) {
        self.init(channelCount: channelCount, filter: OversamplingFilter(factor: OversamplingFilter.factor(forSampleRate: sampleRate)))
    }

    public init(channelCount: Int, filter: OversamplingFilter, skipsQuietStretches: Bool = true) {
        self.channelCount = channelCount
        self.skipsQuietStretches = skipsQuietStretches
        self.filter = filter
        let keep = max(0, filter.tapsPerPhase - 1)
        history = Array(repeating: Array(repeating: 0, count: keep), count: channelCount)
        samplePeaks = Array(repeating: 0, count: channelCount)
        interpolatedPeaks = Array(repeating: 0, count: channelCount)
        phaseOutput = Array(repeating: [], count: max(0, filter.factor - 1))
        broadcastTaps = filter.phases.map { $0.map { SIMD8<Float>(repeating: $0) } }
        gainBound = filter.phases.map { $0.reduce(0) { $0 + abs($1) } }.max() ?? 1
    }

    /// Largest absolute sample value per channel (linear).
    public var samplePeak: [Double] { samplePeaks.map(Double.init) }

    /// True peak per channel (linear), including the interpolated points around
    /// the last samples, as if the signal ended in silence.
    public var truePeak: [Double] {
        guard filter.factor > 1 else { return samplePeak }
        var flushed = self
        let silence = [Float](repeating: 0, count: filter.tapsPerPhase)
        silence.withUnsafeBufferPointer { zeros in
            flushed.add(Array(repeating: zeros, count: channelCount))
        }
        return (0..<channelCount).map { Double(max(samplePeaks[$0], flushed.interpolatedPeaks[$0])) }
    }

    /// Adds one block: one buffer per channel, all of the same length. Samples must be finite.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount)
        for c in 0..<channelCount {
            samplePeaks[c] = max(samplePeaks[c], Self.maxMagnitude(channels[c]))
            if filter.factor > 1 { interpolate(channel: c, channels[c]) }
        }
    }

    private mutating func interpolate(channel c: Int, _ input: UnsafeBufferPointer<Float>) {
        let n = input.count
        guard n > 0 else { return }
        let taps = filter.tapsPerPhase
        let keep = taps - 1
        // work = history ++ input: output t reads work[t ..< t + taps].
        work.removeAll(keepingCapacity: true)
        work.append(contentsOf: history[c])
        work.append(contentsOf: input)
        var blockMax: Float = 0
        var blockPhase = 0
        for p in 0..<(filter.factor - 1) where phaseOutput[p].count < n {
            phaseOutput[p] = [Float](repeating: 0, count: n)
        }
        // Interpolation cannot raise the reading where the inputs under the filter
        // are too quiet, by the bound above; those stretches are skipped exactly.
        let bar = max(samplePeaks[c], interpolatedPeaks[c]) / gainBound
        work.withUnsafeBufferPointer { w in
            var start = 0
            while start < n {
                let count = min(Self.chunk, n - start)
                let inputs = UnsafeBufferPointer(rebasing: w[start ..< start + count + keep])
                let audible = !skipsQuietStretches || Self.maxMagnitude(inputs) > bar
                for p in 0..<(filter.factor - 1) {
                    phaseOutput[p].withUnsafeMutableBufferPointer { all in
                        let out = UnsafeMutableBufferPointer(rebasing: all[start ..< start + count])
                        guard audible else { out.update(repeating: 0); return }
                        let m = broadcastTaps[p].withUnsafeBufferPointer { h in
                            Self.convolve(UnsafeBufferPointer(rebasing: w[start...]), h, into: out, count: count)
                        }
                        if m > blockMax { blockMax = m; blockPhase = p + 1 }
                    }
                }
                start += count
            }
        }
        if blockMax > interpolatedPeaks[c] {
            interpolatedPeaks[c] = max(blockMax, refinedPeak(phase: blockPhase, count: n))
        }
        history[c] = Array(work[(work.count - keep)...])
    }

    /// The vertex of the parabola through the largest interpolated point of this
    /// block and its neighbours in time, when they share its sign.
    private func refinedPeak(phase: Int, count n: Int) -> Float {
        let factor = filter.factor, half = filter.tapsPerPhase / 2
        let outputs = phaseOutput[phase - 1]
        var t = 0
        var best: Float = -1
        for i in 0..<n where abs(outputs[i]) > best { best = abs(outputs[i]); t = i }
        // Point (t, p) lies p/factor before input t + half; phase 0 is that input.
        func value(_ t: Int, _ p: Int) -> Float? {
            guard t >= 0 && t < n else { return nil }
            return p == 0 ? work[t + half] : phaseOutput[p - 1][t]
        }
        let earlier = phase + 1 < factor ? value(t, phase + 1) : value(t - 1, 0)
        let later = phase > 1 ? value(t, phase - 1) : value(t, 0)
        let b = outputs[t]
        guard let a = earlier, let c = later, a * b > 0, c * b > 0 else { return abs(b) }
        let (fa, fb, fc) = (abs(a), abs(b), abs(c))
        let curvature = fa - 2 * fb + fc
        guard curvature < 0 else { return fb }
        return fb - (fa - fc) * (fa - fc) / (8 * curvature)
    }

    /// out[t] = sum over m of h[m] * w[t + m], for t in 0 ..< count; returns max |out|.
    /// Sixteen outputs per step in two accumulators that share each broadcast tap;
    /// the taps arrive pre-broadcast, the inputs are loaded unaligned.
    @inline(__always)
    static func convolve(_ w: UnsafeBufferPointer<Float>, _ h: UnsafeBufferPointer<SIMD8<Float>>,
                         into out: UnsafeMutableBufferPointer<Float>, count: Int) -> Float {
        let taps = h.count
        let wp = w.baseAddress!, op = out.baseAddress!, hp = h.baseAddress!
        var peak = SIMD8<Float>(repeating: 0)
        var t = 0
        while t + 16 <= count {
            var a0 = SIMD8<Float>(repeating: 0), a1 = SIMD8<Float>(repeating: 0)
            var x = UnsafeRawPointer(wp + t)
            for m in 0..<taps {
                let tap = hp[m]
                a0 += tap * x.loadUnaligned(as: SIMD8<Float>.self)
                a1 += tap * x.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                x += 4
            }
            UnsafeMutableRawPointer(op + t).storeBytes(of: a0, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(op + t + 8).storeBytes(of: a1, as: SIMD8<Float>.self)
            peak = maxMagnitude(maxMagnitude(peak, a0), a1)
            t += 16
        }
        var tail: Float = peak.max()
        while t < count {
            var acc: Float = 0
            for m in 0..<taps { acc += hp[m][0] * wp[t + m] }
            op[t] = acc
            tail = max(tail, abs(acc))
            t += 1
        }
        return tail
    }

    /// Lane-wise max(m, |v|) for finite input, as a compare and a blend.
    /// (`pointwiseMax` keeps per-lane NaN rules and was measured as an out-of-line
    /// call taking a quarter of the meter's instructions.)
    @inline(__always)
    static func maxMagnitude(_ m: SIMD8<Float>, _ v: SIMD8<Float>) -> SIMD8<Float> {
        let magnitude = unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
        return m.replacing(with: magnitude, where: magnitude .> m)
    }

    @inline(__always)
    static func maxMagnitude(_ x: UnsafeBufferPointer<Float>) -> Float {
        var peak = SIMD8<Float>(repeating: 0)
        var i = 0
        let base = x.baseAddress
        while i + 8 <= x.count {
            peak = maxMagnitude(peak, UnsafeRawPointer(base! + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var m = peak.max()
        while i < x.count { m = max(m, abs(x[i])); i += 1 }
        return m
    }
}
