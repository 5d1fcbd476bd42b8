/// Per-frame true-peak estimates (ITU-R BS.1770-4 Annex 2 oversampling), for
/// deciding gain: what `TruePeakLimiter` limits by and `LimiterPreview` predicts from.
///
/// For frame `t` of each block, `peaks[t]` is the largest magnitude of any
/// channel among the interpolated points of the interval that ends at input
/// frame `t - delay` and that input itself; it lags the input by `delay` frames.
/// Points are refined by a parabola where they come near `level`. Where the
/// filter's bound shows that no point of a 512-frame stretch can reach `level`
/// (the largest sum of |taps| times the largest input under the filter), the
/// stretch is not interpolated and its estimates are 0: only peaks that could
/// matter at `level` are measured.
struct TruePeakDetector: Sendable {
    let channelCount: Int
    /// The level that matters, linear.
    let level: Float
    let filter: OversamplingFilter
    private let broadcastTaps: [[SIMD8<Float>]]
    private let gainBound: Float
    private var history: [[Float]]
    private var work: [Float] = []
    private var phaseOutput: [[Float]]
    /// The estimates of the last block.
    private(set) var peaks: [Float] = []

    init(channelCount: Int, sampleRate: Int, level: Float) {
        self.channelCount = channelCount
        self.level = level
        filter = OversamplingFilter(factor: OversamplingFilter.factor(forSampleRate: sampleRate))
        broadcastTaps = filter.phases.map { $0.map { SIMD8<Float>(repeating: $0) } }
        gainBound = max(1, filter.phases.map { $0.reduce(0) { $0 + abs($1) } }.max() ?? 1)
        history = Array(repeating: Array(repeating: 0, count: filter.tapsPerPhase - 1), count: channelCount)
        phaseOutput = Array(repeating: [], count: filter.factor - 1)
    }

    /// Half the interpolation filter's length, frames: how far a sample reaches into interpolated points.
    var reach: Int { filter.tapsPerPhase / 2 }
    /// Frames by which `peaks` lags the input.
    var delay: Int { reach - 1 }

    /// Fills `peaks[0..<n]` for the next `n` frames of every channel (buffers of equal length).
    mutating func detect(_ input: [UnsafeBufferPointer<Float>], count n: Int) {
        if peaks.count < n { peaks = [Float](repeating: 0, count: n) }
        for p in phaseOutput.indices where phaseOutput[p].count < n { phaseOutput[p] = [Float](repeating: 0, count: n) }
        for p in 0..<n { peaks[p] = 0 }
        let taps = filter.tapsPerPhase, half = taps / 2, keep = taps - 1
        let quietBar = level / gainBound
        let chunk = 512
        for c in 0..<channelCount {
            work.removeAll(keepingCapacity: true)
            work.append(contentsOf: history[c])
            work.append(contentsOf: input[c])
            work.withUnsafeBufferPointer { w in
                // All interpolated points first (refinement looks one interval ahead),
                // then the per-frame estimates where any were computed.
                var audible: [Range<Int>] = []
                var start = 0
                while start < n {
                    let count = min(chunk, n - start)
                    let range = start ..< start + count
                    // By the filter's bound nothing under it can reach the ceiling: unity gain.
                    let loud = TruePeakMeter.maxMagnitude(UnsafeBufferPointer(rebasing: w[start ..< start + count + keep])) > quietBar
                    if loud { audible.append(range) }
                    for p in 0..<(filter.factor - 1) {
                        phaseOutput[p].withUnsafeMutableBufferPointer { out in
                            let destination = UnsafeMutableBufferPointer(rebasing: out[range])
                            guard loud else { destination.update(repeating: 0); return }
                            _ = broadcastTaps[p].withUnsafeBufferPointer { h in
                                TruePeakMeter.convolve(UnsafeBufferPointer(rebasing: w[start...]), h, into: destination, count: count)
                            }
                        }
                    }
                    start += count
                }
                for range in audible {
                    // The plain maximum of each interval's points, eight frames at a time;
                    // the parabola only where a point comes near the level.
                    let near = level * 0.9
                    var t = range.lowerBound
                    while t < range.upperBound {
                        let n8 = min(8, range.upperBound - t)
                        var m: Float = 0
                        for k in 0..<n8 {
                            var v = abs(w[t + k + half])
                            for p in 0..<(filter.factor - 1) { v = max(v, abs(phaseOutput[p][t + k])) }
                            m = max(m, v)
                            if v > peaks[t + k] { peaks[t + k] = v }
                        }
                        if m > near {
                            for k in 0..<n8 {
                                let estimate = intervalPeak(t + k, work: w, count: n, half: half)
                                if estimate > peaks[t + k] { peaks[t + k] = estimate }
                            }
                        }
                        t += n8
                    }
                }
            }
            history[c] = Array(work[(work.count - keep)...])
        }
    }

    /// Largest magnitude among the interpolated points before input `t + half` of
    /// `work` and that input itself, refined by a parabola where it nears the ceiling.
    @inline(__always)
    private func intervalPeak(_ t: Int, work w: UnsafeBufferPointer<Float>, count n: Int, half: Int) -> Float {
        let factor = filter.factor
        // Point p of interval t in time order: p = factor - 1 (earliest) ... 0 (the input).
        func point(_ t: Int, _ p: Int) -> Float? {
            if p == 0 { return t + half < w.count ? w[t + half] : nil }
            return t >= 0 && t < n ? phaseOutput[p - 1][t] : nil
        }
        var best: Float = abs(w[t + half]), bestPhase = 0
        for p in 1..<factor {
            let v = abs(phaseOutput[p - 1][t])
            if v > best { best = v; bestPhase = p }
        }
        // A parabola through the largest point and its neighbours in time; the
        // refinement only matters close to the ceiling, so it is skipped elsewhere.
        guard factor > 1, best > level * 0.9 else { return best }
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
