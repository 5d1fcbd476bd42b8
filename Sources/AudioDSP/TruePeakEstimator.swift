/// The one true-peak estimate of TrackGate (ITU-R BS.1770-4 Annex 2
/// oversampling, refined): per frame, what `TruePeakLimiter` limits by,
/// `LimiterPreview` predicts from, and `TruePeakMeter` reports the maximum of,
/// so the limiter, its preview, the meter and the verification of a delivery
/// all read the same peak.
///
/// For frame `t` of each block, `peaks[t]` is the largest magnitude of any
/// channel among the interpolated points of the interval that ends at input
/// frame `t - delay` and that input itself; it lags the input by `delay` frames.
/// The largest point of an interval is refined by the vertex of the parabola
/// through it and its neighbours in time when it is a local maximum: the one
/// refinement rule (fixed 4x points alone miss the peak of an fs/4 sine by up to
/// 0.17 dB; see `OversamplingFilter`).
///
/// Only what can reach `level` is measured exactly: a refined peak exceeds its
/// largest point by at most `maximumRefinementGain`, and no point of a stretch
/// exceeds the filter's gain bound (the largest sum of |taps|) times the
/// largest input under it, so a 128-frame stretch that cannot reach `level` is
/// not interpolated (its estimates are 0), and points that cannot are not
/// refined. With `level` 0 every interval is measured and refined.
struct TruePeakEstimator: Sendable {
    let channelCount: Int
    /// The level that matters, linear. The meter raises it to the peak read so far.
    var level: Float
    let filter: OversamplingFilter
    private let broadcastTaps: [[SIMD8<Float>]]
    private let gainBound: Float
    private var history: [[Float]]
    private var work: [Float] = []
    /// The interpolated points of the last channel, phase after phase, `stride` apart.
    private var phaseOutput: [Float] = []
    private var stride = 0
    /// Starts of the stretches of the current channel whose points were computed.
    private var loudChunks: [Int] = []
    /// The estimates of the last block.
    private(set) var peaks: [Float] = []

    /// How far the refinement can raise an interval's largest point: 1/8 of it.
    /// (With neighbours `a`, `c` no larger than the point `b` and non-negative,
    /// the vertex exceeds `b` by (d2 - d1)^2 / (8 (d1 + d2)), d1 = b - a, d2 = b - c,
    /// which is largest, d/8 <= b/8, when one difference is 0.)
    static let maximumRefinementGain: Float = 1.125

    init(channelCount: Int, sampleRate: Int, level: Float) {
        self.init(channelCount: channelCount, filter: OversamplingFilter(factor: OversamplingFilter.factor(forSampleRate: sampleRate)),
                  level: level)
    }

    init(channelCount: Int, filter: OversamplingFilter, level: Float) {
        self.channelCount = channelCount
        self.level = level
        self.filter = filter
        broadcastTaps = filter.phases.map { $0.map { SIMD8<Float>(repeating: $0) } }
        gainBound = max(1, filter.phases.map { $0.reduce(0) { $0 + abs($1) } }.max() ?? 1)
        history = Array(repeating: Array(repeating: 0, count: filter.tapsPerPhase), count: channelCount)
    }

    /// Half the interpolation filter's length, frames: how far a sample reaches into interpolated points.
    var reach: Int { filter.tapsPerPhase / 2 }
    /// Frames by which `peaks` lags the input: an interval is estimated once the
    /// points of the next one are in (its refinement may need the first of them),
    /// so the estimate never depends on where a block ends.
    var delay: Int { reach }

    /// Fills `peaks[0..<n]` for the next `n` frames of every channel (buffers of equal length).
    mutating func estimate(_ input: [UnsafeBufferPointer<Float>], count n: Int) {
        estimate(count: n) { input[$0] }
    }

    /// `estimate` for a one-channel estimator, without an array of one buffer.
    mutating func estimate(_ channel: UnsafeBufferPointer<Float>) {
        precondition(channelCount == 1)
        estimate(count: channel.count) { _ in channel }
    }

    private mutating func estimate(count n: Int, channel input: (Int) -> UnsafeBufferPointer<Float>) {
        guard n > 0 else { return }
        if peaks.count < n { peaks = [Float](repeating: 0, count: n) }
        let phases = filter.factor - 1
        // With `taps` frames of history there are n + 1 intervals' points: the n
        // estimated now and the first of the next block, which refining the last
        // one may need.
        let m = n + 1
        if stride < m {
            stride = m
            phaseOutput = [Float](repeating: 0, count: max(1, phases) * m)
        }
        let taps = filter.tapsPerPhase, half = taps / 2, keep = taps - 1
        let near = level / Self.maximumRefinementGain
        let quietBar = near / gainBound
        // Stretches this short skip most of the quiet between the beats of music.
        let chunk = 128
        let stride = self.stride, level = self.level, factor = filter.factor
        var peaks = self.peaks, phaseOutput = self.phaseOutput, work = self.work, loud = self.loudChunks
        self.peaks = []; self.phaseOutput = []; self.work = []; self.loudChunks = []   // unique storage while borrowed
        defer { self.peaks = peaks; self.phaseOutput = phaseOutput; self.work = work; self.loudChunks = loud }
        peaks.withUnsafeMutableBufferPointer { peaks in
            peaks.update(repeating: 0)
            if work.count < taps + n { work = [Float](repeating: 0, count: taps + n) }
            for c in 0..<channelCount {
                precondition(input(c).count >= n, "a channel is shorter than the block")
                // The channel's history, then its new frames, copied as memory.
                work.withUnsafeMutableBufferPointer { w in
                    history[c].withUnsafeBufferPointer { w.baseAddress!.update(from: $0.baseAddress!, count: taps) }
                    (w.baseAddress! + taps).update(from: input(c).baseAddress!, count: n)
                }
                work.withUnsafeBufferPointer { all in
                    let w = UnsafeBufferPointer(rebasing: all[0 ..< taps + n])
                    phaseOutput.withUnsafeMutableBufferPointer { out in
                        loud.removeAll(keepingCapacity: true)
                        var start = 0
                        while start < m {
                            let count = min(chunk, m - start)
                            let intervals = start ..< min(start + count, n)
                            // By the filter's bound no point here can reach the level: nothing to measure.
                            if Self.maxMagnitude(UnsafeBufferPointer(rebasing: w[start ..< start + count + keep])) > quietBar {
                                for p in 0..<phases {
                                    let destination = UnsafeMutableBufferPointer(rebasing: out[p * stride + start ..< p * stride + start + count])
                                    _ = broadcastTaps[p].withUnsafeBufferPointer { h in
                                        Self.convolve(UnsafeBufferPointer(rebasing: w[start...]), h, into: destination, count: count)
                                    }
                                }
                                loud.append(start)
                                Self.maxima(intervals, work: w, points: UnsafeBufferPointer(out),
                                            phases: phases, stride: stride, half: half, into: peaks)
                            } else if phases > 0 {
                                // Refining the stretch before may look one interval ahead, at
                                // its earliest point (the last phase), and at no other: that
                                // one is computed.
                                let last = phases - 1
                                _ = broadcastTaps[last].withUnsafeBufferPointer { h in
                                    Self.convolve(UnsafeBufferPointer(rebasing: w[start...]), h,
                                                  into: UnsafeMutableBufferPointer(rebasing: out[last * stride + start ..< last * stride + start + 1]),
                                                  count: 1)
                                }
                            }
                            start += count
                        }
                        // Refinement looks one interval ahead, so it runs once all points are in,
                        // and only where this channel's points were computed.
                        for start in loud {
                            for t in start ..< min(start + chunk, n) where peaks[t] > near {
                                let estimate = Self.intervalPeak(t, work: w, points: UnsafeBufferPointer(out), count: m,
                                                                 factor: factor, stride: stride, half: half, level: level)
                                if estimate > peaks[t] { peaks[t] = estimate }
                            }
                        }
                    }
                }
                // The last `taps` frames are the next call's history (in place: no allocation).
                work.withUnsafeBufferPointer { w in
                    history[c].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: w.baseAddress! + n, count: taps) }
                }
            }
        }
    }

    /// peaks[t] = max(peaks[t], the largest magnitude among interval t's points), eight frames at a time.
    @inline(__always)
    private static func maxima(_ range: Range<Int>, work w: UnsafeBufferPointer<Float>, points: UnsafeBufferPointer<Float>,
                               phases: Int, stride: Int, half: Int, into peaks: UnsafeMutableBufferPointer<Float>) {
        var t = range.lowerBound
        let wp = UnsafeRawPointer(w.baseAddress!), pp = UnsafeRawPointer(points.baseAddress!)
        let out = UnsafeMutableRawPointer(peaks.baseAddress!)
        while t + 8 <= range.upperBound {
            var v = Self.maxMagnitude(.zero, wp.loadUnaligned(fromByteOffset: 4 * (t + half), as: SIMD8<Float>.self))
            for p in 0..<phases {
                v = Self.maxMagnitude(v, pp.loadUnaligned(fromByteOffset: 4 * (p * stride + t), as: SIMD8<Float>.self))
            }
            let old = out.loadUnaligned(fromByteOffset: 4 * t, as: SIMD8<Float>.self)
            out.storeBytes(of: old.replacing(with: v, where: v .> old), toByteOffset: 4 * t, as: SIMD8<Float>.self)
            t += 8
        }
        while t < range.upperBound {
            var v = abs(w[t + half])
            for p in 0..<phases { v = max(v, abs(points[p * stride + t])) }
            peaks[t] = max(peaks[t], v)
            t += 1
        }
    }

    /// Largest magnitude among the interpolated points before input `t + half` of
    /// `work` and that input itself, refined by a parabola where it nears the level.
    @inline(__always)
    private static func intervalPeak(_ t: Int, work w: UnsafeBufferPointer<Float>, points: UnsafeBufferPointer<Float>,
                                     count n: Int, factor: Int, stride: Int, half: Int, level: Float) -> Float {
        // Point p of interval t in time order: p = factor - 1 (earliest) ... 0 (the input).
        func point(_ t: Int, _ p: Int) -> Float? {
            if p == 0 { return t + half < w.count ? w[t + half] : nil }
            return t >= 0 && t < n ? points[(p - 1) * stride + t] : nil
        }
        var best: Float = abs(w[t + half]), bestPhase = 0
        for p in 1..<factor {
            let v = abs(points[(p - 1) * stride + t])
            if v > best { best = v; bestPhase = p }
        }
        // A parabola through the largest point and its neighbours in time; it
        // cannot lift a point below level / maximumRefinementGain to the level.
        guard factor > 1, best > level / maximumRefinementGain else { return best }
        let earlier = bestPhase + 1 < factor ? point(t, bestPhase + 1) : point(t - 1, 0)
        let later = bestPhase > 0 ? point(t, bestPhase - 1) : point(t + 1, factor - 1)
        let b = point(t, bestPhase)!
        guard let a = earlier, let c = later, a * b > 0, c * b > 0 else { return best }
        let (fa, fb, fc) = (abs(a), abs(b), abs(c))
        // Only a local maximum has its vertex nearby; elsewhere the parabola extrapolates.
        guard fb >= fa, fb >= fc else { return best }
        let curvature = fa - 2 * fb + fc
        guard curvature < 0 else { return best }
        return max(best, fb - (fa - fc) * (fa - fc) / (8 * curvature))
    }
}

/// The interpolation's inner loops, shared with the defect scan's peak search.
extension TruePeakEstimator {
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
